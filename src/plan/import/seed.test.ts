import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ParsedPlan, PlanItem } from '../model.ts'
import { readPlanDocument } from './index.ts'

const FIXTURE = new URL('../../../test/fixtures/plans/northamptonshire-seed.txt', import.meta.url)
const SHARED_SEED = new URL('../../../../shared/seeds/000_378b2abd87b4fcb5.txt', import.meta.url)

let plan: ParsedPlan
const item = (ref: string): PlanItem => {
  const found = plan.recommendations.flatMap((r) => r.items).find((i) => i.ref === ref)
  if (!found) throw new Error(`no item ${ref}`)
  return found
}

beforeAll(async () => {
  plan = await readPlanDocument(readFileSync(FIXTURE), 'northamptonshire-seed.txt')
})

describe('the seed: Northamptonshire Police Stalking Action Plan (converted table text)', () => {
  it('keeps a byte-identical copy of the shared seed', () => {
    let shared: Buffer
    try {
      shared = readFileSync(SHARED_SEED)
    } catch {
      return // the shared folder is not present in every checkout
    }
    expect(readFileSync(FIXTURE).equals(shared)).toBe(true)
  })

  it('is recognised by content as the seed text shape, with its header lines', () => {
    expect(plan.format).toBe('seed-text')
    expect(plan.force).toBe('Northamptonshire')
    expect(plan.executiveLead).toBe('ACC Emma James')
    expect(plan.operationalLead).toBe('DCS Paul Rymarz')
    expect(plan.title).toBe(
      "Force' Police Stalking Action Plan: in response to the Super Complaint submitted by Suzy Lamplugh Trust on behalf of the National Stalking Consortium",
    )
  })

  it('has 15 recommendations and 39 evidence items', () => {
    expect(plan.recommendations.map((r) => r.number)).toEqual([
      7, 10, 11, 12, 13, 14, 16, 17, 18, 20, 22, 23, 25, 27, 28,
    ])
    expect(plan.recommendations.map((r) => r.items.length)).toEqual([2, 5, 4, 4, 2, 5, 1, 1, 4, 4, 1, 1, 3, 1, 1])
    expect(plan.recommendations.flatMap((r) => r.items)).toHaveLength(39)
  })

  it('puts each item under the recommendation its number names, wherever the row sits', () => {
    const refsOf = (n: number): string[] => plan.recommendations.find((r) => r.number === n)!.items.map((i) => i.ref)
    expect(refsOf(11)).toEqual(['11.1', '11.2', '11.3', '11.4'])
    expect(refsOf(12)).toEqual(['12.1', '12.2', '12.3', '12.4'])
    expect(refsOf(18)).toEqual(['18.1', '18.2', '18.3', '18.4'])
    expect(refsOf(20)).toEqual(['20.1', '20.2', '20.3', '20.4'])
    expect(refsOf(14)).toEqual(['14.1', '14.2', '14.3', '14.4', '14.5'])
  })

  it('reads statuses, percentages and dates', () => {
    expect(item('11.2')).toMatchObject({ status: 'in_progress', statusLabel: 'In Progress 25%', percent: 25 })
    expect(item('10.1')).toMatchObject({ status: 'complete', statusLabel: 'Action Complete', percent: 100 })
    expect(item('7.1')).toMatchObject({ status: 'in_progress', statusLabel: 'In Progress', percent: null })
    expect(item('12.4')).toMatchObject({ status: 'in_progress', percent: 50 })
    expect(item('17.1')).toMatchObject({ status: 'in_progress', percent: 75 })
    expect(item('27.1')).toMatchObject({ status: 'complete', percent: 100 })
    const all = plan.recommendations.flatMap((r) => r.items)
    expect(all.filter((i) => i.status === 'complete').map((i) => i.ref)).toEqual([
      '10.1',
      '10.2',
      '10.4',
      '11.3',
      '11.4',
      '12.2',
      '13.1',
      '14.3',
      '14.4',
      '14.5',
      '27.1',
    ])
    for (const i of all) {
      expect(i.updates).toHaveLength(1)
      expect(i.updates[0]).toMatchObject({ date: '2024-11-20', heading: null })
      expect(i.status).toBe(i.updates[0].status)
    }
  })

  it('reads owners as written', () => {
    expect(item('7.1').owner).toBe('Chief Constable')
    expect(item('17.1').owner).toBe('Chief Constables')
    expect(item('16.1').owner).toBe('CCs, PCCs and their mayor equivalents')
    expect(item('27.1').owner).toBe('All bodies subject to recommendations')
  })

  it('takes the item number out of the requirement HTML and cleans every text', () => {
    expect(item('12.3').requirement).toBe(
      'Recognising (in policies, guidance and training) the heightened risk associated with breaches of protective orders and measures.',
    )
    expect(item('12.3').updates[0].text).toMatch(/^As part of the Domestic Abuse End to End review/)
    expect(item('11.1').updates[0].text).toContain('by the March 2025 deadline .')
    const rec12 = plan.recommendations.find((r) => r.number === 12)!
    expect(rec12.text).toBe(
      'By 27 March 2025, take steps to make sure that risk identification, assessment and management is effective in all stalking and breaches of orders cases.',
    )
    const texts = plan.recommendations.flatMap((r) => [
      r.text,
      ...r.items.flatMap((i) => [i.requirement, i.owner ?? '', ...i.updates.map((u) => u.text)]),
    ])
    for (const t of texts) {
      expect(t).not.toMatch(/<\/?[a-z]+>|\*\*|&amp;|&#|\t/)
      expect(t).not.toMatch(/ {2}/)
    }
  })

  it('keeps empty requirements and empty updates as empty, with their status', () => {
    expect(item('16.1').requirement).toBe('')
    expect(item('18.1').updates[0]).toMatchObject({ text: '', status: 'in_progress', percent: 25 })
    expect(item('7.1').documents).toEqual([])
  })

  it('reads each deadline from the recommendation text', () => {
    const deadline = (n: number): string | null => plan.recommendations.find((r) => r.number === n)!.deadline
    expect(deadline(7)).toBe('2025-03-27')
    expect(deadline(17)).toBe('2025-03-27')
    expect(deadline(22)).toBe('2025-09-27')
    expect(deadline(27)).toBe('2024-11-22')
    expect(deadline(28)).toBe('2025-11-22')
  })

  it('warns only where the plan disagrees with the report: recommendation 28 deadline', () => {
    expect(plan.warnings).toEqual([
      {
        location: 'line 53',
        message: "recommendation 28's deadline is 2025-11-22 in the document but 2024-11-22 in the report",
      },
    ])
  })
})
