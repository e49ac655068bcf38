// Text decoding shared by the importers.

// Windows-1252's printable characters at 0x80-0x9F (the rest of the encoding is ISO-8859-1). Node 20's
// TextDecoder('windows-1252') decodes those bytes as the C1 control characters U+0080-U+009F instead, so Word's and
// Excel's curly quotes, dashes and the euro sign would arrive as invisible controls; they never occur in real text,
// so they are mapped after decoding. The four bytes Windows-1252 leaves undefined stay as they are.
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'
const C1 = /[\u0080-\u009f]/g
const fromC1 = (char: string) => WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80]

/** Windows-1252 text with the characters at 0x80-0x9F as Windows-1252 has them (see above). */
export function mendWindows1252(decoded: string): string {
  return decoded.replace(C1, fromC1)
}

/** Decodes Windows-1252 bytes. */
export function decodeWindows1252(bytes: Uint8Array): string {
  return mendWindows1252(new TextDecoder('windows-1252').decode(bytes))
}

/**
 * A message about bad input, with every quoted value longer than `longest` characters cut with an ellipsis (and its
 * length said), and the whole at most 2,000 characters: a multi-megabyte bad cell is never repeated back in full.
 */
export function cutLongValues(message: string, longest = 80): string {
  const cut = message.replace(/"([^"]*)"/g, (whole, inner: string) =>
    inner.length > longest ? `"${inner.slice(0, longest)}…" (${inner.length} characters)` : whole,
  )
  return cut.length > 2000 ? `${cut.slice(0, 2000)}…` : cut
}
