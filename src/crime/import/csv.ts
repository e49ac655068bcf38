// A streaming RFC 4180 row reader that knows each row's physical start line. csv-parse's raw mode costs about a
// third of its speed and its line counter drifts on CRLF inside quoted fields, so extracts are read with this one.

import { isUtf8 } from 'node:buffer'
import { closeSync, createReadStream, openSync, readSync } from 'node:fs'
import { mendWindows1252 } from '../../platform/text.ts'

export interface CsvRow {
  cells: string[]
  /** 1-based physical line the row starts on. */
  line: number
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message)
    this.name = 'CsvSyntaxError'
  }
}

const QUOTE = 34
const LF = 10
const CR = 13

/**
 * Parses complete rows of `text` from `from`. Returns the rows, the offset of the first unconsumed character and the
 * line it is on. With `final` false, an incomplete last row is left unconsumed for the next chunk.
 */
export function parseCsvChunk(
  text: string,
  from: number,
  line: number,
  final: boolean,
  delimiter: CsvDelimiter = ',',
): { rows: CsvRow[]; next: number; line: number } {
  const COMMA = delimiter.charCodeAt(0)
  const rows: CsvRow[] = []
  let pos = from
  let done = from
  let doneLine = line
  const length = text.length
  let lf = -2
  let cr = -2
  outer: while (pos < length) {
    const rowLine = line
    let rowLines = 0
    const cells: string[] = []
    for (;;) {
      if (text.charCodeAt(pos) === QUOTE) {
        let value = ''
        let at = pos + 1
        for (;;) {
          const close = text.indexOf('"', at)
          if (close < 0) {
            if (!final) break outer
            throw new CsvSyntaxError(rowLine, 'a quoted field is never closed')
          }
          const piece = text.slice(at, close)
          value += piece
          for (let i = 0; i < piece.length; i++) {
            const c = piece.charCodeAt(i)
            if (c === LF) rowLines++
            else if (c === CR && piece.charCodeAt(i + 1) !== LF) rowLines++
          }
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += '"'
            at = close + 2
            continue
          }
          if (close + 1 >= length && !final) break outer
          pos = close + 1
          break
        }
        cells.push(value)
        const c = text.charCodeAt(pos)
        if (c === COMMA) {
          pos++
          continue
        }
        if (pos >= length) break
        if (c === CR && text.charCodeAt(pos + 1) === LF) pos += 2
        else if (c === LF || c === CR) pos += 1
        else throw new CsvSyntaxError(rowLine + rowLines, 'unexpected character after a closing quote')
        // a lone CR at the end of a chunk may be the first half of CRLF
        if (pos >= length && c === CR && !final) break outer
        rowLines++
        break
      }
      const comma = text.indexOf(delimiter, pos)
      if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos)
      if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos)
      let newline = lf
      if (cr >= 0 && (newline < 0 || cr < newline)) newline = cr
      if (comma >= 0 && (newline < 0 || comma < newline)) {
        const value = text.slice(pos, comma)
        if (value.includes('"')) throw new CsvSyntaxError(rowLine + rowLines, 'a quote inside an unquoted field')
        cells.push(value)
        pos = comma + 1
        continue
      }
      if (newline < 0) {
        if (!final) break outer
        const value = text.slice(pos)
        if (value.includes('"')) throw new CsvSyntaxError(rowLine + rowLines, 'a quote inside an unquoted field')
        cells.push(value)
        pos = length
        break
      }
      const value = text.slice(pos, newline)
      if (value.includes('"')) throw new CsvSyntaxError(rowLine + rowLines, 'a quote inside an unquoted field')
      cells.push(value)
      if (text.charCodeAt(newline) === CR) {
        if (newline + 1 >= length && !final) break outer
        pos = text.charCodeAt(newline + 1) === LF ? newline + 2 : newline + 1
      } else pos = newline + 1
      rowLines++
      break
    }
    rows.push({ cells, line: rowLine })
    line = rowLine + rowLines
    done = pos
    doneLine = line
  }
  return { rows, next: done, line: doneLine }
}

export const CSV_ENCODINGS = ['utf-8', 'windows-1252', 'utf-16le', 'utf-16be'] as const
export type CsvEncoding = (typeof CSV_ENCODINGS)[number]
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number]

export interface CsvFormat {
  encoding: CsvEncoding
  delimiter: CsvDelimiter
}

export const ENCODING_NAMES: Record<CsvEncoding, string> = {
  'utf-8': 'UTF-8',
  'windows-1252': 'Windows-1252 ("ANSI", as Excel saves "CSV (Comma delimited)")',
  'utf-16le': 'UTF-16 (as Excel saves "Unicode Text")',
  'utf-16be': 'UTF-16 big-endian',
}
export const DELIMITER_NAMES: Record<CsvDelimiter, string> = {
  ',': 'commas',
  ';': 'semicolons',
  '\t': 'tabs',
  '|': 'vertical bars',
}

const SAMPLE_BYTES = 1 << 16

/**
 * Works out how a file is written from its first 64 KB, for whatever was not given: the encoding from a byte-order
 * mark, from zero bytes between characters (UTF-16 without a mark), or from whether the bytes are valid UTF-8 (if
 * not, Windows-1252, the encoding of Excel's and most records systems' "CSV" on Windows); the separator as the
 * commonest of comma, semicolon, tab and vertical bar outside quotes on the header line.
 */
export function sniffCsvFormat(file: string, given: Partial<CsvFormat> = {}): CsvFormat {
  const sample = Buffer.alloc(SAMPLE_BYTES)
  const handle = openSync(file, 'r')
  let length: number
  try {
    length = readSync(handle, sample, 0, SAMPLE_BYTES, 0)
  } finally {
    closeSync(handle)
  }
  const bytes = sample.subarray(0, length)
  const encoding = given.encoding ?? sniffEncoding(bytes, length === SAMPLE_BYTES)
  const delimiter = given.delimiter ?? sniffDelimiter(decoderFor(encoding, false)(bytes))
  return { encoding, delimiter }
}

/**
 * Whether the start of an upload looks like text in one of the encodings read here (not a binary file renamed .csv):
 * no NUL characters and almost no other control characters once decoded.
 */
export function looksLikeText(buffer: Buffer): boolean {
  const head = buffer.subarray(0, SAMPLE_BYTES)
  const text = decoderFor(sniffEncoding(head, buffer.length > SAMPLE_BYTES), false)(head)
  let controls = 0
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code === 0) return false
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 0x7f || code === 0xfffd) controls++
  }
  return controls <= text.length / 100
}

function sniffEncoding(bytes: Buffer, truncated: boolean): CsvEncoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8'
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le'
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be'
  if (bytes.length >= 4) {
    let evenZeros = 0
    let oddZeros = 0
    for (let i = 0; i + 1 < Math.min(bytes.length, 4096); i += 2) {
      if (bytes[i] === 0) evenZeros++
      if (bytes[i + 1] === 0) oddZeros++
    }
    const pairs = Math.floor(Math.min(bytes.length, 4096) / 2)
    if (oddZeros > pairs * 0.3 && evenZeros === 0) return 'utf-16le'
    if (evenZeros > pairs * 0.3 && oddZeros === 0) return 'utf-16be'
  }
  // A sample cut mid-character is not evidence against UTF-8: leave out a trailing incomplete sequence.
  let end = bytes.length
  if (truncated) {
    let back = 0
    while (back < 3 && end - back - 1 >= 0 && (bytes[end - back - 1] & 0xc0) === 0x80) back++
    if (end - back - 1 >= 0 && bytes[end - back - 1] >= 0xc0) end = end - back - 1
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end))
    return 'utf-8'
  } catch {
    return 'windows-1252'
  }
}

function sniffDelimiter(text: string): CsvDelimiter {
  const counts = new Map<CsvDelimiter, number>(CSV_DELIMITERS.map((candidate) => [candidate, 0]))
  let quoted = false
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') quoted = !quoted
    else if (!quoted && (c === '\n' || c === '\r')) break
    else if (!quoted && counts.has(c as CsvDelimiter)) counts.set(c as CsvDelimiter, counts.get(c as CsvDelimiter)! + 1)
  }
  let best: CsvDelimiter = ','
  for (const [candidate, count] of counts) if (count > counts.get(best)!) best = candidate
  return best
}

/** A text decoder for the encoding, with Windows-1252's 0x80-0x9F mended (see platform/text.ts). */
/** Where a trailing incomplete UTF-8 sequence starts: the length when the bytes end on a whole character. */
function wholeUtf8Length(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]
    if ((byte & 0xc0) === 0x80) continue
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
    return length > back ? bytes.length - back : bytes.length
  }
  return bytes.length
}

/**
 * UTF-8 in pieces, as TextDecoder's stream mode would give it, but through Buffer: Node 20's streaming TextDecoder
 * returns two-byte strings even for ASCII, which doubles the memory of every cell and the cost of handing records to
 * the writer's thread. A piece ending mid-character keeps those bytes for the next.
 */
function utf8Decoder(fatal: boolean): (bytes?: Uint8Array, stream?: boolean) => string {
  let carried = Buffer.alloc(0)
  return (bytes, stream = false) => {
    const input = bytes
      ? carried.length
        ? Buffer.concat([carried, bytes])
        : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      : carried
    const end = stream ? wholeUtf8Length(input) : input.length
    carried = Buffer.from(input.subarray(end))
    const whole = input.subarray(0, end)
    if (fatal && !isUtf8(whole)) throw new TypeError('The encoded data was not valid for encoding utf-8')
    return whole.toString('utf8')
  }
}

function decoderFor(encoding: CsvEncoding, fatal: boolean): (bytes?: Uint8Array, stream?: boolean) => string {
  if (encoding === 'utf-8') return utf8Decoder(fatal)
  const decoder = new TextDecoder(encoding, { fatal })
  if (encoding !== 'windows-1252') return (bytes, stream) => decoder.decode(bytes, { stream: stream ?? false })
  return (bytes, stream) => mendWindows1252(decoder.decode(bytes, { stream: stream ?? false }))
}

/** Thrown when a file said to be (or taken for) UTF-8 stops being UTF-8 part way through. */
const NOT_UTF8 =
  'the text is not UTF-8 from about this line on: save the file as UTF-8, or name its encoding in a mapping file ' +
  '(for example "encoding": "windows-1252")'

/**
 * Streams the rows of a CSV file, reporting bytes read as they arrive. The format is worked out from the file
 * (sniffCsvFormat) unless given; a byte-order mark is dropped.
 */
export async function* csvFileRows(
  file: string,
  onBytes: (n: number) => void = () => {},
  format: CsvFormat = sniffCsvFormat(file),
): AsyncGenerator<CsvRow> {
  const input = createReadStream(file, { highWaterMark: 1 << 20 })
  let buffer = ''
  let line = 1
  let first = true
  const decoder = decoderFor(format.encoding, format.encoding === 'utf-8')
  const decode = (chunk?: Buffer) => {
    try {
      return chunk ? decoder(chunk, true) : decoder()
    } catch (error) {
      if (!(error instanceof TypeError)) throw error
      // Name the physical line of the first byte that is not UTF-8: the buffer starts on `line`.
      const text = buffer + (chunk ? new TextDecoder('utf-8').decode(chunk) : '')
      const bad = text.indexOf('\ufffd')
      let at = line
      for (let index = text.indexOf('\n'); index >= 0 && index < bad; index = text.indexOf('\n', index + 1)) at++
      throw new CsvSyntaxError(at, NOT_UTF8)
    }
  }
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      onBytes(chunk.length)
      buffer += decode(chunk)
      if (first && buffer.length > 0) {
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1)
        first = false
      }
      const parsed = parseCsvChunk(buffer, 0, line, false, format.delimiter)
      buffer = buffer.slice(parsed.next)
      line = parsed.line
      yield* parsed.rows
    }
    buffer += decode()
    if (first && buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1)
    yield* parseCsvChunk(buffer, 0, line, true, format.delimiter).rows
  } finally {
    input.destroy()
  }
}
