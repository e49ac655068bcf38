import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CatalogueError, DEFAULT_CATALOGUE_PATH, catalogueAsPlan, loadCatalogue, parseCatalogue } from './catalogue.ts'

describe('recommendation catalogue', () => {
  const catalogue = loadCatalogue()

  it('holds the 15 recommendations to forces with 39 evidence items and their source', () => {
    expect(catalogue.recommendations.map((r) => r.number)).toEqual([
      7, 10, 11, 12, 13, 14, 16, 17, 18, 20, 22, 23, 25, 27, 28,
    ])
    expect(catalogue.recommendations.flatMap((r) => r.evidence)).toHaveLength(39)
    expect(catalogue.source.published).toBe('2024-09')
    expect(catalogue.source.publishers).toEqual(['HMICFRS', 'College of Policing', 'IOPC'])
    expect(catalogue.source.wording).toContain('published force action plan')
  })

  it('has the report deadlines, with 28 corrected to 56 days from publication', () => {
    const deadline = (n: number): string | null => catalogue.recommendations.find((r) => r.number === n)!.deadline
    expect(deadline(7)).toBe('2025-03-27')
    expect(deadline(22)).toBe('2025-09-27')
    expect(deadline(27)).toBe('2024-11-22')
    expect(deadline(28)).toBe('2024-11-22')
    expect(catalogue.source.corrections.some((c) => c.startsWith('Recommendation 28'))).toBe(true)
    const r16 = catalogue.recommendations.find((r) => r.number === 16)!
    expect(r16.addressees).toEqual(['chief constables', 'police and crime commissioners and their mayor equivalents'])
    expect(r16.evidence).toEqual([{ ref: '16.1', requirement: '' }])
  })

  it('names the file and the field when data is bad', () => {
    const data = JSON.parse(readFileSync(DEFAULT_CATALOGUE_PATH, 'utf8'))
    data.recommendations[2].deadline = '27/03/2025'
    data.recommendations[3].evidence[0].ref = '13.1'
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'))
    const file = join(dir, 'bad.json')
    writeFileSync(file, JSON.stringify(data))
    expect(() => loadCatalogue(file)).toThrow(CatalogueError)
    expect(() => loadCatalogue(file)).toThrow(/bad\.json is not a valid recommendation catalogue/)
    expect(() => loadCatalogue(file)).toThrow(/recommendations\[2\]\.deadline: expected a date as YYYY-MM-DD/)
    expect(() => loadCatalogue(file)).toThrow(
      /recommendations\[3\]\.evidence\[0\]\.ref: item 13\.1 does not belong to recommendation 12/,
    )
    expect(() => parseCatalogue({ recommendations: [] }, 'x')).toThrow(
      /x is not a valid recommendation catalogue: source: /,
    )
    writeFileSync(file, '{ not json')
    expect(() => loadCatalogue(file)).toThrow(/bad\.json is not valid JSON/)
  })

  it('gives a new force an empty plan to start from', () => {
    const plan = catalogueAsPlan(catalogue, 'Wessex Vale Police')
    expect(plan.force).toBe('Wessex Vale Police')
    expect(plan.recommendations).toHaveLength(15)
    const items = plan.recommendations.flatMap((r) => r.items)
    expect(items).toHaveLength(39)
    for (const i of items) expect(i).toMatchObject({ status: 'not_started', updates: [], documents: [], owner: null })
    expect(plan.recommendations.find((r) => r.number === 12)!.items.map((i) => i.ref)).toEqual([
      '12.1',
      '12.2',
      '12.3',
      '12.4',
    ])
  })
})
