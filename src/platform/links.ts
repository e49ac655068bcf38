// Links Threadline did not write itself (a return address kept across sign-in, a link in an imported plan document):
// followed only when they stay within Threadline or go to a web or mail address, never to another site by a trick.

const BASE = 'http://threadline.invalid'

/** Whether the text holds a control character (code below 32, or DEL). */
const hasControl = (text: string) => [...text].some((char) => char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127)

/**
 * Whether a path leads within Threadline: one leading slash, and no backslash, white space or control character
 * (browsers read `/\evil.example` and `/<tab>/evil.example` as `//evil.example`, another site).
 */
export function isLocalPath(value: string): boolean {
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\s]/.test(value) || hasControl(value)) return false
  try {
    return new URL(value, BASE).origin === BASE
  } catch {
    return false
  }
}

/**
 * A link from imported content if it is safe to follow: an http(s) or mailto address, or a path or relative link that
 * stays within Threadline; null for anything else (javascript:, data:, `//host`, `/\host`, control characters).
 */
export function safeLink(href: string | null | undefined): string | null {
  const link = (href ?? '').trim()
  if (!link || link.includes('\\') || hasControl(link)) return null
  let url: URL
  try {
    url = new URL(link, BASE)
  } catch {
    return null
  }
  if (url.origin === BASE) return link.startsWith('//') || (link.startsWith('/') && !isLocalPath(link)) ? null : link
  return /^(https?:\/\/|mailto:)/i.test(link) && ['http:', 'https:', 'mailto:'].includes(url.protocol) ? link : null
}
