// The public national tracker (issue 16): every force of England and Wales and British Transport Police, with or
// without a plan; open data as CSV and JSON that validate against the documented schema; only approved content of
// published plans; a plan with 3 of the 15 recommendations never scores above one with all 15.
import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { parse } from 'csv-parse/sync'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { catalogueAsPlan } from '../../src/plan/catalogue/catalogue.ts'
import type { ParsedPlan } from '../../src/plan/model.ts'
import { sha256 } from '../../src/plan/services/planService.ts'
import { TRACKER_CSV_COLUMNS, trackerRecommendationColumns, type TrackerDocument } from '../../src/plan/tracker.ts'
import { POLICE_FORCES } from '../../src/platform/policeForces.ts'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { createTestApp, type TestApp } from '../support/app.ts'

const schema = JSON.parse(readFileSync('docs/national-tracker.schema.json', 'utf8'))

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: false })
  ajv.addSchema(schema, 'tracker')
  return {
    document: ajv.getSchema('tracker')!,
    force: ajv.compile({ $ref: 'tracker#/properties/forces/items' }),
  }
}

/** The catalogue plan with every item complete in the chosen recommendations and in progress (50%) in the rest. */
function planWith(t: TestApp, force: string, numbers: number[] | 'all', complete: number[]): ParsedPlan {
  const plan = catalogueAsPlan(t.services.plan.service.catalogue(), force)
  return {
    ...plan,
    format: 'test',
    recommendations: plan.recommendations
      .filter((r) => numbers === 'all' || numbers.includes(r.number))
      .map((r) => ({
        ...r,
        items: r.items.map((i) =>
          complete.includes(r.number)
            ? { ...i, status: 'complete' as const, statusLabel: 'Complete', percent: 100 }
            : { ...i, status: 'in_progress' as const, statusLabel: 'In progress 50%', percent: 50 },
        ),
      })),
  }
}

describe.each(['sqlite', 'postgres'] as const)('public national tracker (%s)', (dialect) => {
  let t: TestApp
  const three = [7, 10, 11]

  beforeAll(async () => {
    t = await createTestApp({ dialect })
    const plans = t.services.plan.service
    const load = async (parsed: ParsedPlan, force: string, publish: boolean) => {
      const result = await plans.importParsed(SYSTEM_ACTOR, parsed, {
        fileName: `${force}.json`,
        checksum: sha256(Buffer.from(force)),
        forceName: force,
      })
      if (publish) await plans.setPublished(SYSTEM_ACTOR, result.force.id, true)
      return result.force
    }
    // Kent: all 15 recommendations, the same three complete; Essex: only those three, complete.
    await load(planWith(t, 'Kent Police', 'all', three), 'Kent Police', true)
    await load(planWith(t, 'Essex Police', three, three), 'Essex Police', true)
    // Surrey has a plan it has not published: the public sees no plan.
    await load(planWith(t, 'Surrey Police', 'all', []), 'Surrey Police', false)
  })
  afterAll(() => t.close())

  const publicJson = async () =>
    JSON.parse((await request(t.app).get('/public/national.json').expect(200)).text) as TrackerDocument
  const row = (doc: TrackerDocument, code: string) => doc.forces.find((f) => f.code === code)!

  it('lists every force of England and Wales and British Transport Police, with or without a plan, without sign-in', async () => {
    const page = await request(t.app).get('/public/national').expect(200)
    for (const force of POLICE_FORCES) expect(page.text).toContain(force.name.replace(/'/g, '&#39;'))
    expect(page.text).toContain('Forces without a published plan')
    const doc = await publicJson()
    expect(
      doc.forces
        .filter((f) => f.listed)
        .map((f) => f.code)
        .sort(),
    ).toEqual(POLICE_FORCES.map((f) => f.code).sort())
    expect(row(doc, 'kent').hasPlan).toBe(true)
    expect(row(doc, 'gwent')).toMatchObject({
      hasPlan: false,
      notAddressed: 15,
      nationalPercent: 0,
      coveragePercent: 0,
    })
    expect(row(doc, 'surrey')).toMatchObject({ hasPlan: false, published: false, nationalPercent: 0 })
    expect(doc.totals.withPlan).toBe(doc.forces.filter((f) => f.hasPlan).length)
  })

  it('counts left-out recommendations as not addressed: 3 of 15 complete never scores above all 15', async () => {
    const doc = await publicJson()
    const kent = row(doc, 'kent')
    const essex = row(doc, 'essex')
    // Averaging only the recommendations a plan holds would give Essex 100% and Kent 60%.
    expect(essex).toMatchObject({ recommendationsInPlan: 3, coveragePercent: 20, notAddressed: 12, complete: 3 })
    expect(kent).toMatchObject({ recommendationsInPlan: 15, coveragePercent: 100, notAddressed: 0, complete: 3 })
    expect(essex.nationalPercent).toBe(20)
    expect(kent.nationalPercent).toBe(60)
    expect(essex.nationalPercent).toBeLessThanOrEqual(kent.nationalPercent)
    expect(essex.recommendations.find((c) => c.number === 12)).toMatchObject({ status: 'not_addressed', percent: null })
  })

  it('writes JSON that validates against docs/national-tracker.schema.json', async () => {
    const doc = await publicJson()
    const { document } = validator()
    expect(document(doc), JSON.stringify(document.errors)).toBe(true)
    // The schema can fail: a force without its coverage is refused.
    const broken = structuredClone(doc) as unknown as { forces: Record<string, unknown>[] }
    delete broken.forces[0].coveragePercent
    expect(document(broken)).toBe(false)
  })

  it('writes CSV with the documented columns whose rows validate as the JSON forces and agree with them', async () => {
    const response = await request(t.app).get('/public/national.csv').expect(200)
    expect(response.headers['content-type']).toMatch(/^text\/csv/)
    const rows = parse(response.text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[]
    const doc = await publicJson()
    const numbers = doc.recommendations.map((r) => r.number)
    expect(Object.keys(rows[0])).toEqual([
      ...TRACKER_CSV_COLUMNS.map(([column]) => column),
      ...trackerRecommendationColumns(numbers),
    ])
    expect(rows).toHaveLength(doc.forces.length)
    const { force: validForce } = validator()
    const numberFields = new Set([
      'recommendationsTotal',
      'recommendationsInPlan',
      'coveragePercent',
      'complete',
      'inProgress',
      'notStarted',
      'overdue',
      'notAddressed',
      'nationalPercent',
    ])
    for (const csvRow of rows) {
      const force: Record<string, unknown> = {}
      for (const [column, field] of TRACKER_CSV_COLUMNS) {
        const cell = csvRow[column]
        force[field] = numberFields.has(field)
          ? Number(cell)
          : cell === 'true'
            ? true
            : cell === 'false'
              ? false
              : cell === ''
                ? null
                : cell
      }
      force.recommendations = numbers.map((n) => ({
        number: n,
        status: csvRow[`rec_${n}_status`],
        percent: csvRow[`rec_${n}_percent`] === '' ? null : Number(csvRow[`rec_${n}_percent`]),
        overdue: doc.forces.find((f) => f.code === force.code)!.recommendations.find((c) => c.number === n)!.overdue,
      }))
      expect(validForce(force), `${csvRow.force_code}: ${JSON.stringify(validForce.errors)}`).toBe(true)
      expect(force).toEqual(doc.forces.find((f) => f.code === force.code))
    }
  })

  it('shows only approved content: a draft update on a published plan changes nothing public until approved', async () => {
    const plans = t.services.plan.service
    const essex = (await plans.findForce('Essex Police'))!
    const before = row(await publicJson(), 'essex')
    await plans.addUpdate(SYSTEM_ACTOR, essex.id, '7.1', {
      date: '2025-03-01',
      text: 'Reopened after review.',
      status: 'in_progress',
      percent: 10,
    })
    expect(row(await publicJson(), 'essex')).toEqual(before)
    const national = await t.signedInAs('national')
    const signedIn = JSON.parse((await national.get('/national/plans/export.json').expect(200)).text) as TrackerDocument
    expect(signedIn.audience).toBe('national')
    expect(row(signedIn, 'essex').nationalPercent).toBeLessThan(before.nationalPercent)
    expect(row(signedIn, 'surrey').hasPlan).toBe(true)
    await plans.approve(SYSTEM_ACTOR, essex.id, 'all', 'Checked')
    expect(row(await publicJson(), 'essex').nationalPercent).toBeLessThan(before.nationalPercent)
  })

  it('gives the signed-in national view the same export and the list of forces without a plan', async () => {
    const national = await t.signedInAs('national')
    const page = await national.get('/national/plans').expect(200)
    expect(page.text).toContain('Forces without a plan')
    expect(page.text).toContain('Gwent Police')
    expect(page.text).toContain('/national/plans/export.csv')
    const csv = await national.get('/national/plans/export.csv').expect(200)
    expect(csv.text).toContain('force_code,force_name')
    const officer = await t.signedInAs('officer')
    await officer.get('/national/plans/export.json').expect(403)
  })
})
