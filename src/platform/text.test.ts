import { describe, expect, it } from 'vitest'
import { decodeWindows1252 } from './text.ts'

describe('decodeWindows1252', () => {
  it('gives the curly quotes, dashes, ellipsis and euro sign Word and Excel write, and Latin-1 as it is', () => {
    const bytes = Uint8Array.of(
      0x93,
      0x49,
      0x74,
      0x92,
      0x73,
      0x94,
      0x20,
      0x96,
      0x20,
      0x85,
      0x20,
      0x80,
      0x35,
      0x20,
      0xa3,
      0xe9,
    )
    expect(decodeWindows1252(bytes)).toBe('“It’s” – … €5 £é')
  })
})
