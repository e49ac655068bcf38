import { describe, expect, it } from 'vitest'
import { CsvSyntaxError, parseCsvChunk } from './csv.ts'

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
