import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { generatePlanSchema, SCHEMA_PATH } from '../../scripts/generate-plan-schema.ts'
import {
  exportableFromParsed,
  interchangeSchema,
  isIsoPlanDate,
  latestUpdateDate,
  parseInterchangeJson,
  toInterchange,
  type InterchangeInput,
} from './interchange.ts'
import { PlanImportError, type ParsedPlan } from './model.ts'
import { wessexValePlan } from './export/test-plan.ts'
import { PROGRESS_METHOD } from './progress.ts'

const NOW = new Date('2025-03-01T09:30:00.000Z')

function minimal(): InterchangeInput {
  return {
    formatVersion: 1,
    force: 'Wessex Vale Police',
    recommendations: [
      {
        number: 7,
        text: 'Recommendation seven',
        deadline: '2025-03',
        items: [{ ref: '7.1', requirement: 'Requirement', updates: [{ text: 'Started', date: '2024-11-20' }] }],
      },
    ],
  }
}

function errorOf(fn: () => unknown): PlanImportError {
  try {
    fn()
  } catch (error) {
    if (error instanceof PlanImportError) return error
    throw error
  }
  throw new Error('expected a PlanImportError')
}

describe('toInterchange', () => {
  it('writes version, generation time, last updated, method and computed progress', () => {
    const doc = toInterchange(wessexValePlan(), { now: NOW })
    expect(doc.formatVersion).toBe(1)
    expect(doc.generatedAt).toBe('2025-03-01T09:30:00.000Z')
    expect(doc.lastUpdated).toBe('2025-02-14')
    expect(doc.publishedAt).toBe('2025-02-20T10:00:00.000Z')
    expect(doc.method).toBe(PROGRESS_METHOD)
    expect(doc.force).toBe('Wessex Vale Police')
    // Rec 7: (50 estimated + 25) / 2; rec 10: (100 + 0 + 50 estimated) / 3; rec 11 has no items.
    expect(doc.recommendations[0].progress).toEqual({ percent: 37.5, estimated: true })
    expect(doc.recommendations[1].progress).toEqual({ percent: 50, estimated: true })
    expect(doc.recommendations[2].progress).toEqual({ percent: null, estimated: false })
    expect(doc.progress).toEqual({ percent: 43.75, estimated: true })
    expect(doc.recommendations[0].items[1].progress).toEqual({ percent: 25, basis: 'stated', estimated: false })
  })

  it('produces a document the schema accepts', () => {
    const doc = toInterchange(wessexValePlan(), { now: NOW })
    expect(interchangeSchema.safeParse(JSON.parse(JSON.stringify(doc))).success).toBe(true)
  })
})

describe('round trip', () => {
  it('gives back the same plan through JSON text', () => {
    const plan = wessexValePlan()
    const text = JSON.stringify(toInterchange(plan, { now: NOW }), null, 2)
    const parsed = parseInterchangeJson(text, 'wessex.json')
    const { lastUpdated: _l, publishedAt: _p, ...rest } = plan
    expect(parsed).toEqual({ ...rest, format: 'json', warnings: [] })
    expect(exportableFromParsed(parsed, plan.publishedAt)).toEqual(plan)
  })
})

describe('parseInterchangeJson', () => {
  it('fills the optional fields a force may leave out', () => {
    const parsed: ParsedPlan = parseInterchangeJson(JSON.stringify(minimal()), 'plan.json')
    expect(parsed).toEqual({
      format: 'json',
      force: 'Wessex Vale Police',
      title: null,
      executiveLead: null,
      operationalLead: null,
      warnings: [],
      recommendations: [
        {
          number: 7,
          text: 'Recommendation seven',
          deadline: '2025-03',
          items: [
            {
              ref: '7.1',
              requirement: 'Requirement',
              owner: null,
              status: null,
              statusLabel: null,
              percent: null,
              documents: [],
              updates: [
                { date: '2024-11-20', heading: null, text: 'Started', status: null, statusLabel: null, percent: null },
              ],
            },
          ],
        },
      ],
    })
  })

  it('accepts a byte order mark', () => {
    expect(parseInterchangeJson('\uFEFF' + JSON.stringify(minimal()), 'plan.json').force).toBe('Wessex Vale Police')
  })

  it('names the JSON path of a bad date', () => {
    const doc = minimal()
    doc.recommendations.push({ number: 8, text: 'x', items: [] }, { number: 9, text: 'y', items: [] })
    doc.recommendations[2].items.push({ ref: '9.1', requirement: 'r', updates: [{ text: 'u', date: '20/11/2024' }] })
    const error = errorOf(() => parseInterchangeJson(JSON.stringify(doc), 'plan.json'))
    expect(error.location).toBe('recommendations[2].items[0].updates[0].date')
    expect(error.message).toBe('recommendations[2].items[0].updates[0].date: expected YYYY-MM-DD or YYYY-MM (or YYYY)')
  })

  it('rejects dates that are not on the calendar', () => {
    const doc = minimal()
    doc.recommendations[0].deadline = '2025-02-29'
    const error = errorOf(() => parseInterchangeJson(JSON.stringify(doc), 'plan.json'))
    expect(error.location).toBe('recommendations[0].deadline')
    expect(error.message).toMatch(/not a calendar date/)
  })

  it('rejects an unknown status, naming the allowed ones', () => {
    const doc = JSON.parse(JSON.stringify(minimal()))
    doc.recommendations[0].items[0].status = 'done'
    const error = errorOf(() => parseInterchangeJson(JSON.stringify(doc), 'plan.json'))
    expect(error.message).toBe(
      'recommendations[0].items[0].status: expected one of not_started, in_progress, complete or null',
    )
  })

  it('rejects a % outside 0..100', () => {
    const doc = JSON.parse(JSON.stringify(minimal()))
    doc.recommendations[0].items[0].percent = 125
    expect(errorOf(() => parseInterchangeJson(JSON.stringify(doc), 'p.json')).location).toBe(
      'recommendations[0].items[0].percent',
    )
  })

  it('names missing and unknown fields, and lists further problems', () => {
    const doc = JSON.parse(JSON.stringify(minimal()))
    delete doc.recommendations[0].items[0].requirement
    doc.recommendations[0].items[0].colour = 'red'
    const error = errorOf(() => parseInterchangeJson(JSON.stringify(doc), 'p.json'))
    expect(error.message).toContain('recommendations[0].items[0].requirement: required field is missing')
    expect(error.message).toContain('recommendations[0].items[0]: unknown field "colour"')
  })

  it('rejects duplicate recommendation numbers and evidence refs', () => {
    const doc = minimal()
    doc.recommendations.push({ number: 7, text: 'again', items: [] })
    expect(errorOf(() => parseInterchangeJson(JSON.stringify(doc), 'p.json')).message).toBe(
      'recommendations[1].number: recommendation 7 appears twice (first at recommendations[0])',
    )
    const refs = minimal()
    refs.recommendations.push({ number: 8, text: 'x', items: [{ ref: '7.1', requirement: 'r' }] })
    expect(errorOf(() => parseInterchangeJson(JSON.stringify(refs), 'p.json')).message).toBe(
      'recommendations[1].items[0].ref: evidence item 7.1 appears twice (first at recommendations[0].items[0])',
    )
  })

  it('rejects other format versions', () => {
    const doc = { ...minimal(), formatVersion: 2 }
    const error = errorOf(() => parseInterchangeJson(JSON.stringify(doc), 'p.json'))
    expect(error.location).toBe('formatVersion')
    expect(error.message).toMatch(/expected formatVersion 1/)
  })

  it('rejects unsafe document links', () => {
    const doc = JSON.parse(JSON.stringify(minimal()))
    doc.recommendations[0].items[0].documents = [{ name: 'x', url: 'javascript:alert(1)' }]
    expect(errorOf(() => parseInterchangeJson(JSON.stringify(doc), 'p.json')).location).toBe(
      'recommendations[0].items[0].documents[0].url',
    )
  })

  it('reports a JSON syntax error with file, line and column', () => {
    const error = errorOf(() => parseInterchangeJson('{\n  "formatVersion": 1,\n}', 'plan.json'))
    expect(error.location).toBe('plan.json, line 3, column 1')
    expect(error.message).toMatch(/^plan\.json, line 3, column 1: not valid JSON/)
  })

  it('rejects JSON that is not an object', () => {
    expect(errorOf(() => parseInterchangeJson('[1, 2]', 'plan.json')).message).toMatch(
      /plan\.json is not a Threadline plan/,
    )
  })

  it('warns about misplaced items, out-of-order updates and a status that disagrees with the latest update', () => {
    const doc = JSON.parse(JSON.stringify(minimal()))
    const item = doc.recommendations[0].items[0]
    item.ref = '12.1'
    item.status = 'complete'
    item.updates = [
      { text: 'b', date: '2025-02-01', status: 'in_progress' },
      { text: 'a', date: '2024-11-20', status: 'in_progress' },
    ]
    const parsed = parseInterchangeJson(JSON.stringify(doc), 'p.json')
    expect(parsed.warnings.map((w) => w.message)).toEqual([
      'evidence item 12.1 sits under recommendation 7',
      'updates are not oldest first',
      "item status complete differs from its latest update's status in_progress",
    ])
    expect(parsed.warnings[0].location).toBe('recommendations[0].items[0]')
  })
})

describe('dates', () => {
  it('accepts day, month and year precision and real calendar dates only', () => {
    for (const ok of ['2025-03-27', '2024-02-29', '2025-03', '2025']) expect(isIsoPlanDate(ok)).toBe(true)
    for (const bad of ['2025-02-29', '2025-13', '2025-3', '27/03/2025', '2025-03-27T00:00']) {
      expect(isIsoPlanDate(bad)).toBe(false)
    }
  })

  it('finds the latest update date across the plan', () => {
    expect(latestUpdateDate(wessexValePlan().recommendations)).toBe('2025-02-14')
    expect(latestUpdateDate([])).toBeNull()
  })
})

describe('docs/plan-interchange.schema.json', () => {
  it('is exactly what scripts/generate-plan-schema.ts generates', async () => {
    const committed = await readFile(SCHEMA_PATH, 'utf8')
    expect(committed).toBe(await generatePlanSchema())
  })

  it('describes the fields forces must send', async () => {
    const schema = JSON.parse(await readFile(SCHEMA_PATH, 'utf8'))
    expect(schema.required).toEqual(['formatVersion', 'force', 'recommendations'])
    expect(schema.additionalProperties).toBe(false)
  })
})

describe('docs/plan-interchange.md', () => {
  it('has an example that imports, with the progress figures the page states', async () => {
    const markdown = await readFile(new URL('../../docs/plan-interchange.md', import.meta.url), 'utf8')
    const example = /```json\n([\s\S]*?)\n```/.exec(markdown)?.[1]
    expect(example).toBeDefined()
    const parsed = parseInterchangeJson(example!, 'plan-interchange.md')
    expect(parsed.warnings).toEqual([])
    const doc = toInterchange(exportableFromParsed(parsed), { now: NOW })
    expect(doc.lastUpdated).toBe('2025-02-14')
    expect(doc.recommendations[0].items[0].progress?.percent).toBe(25)
    expect(doc.recommendations.map((r) => r.progress?.percent)).toEqual([25, 100])
    expect(doc.progress).toEqual({ percent: 62.5, estimated: false })
    expect(markdown).toContain('plan: 62.5%')
  })
})
