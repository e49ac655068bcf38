import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CsvSyntaxError, csvFileRows, looksLikeText, parseCsvChunk, sniffCsvFormat } from './csv.ts'

const SAMPLE = 'a,b\r\n1,"x\r\ny ""q"""\r\n\r\n3,4\r\n5,\r\n'
const EXPECTED = [['a', 'b'], ['1', 'x\r\ny "q"'], [''], ['3', '4'], ['5', '']]

describe('parseCsvChunk', () => {
  it('parses quoted fields, doubled quotes, embedded line breaks and blank lines, with start lines', () => {
    const { rows } = parseCsvChunk(SAMPLE, 0, 1, true)
    expect(rows.map((r) => r.cells)).toEqual(EXPECTED)
    expect(rows.map((r) => r.line)).toEqual([1, 2, 4, 5, 6])
  })

  it('gives the same rows however the input is cut into chunks', () => {
    for (let cut = 1; cut < SAMPLE.length; cut++) {
      const rows: string[][] = []
      let buffer = ''
      let line = 1
      for (const part of [SAMPLE.slice(0, cut), SAMPLE.slice(cut)]) {
        buffer += part
        const parsed = parseCsvChunk(buffer, 0, line, false)
        rows.push(...parsed.rows.map((r) => r.cells))
        buffer = buffer.slice(parsed.next)
        line = parsed.line
      }
      rows.push(...parseCsvChunk(buffer, 0, line, true).rows.map((r) => r.cells))
      expect(rows, `cut at ${cut}`).toEqual(EXPECTED)
    }
  })

  it('reports malformed quoting with the line', () => {
    expect(() => parseCsvChunk('a,b\n1,"open\n2,3\n', 0, 1, true)).toThrow(CsvSyntaxError)
    try {
      parseCsvChunk('a,b\nx,y\n1,ab"c\n', 0, 1, true)
    } catch (error) {
      expect((error as CsvSyntaxError).line).toBe(3)
    }
    expect.assertions(2)
  })
})

describe('files in the encodings and separators records systems and Excel write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'threadline-csv-'))
  const file = (name: string, bytes: Buffer | string) => {
    const path = join(dir, name)
    writeFileSync(path, bytes)
    return path
  }
  const rowsOf = async (path: string) => {
    const rows: string[][] = []
    for await (const row of csvFileRows(path)) rows.push(row.cells)
    return rows
  }
  const TEXT = 'Crime Ref,MO\r\nDS/1,"Café owner, £200 damage – it’s"\r\n'

  it('reads UTF-8 with and without a byte-order mark', async () => {
    for (const bytes of [Buffer.from(TEXT), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)])]) {
      const path = file('utf8.csv', bytes)
      expect(sniffCsvFormat(path)).toEqual({ encoding: 'utf-8', delimiter: ',' })
      expect(await rowsOf(path)).toEqual([
        ['Crime Ref', 'MO'],
        ['DS/1', 'Café owner, £200 damage – it’s'],
      ])
    }
  })

  it('reads Windows-1252 ("ANSI") text when the bytes are not UTF-8', async () => {
    const path = file('ansi.csv', Buffer.from(new TextEncoderWindows1252().encode(TEXT)))
    expect(sniffCsvFormat(path)).toEqual({ encoding: 'windows-1252', delimiter: ',' })
    expect((await rowsOf(path))[1]).toEqual(['DS/1', 'Café owner, £200 damage – it’s'])
  })

  it('reads UTF-16 with a byte-order mark and without one', async () => {
    const withMark = file('utf16.csv', Buffer.from('\ufeff' + TEXT, 'utf16le'))
    const without = file('utf16-bare.csv', Buffer.from(TEXT, 'utf16le'))
    for (const path of [withMark, without]) {
      expect(sniffCsvFormat(path).encoding).toBe('utf-16le')
      expect((await rowsOf(path))[1]).toEqual(['DS/1', 'Café owner, £200 damage – it’s'])
    }
  })

  it('takes the separator from the header line, ignoring separators inside quotes', async () => {
    expect(sniffCsvFormat(file('semi.csv', 'Crime Ref;"Date, Reported";MO\n1;2;3\n')).delimiter).toBe(';')
    expect(sniffCsvFormat(file('tab.tsv', 'Crime Ref\tDate Reported\tMO\n')).delimiter).toBe('\t')
    expect(sniffCsvFormat(file('bar.csv', 'Crime Ref|Date Reported|MO\n')).delimiter).toBe('|')
    expect(sniffCsvFormat(file('one.csv', 'Crime Ref\n')).delimiter).toBe(',')
    const semi = file('semi-rows.csv', 'Crime Ref;MO\nDS/1;"a; b, c"\n')
    expect(await rowsOf(semi)).toEqual([
      ['Crime Ref', 'MO'],
      ['DS/1', 'a; b, c'],
    ])
  })

  it('keeps what it is told over what it would guess', () => {
    const path = file('told.csv', 'a;b,c,d\n')
    expect(sniffCsvFormat(path, { delimiter: ';', encoding: 'windows-1252' })).toEqual({
      encoding: 'windows-1252',
      delimiter: ';',
    })
  })

  it('tells text in any of these encodings from a binary file renamed .csv', () => {
    expect(looksLikeText(Buffer.from(TEXT))).toBe(true)
    expect(looksLikeText(Buffer.from(new TextEncoderWindows1252().encode(TEXT)))).toBe(true)
    expect(looksLikeText(Buffer.from('\ufeff' + TEXT, 'utf16le'))).toBe(true)
    expect(looksLikeText(Buffer.from(TEXT, 'utf16le'))).toBe(true)
    expect(looksLikeText(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]))).toBe(false)
    expect(looksLikeText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))).toBe(false)
    expect(looksLikeText(Buffer.from(Array.from({ length: 400 }, (_, index) => 1 + (index % 30))))).toBe(false)
  })

  it('keeps a character whose bytes the read splits between two pieces of the file, and a truncated one is an error', async () => {
    // The file is read a mebibyte at a time: put a 4-byte and a 3-byte character across that boundary.
    const before = 'Crime Ref,MO\n' + 'DS/0,' + 'x'.repeat((1 << 20) - 'Crime Ref,MO\nDS/0,'.length - 2)
    const path = file('boundary.csv', Buffer.from(`${before}🙂€ end\nDS/1,after\n`))
    const rows = await rowsOf(path)
    expect(rows[1][1].endsWith('🙂€ end')).toBe(true)
    expect(rows[2]).toEqual(['DS/1', 'after'])
    const cut = file('truncated.csv', Buffer.concat([Buffer.from('Crime Ref,MO\nDS/1,caf'), Buffer.from([0xe2, 0x82])]))
    const readAsUtf8 = async () => {
      for await (const row of csvFileRows(cut, () => {}, { encoding: 'utf-8', delimiter: ',' })) void row
    }
    await expect(readAsUtf8()).rejects.toBeInstanceOf(CsvSyntaxError)
  })

  it('names the line where a file taken for UTF-8 stops being UTF-8', async () => {
    const rows = Array.from({ length: 3000 }, (_, index) => `DS/${index},plain ascii narrative number ${index}`)
    const head = Buffer.from(['Crime Ref,MO', ...rows].join('\n') + '\n')
    expect(head.length).toBeGreaterThan(1 << 16)
    const path = file(
      'late.csv',
      Buffer.concat([head, Buffer.from('DS/X,caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    )
    expect(sniffCsvFormat(path).encoding).toBe('utf-8')
    const error = await rowsOf(path).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(CsvSyntaxError)
    expect((error as CsvSyntaxError).line).toBe(3002)
    expect((error as CsvSyntaxError).message).toMatch(/not UTF-8 .*"encoding": "windows-1252"/)
  })
})

/** Windows-1252 bytes for the test text (TextEncoder only writes UTF-8): Latin-1 plus the two characters used. */
class TextEncoderWindows1252 {
  encode(text: string): Uint8Array {
    const high: Record<string, number> = { '–': 0x96, '’': 0x92 }
    return Uint8Array.from(
      [...text].map((char) => {
        const code = char.codePointAt(0)!
        if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) return code
        if (high[char] === undefined) throw new Error(`${char} is not in this test's table`)
        return high[char]
      }),
    )
  }
}
