import { describe, expect, it } from 'vitest'
import { ftsQuery } from '../data/crimeRepository.ts'
import { neutraliseCell } from '../../platform/csv.ts'
import { nextDay, normaliseIdentifier, normaliseName, normaliseTimestamp } from './normalise.ts'
import { crimeSearchSchema, searchToQuery } from './searchFilters.ts'

describe('crime normal forms', () => {
  it('normalises names for search: case, accents, apostrophes and hyphens', () => {
    expect(normaliseName("  O'Neill-Hart ")).toBe('oneill hart')
    expect(normaliseName('Zoë  Ó Briain')).toBe('zoe o briain')
    expect(normaliseName(null)).toBe('')
  })

  it('normalises identifiers whatever their kind', () => {
    expect(normaliseIdentifier('+44 7700 900123')).toBe('07700900123')
    expect(normaliseIdentifier('07700 900123')).toBe('07700900123')
    expect(normaliseIdentifier('@Bram_H')).toBe('bram_h')
    expect(normaliseIdentifier('AB12 CDE')).toBe('ab12cde')
    expect(normaliseIdentifier(' Someone@Example.NET ')).toBe('someone@example.net')
  })

  it('normalises reported times to UTC ISO and refuses what is not a date', () => {
    expect(normaliseTimestamp('2024-03-05')).toBe('2024-03-05T00:00:00.000Z')
    expect(normaliseTimestamp('2024-03-05T10:00:00+01:00')).toBe('2024-03-05T09:00:00.000Z')
    expect(normaliseTimestamp('yesterday')).toBeNull()
    expect(nextDay('2024-02-28')).toBe('2024-02-29')
    expect(nextDay('2024-12-31')).toBe('2025-01-01')
  })

  it('quotes every word of a full-text search so no FTS5 operator is interpreted', () => {
    expect(ftsQuery('following AND "near" OR -x*')).toBe('"following" "AND" "near" "OR" "x"')
    expect(ftsQuery('"()"')).toBe('')
  })

  it('neutralises spreadsheet formulas in CSV cells', () => {
    expect(neutraliseCell('=SUM(A1)')).toBe("'=SUM(A1)")
    expect(neutraliseCell('+44 7700')).toBe("'+44 7700")
    expect(neutraliseCell('@cmd')).toBe("'@cmd")
    expect(neutraliseCell('Response North')).toBe('Response North')
    expect(neutraliseCell(12)).toBe(12)
  })

  it('reads a search from the URL with defaults and writes it back without them', () => {
    const search = crimeSearchSchema.parse({ classification: '8Q', flags: 'online', page: '2', text: '  ' })
    expect(search).toMatchObject({
      classification: '8Q',
      match: 'either',
      flags: ['online'],
      page: 2,
      sort: 'reported',
    })
    expect(search.text).toBeUndefined()
    expect(searchToQuery(search)).toBe('classification=8Q&flags=online&page=2')
    expect(crimeSearchSchema.safeParse({ from: '2024-02-30' }).success).toBe(false)
    expect(crimeSearchSchema.safeParse({ from: '2024-03-02', to: '2024-03-01' }).success).toBe(false)
    expect(crimeSearchSchema.safeParse({ match: 'sideways' }).success).toBe(false)
  })
})
