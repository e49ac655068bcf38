import { appendFileSync, closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * The audit chain's checkpoints, one JSON line each, in a file outside the database (docs/adr/0016): only ever
 * appended to (O_APPEND, one write a line), so a line once written stays what it was; the service signs and reads them.
 */
export class AuditCheckpointFile {
  constructor(readonly path: string) {}

  append(line: string): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 })
    appendFileSync(this.path, `${line}\n`, { mode: 0o600, flag: 'a' })
  }

  /** Every line, in order; none when the file does not exist yet. */
  lines(): string[] {
    if (!existsSync(this.path)) return []
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
  }

  /** The last line only, read from the end of the file (a checkpoint is far shorter than the 8 KB read). */
  lastLine(): string | null {
    if (!existsSync(this.path)) return null
    const fd = openSync(this.path, 'r')
    try {
      const size = fstatSync(fd).size
      const length = Math.min(size, 8192)
      const buffer = Buffer.alloc(length)
      readSync(fd, buffer, 0, length, size - length)
      const lines = buffer
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
      return lines.at(-1) ?? null
    } finally {
      closeSync(fd)
    }
  }
}
