// The national tracker: every force of England and Wales (and British Transport Police), whether it has a plan, and
// its progress against every recommendation to forces. A recommendation a plan leaves out counts as "not addressed"
// (0%), and coverage is shown beside the score, so a plan never scores higher by leaving recommendations out.
import { stringify } from 'csv-stringify/sync'
import { forceCodeOf } from '../../platform/data/forces.ts'
import { POLICE_FORCES, type PoliceForce } from '../../platform/policeForces.ts'
import { itemProgress, ukDate } from '../progress.ts'
import {
  TRACKER_FORMAT_VERSION,
  TRACKER_METHOD,
  trackerCsvRows,
  type TrackerCell,
  type TrackerDocument,
  type TrackerForce,
} from '../tracker.ts'
import type { PlanAudience, PlanService, PlanView } from './planService.ts'

export type TrackerAudience = 'public' | 'national'

const oneDecimal = (value: number) => Math.round(value * 10) / 10

/**
 * One force's row from its plan as shown to the audience (null: no plan shown). `numbers` are the report's
 * recommendations to forces: the denominator of both the national % and coverage.
 */
export function trackerRow(
  force: Pick<TrackerForce, 'code' | 'name' | 'country' | 'listed'>,
  view: Pick<PlanView, 'recommendations' | 'lastUpdated' | 'lastApprovedAt' | 'published'> | null,
  numbers: number[],
  hasPlan: boolean,
): TrackerForce {
  const cells: TrackerCell[] = numbers.map((number) => {
    const rec = view?.recommendations.find((r) => r.number === number)
    if (!rec || rec.items.length === 0 || rec.progress.percent === null) {
      return { number, status: 'not_addressed', percent: null, overdue: false }
    }
    return {
      number,
      status: rec.status ?? 'no_status',
      percent: oneDecimal(rec.progress.percent),
      overdue: rec.overdue,
    }
  })
  const addressed = numbers
    .map((n) => view?.recommendations.find((r) => r.number === n))
    .filter((r) => r !== undefined && r.items.length > 0 && r.progress.percent !== null)
  const sum = addressed.reduce((total, r) => total + (r!.progress.percent ?? 0), 0)
  const total = numbers.length
  const count = (status: TrackerCell['status']) => cells.filter((c) => c.status === status).length
  return {
    ...force,
    hasPlan,
    published: view?.published ?? false,
    lastUpdated: view?.lastUpdated ?? null,
    lastApproved: view?.lastApprovedAt ?? null,
    recommendationsTotal: total,
    recommendationsInPlan: addressed.length,
    coveragePercent: total ? oneDecimal((addressed.length / total) * 100) : 0,
    complete: count('complete'),
    inProgress: count('in_progress'),
    notStarted: count('not_started') + count('no_status'),
    overdue: cells.filter((c) => c.overdue).length,
    notAddressed: count('not_addressed'),
    nationalPercent: total ? oneDecimal(sum / total) : 0,
    estimated: addressed.some((r) => r!.items.some((i) => itemProgress(i).estimated)),
    recommendations: cells,
  }
}

function listedFor(code: string): PoliceForce | undefined {
  return POLICE_FORCES.find((f) => f.code === code || (f.aliases ?? []).some((a) => forceCodeOf(a) === code))
}

/**
 * The tracker document. 'public': only published plans, and of them only approved content; 'national': every plan
 * as the force holds it (the signed-in national view).
 */
export async function nationalTracker(
  plans: PlanService,
  audience: TrackerAudience,
  options: { now?: Date } = {},
): Promise<TrackerDocument> {
  const now = options.now ?? new Date()
  const today = ukDate(now)
  const catalogue = plans.catalogue()
  const numbers = catalogue.recommendations.map((r) => r.number)
  const summaries = await plans.listPlans()
  const viewAudience: PlanAudience = audience === 'public' ? 'public' : 'force'
  const rows = new Map<string, TrackerForce>()
  for (const summary of summaries) {
    const listed = listedFor(summary.force_code)
    const shown = audience === 'national' || summary.published === 1
    const view = shown ? await plans.planView(summary.force_id, { today, audience: viewAudience }) : null
    const force = listed
      ? { code: listed.code, name: listed.name, country: listed.country, listed: true }
      : { code: summary.force_code, name: summary.force_name, country: null, listed: false }
    if (rows.has(force.code)) continue
    rows.set(force.code, trackerRow(force, view, numbers, view !== null))
  }
  for (const listed of POLICE_FORCES) {
    if (rows.has(listed.code)) continue
    const force = { code: listed.code, name: listed.name, country: listed.country, listed: true }
    rows.set(listed.code, trackerRow(force, null, numbers, false))
  }
  const forces = [...rows.values()].sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
  const withPlan = forces.filter((f) => f.hasPlan).length
  return {
    formatVersion: TRACKER_FORMAT_VERSION,
    generatedAt: now.toISOString(),
    audience,
    method: TRACKER_METHOD,
    recommendations: catalogue.recommendations.map((r) => ({ number: r.number, text: r.text, deadline: r.deadline })),
    totals: { forces: forces.length, withPlan, withoutPlan: forces.length - withPlan },
    forces,
  }
}

/** The tracker as CSV: UTF-8 with a byte order mark, CRLF line ends, one row per force (docs/national-tracker.md). */
export function trackerCsv(doc: TrackerDocument): Buffer {
  return Buffer.from(stringify(trackerCsvRows(doc), { bom: true, record_delimiter: 'windows' }), 'utf8')
}

export function trackerJson(doc: TrackerDocument): Buffer {
  return Buffer.from(`${JSON.stringify(doc, null, 2)}\n`, 'utf8')
}
