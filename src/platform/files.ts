// What a person is told when a file they named cannot be read: the reason in words, not an errno code.
const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EMFILE: 'too many files open at once; try again',
}

/** Why a file could not be read, for a message that names the file. */
export function unreadableFileReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return (code && REASONS[code]) ?? (error instanceof Error ? error.message : String(error))
}
