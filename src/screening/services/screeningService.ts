// Screening: the queue (which crimes need a screener's eyes, and why), course-of-conduct linkage over the force's
// records, screeners' decisions, the stalking screening tool (S-DASH) and the measures. Every read of a crime or a
// person's record and every change is audited in the same transaction.
import type { Insertable, Transaction } from 'kysely'
import { stringify } from 'csv-stringify/sync'
import { z } from 'zod'
import { isRealDay } from '../../platform/days.ts'
import { neutraliseCell } from '../../platform/csv.ts'
import type { CrimeServices } from '../../crime/index.ts'
import type { ScreeningDatabase as Database } from '../data/tables.ts'
import { actorInForce, type ActorContext, type AuditService } from '../../platform/services/auditService.ts'
import type { QueueEntry, QueueState, ScreeningRepository, StoredCourse } from '../data/screeningRepository.ts'
import type { DecisionRow, PendingChangeKind, QueueStatus, ScreeningPendingChangesTable } from '../data/tables.ts'
import { explainNarrative, type NarrativeExplanation } from '../indicators/index.ts'
import { LinkageIndex, type CourseOfConduct } from '../linkage/conduct.ts'
import type { LinkageRecord } from '../linkage/types.ts'
import { closeJudges, judgeInWorker, judgeNarrative, type NarrativeJudgement } from './judgeWorker.ts'
import {
  highlightSegments,
  REASON_LABELS,
  screeningVerdict,
  type CourseFacts,
  type CrimeFacts,
  type ReasonKind,
  type ScreeningSettings,
} from './reasons.ts'
import { SDASH_QUESTIONS, yesCount, type SdashInput } from './sdash.ts'
import { FieldInputError, checkViewer, type Viewer } from '../../platform/services/viewer.ts'

export type { Viewer }

export class ScreeningInputError extends FieldInputError {}

export const OUTCOMES = ['stalking_identified', 'harassment_only', 'not_relevant'] as const
export const ACTIONS = ['add_included_8q', 'propose_reclassification'] as const
export const OUTCOME_LABELS: Record<(typeof OUTCOMES)[number], string> = {
  stalking_identified: 'Stalking identified',
  harassment_only: 'Harassment only, not stalking',
  not_relevant: 'Not relevant to stalking',
}
export const ACTION_LABELS: Record<(typeof ACTIONS)[number], string> = {
  add_included_8q: 'Add 8Q Stalking as an included classification',
  propose_reclassification: 'Propose reclassification with 8Q Stalking as the principal classification',
}

export const decisionSchema = z
  .object({
    outcome: z.enum(OUTCOMES, { message: 'Choose a decision' }),
    action: z.preprocess((value) => (value === '' ? undefined : value), z.enum(ACTIONS).optional()),
    rationale: z.preprocess(
      (value) => (typeof value === 'string' ? value.trim() : value),
      z.string().max(5000, 'The rationale must be 5000 characters or fewer').default(''),
    ),
  })
  .superRefine((value, ctx) => {
    if (!value.rationale) {
      ctx.addIssue({
        code: 'custom',
        path: ['rationale'],
        message:
          value.outcome === 'harassment_only'
            ? 'Explain why this is harassment and not stalking: say which of fixated, obsessive, unwanted or repeated (FOUR) is missing'
            : value.outcome === 'stalking_identified'
              ? 'Explain why this is stalking: the behaviour that is fixated, obsessive, unwanted and repeated (FOUR)'
              : 'Explain why this crime is not relevant to stalking',
      })
    }
  })
export type DecisionInput = z.output<typeof decisionSchema>

export interface ForceSettings {
  watched: string[]
  watchFormerPartners: boolean
  windowDays: number
  minIncidents: number
}

/** One entry of `threadline screening queue --json` (issue 14): the crime's force reference in `reference`. */
export interface QueueExportEntry {
  reference: string
  crimeId: number
  /** The principal classification's code; null for an intelligence report. */
  principal: string | null
  /** Included classification codes. */
  included: string[]
  reasons: string[]
  status: 'waiting' | 'decided'
  /** When the crime entered the queue (ISO date-time, UTC). */
  queuedAt: string
}

export const CHANGE_LABELS: Record<PendingChangeKind, string> = {
  add_included_classification: 'Add an included classification',
  flag_intelligence_stalking: 'Flag the intelligence report as stalking',
}
/** A pending change not confirmed by an extract this many days after the decision is flagged overdue. */
export const DEFAULT_OVERDUE_DAYS = 28

export const changesFilterSchema = z.object({
  since: z
    .preprocess(
      (value) => (value === '' ? undefined : value),
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date as YYYY-MM-DD')
        .refine(isRealDay, 'Enter a real date')
        .optional(),
    )
    .transform((value) => value ?? null),
  status: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.enum(['pending', 'confirmed', 'all'], { message: 'Choose pending, confirmed or all' }).default('all'),
  ),
  overdueDays: z.preprocess(
    (value) => (value === '' || value === undefined ? undefined : Number(value)),
    z
      .number({ message: 'Enter a whole number of days' })
      .int('Enter a whole number of days')
      .min(1, 'Enter a whole number of days, 1 or more')
      .default(DEFAULT_OVERDUE_DAYS),
  ),
})
export type ChangesFilter = z.output<typeof changesFilterSchema>

/** One change for the crime registrar: the records system should hold it (issue 14). */
export interface PendingChange {
  id: number
  reference: string
  crimeId: number
  kind: 'crime' | 'intelligence'
  change: PendingChangeKind
  /** "Add an included classification: 8Q Stalking". */
  description: string
  code: string | null
  decidedBy: string
  decidedAt: string
  reason: string
  status: 'pending' | 'confirmed'
  confirmedAt: string | null
  /** Still pending more than the overdue days after the decision. */
  overdue: boolean
}

export interface RunSummary {
  forceId: number
  mode: 'full' | 'incremental'
  linkage: 'full' | 'incremental'
  records: number
  screened: number
  queued: number
  updated: number
  removed: number
  courses: number
  coursesChanged: number
  reapplied: number
  /** Pending changes an imported extract showed the records system now carries. */
  confirmed: number
  open: number
  ms: number
}

export interface MeasureOptions {
  /** 'YYYY-MM-DD', inclusive: crimes reported from this day. */
  from: string
  /** 'YYYY-MM-DD', inclusive. */
  to: string
  /** "Screened within N days of being reported". */
  withinDays: number
}

export interface MeasureCell {
  eligible: number
  screened: number
  screenedWithin: number
  stalkingIdentified: number
  /** Share of eligible crimes screened within N days (0-1), null when none were eligible. */
  coverage: number | null
  /** Share of screened crimes screened in as stalking (0-1), null when none were screened. */
  yield: number | null
  /** Median days from report to first decision, null when none were screened. */
  medianDaysToScreen: number | null
}

export interface ScreeningMeasures {
  forceId: number
  from: string
  to: string
  withinDays: number
  total: MeasureCell
  byMonth: ({ month: string } & MeasureCell)[]
  byTeam: ({ team: string } & MeasureCell)[]
  byTeamAndMonth: ({ team: string; month: string } & MeasureCell)[]
}

const DAY_MS = 86_400_000
const LINKAGE_BATCH = 20000
/** Batches of narratives a full run's reading may be ahead of their judging (bounds the narratives held). */
const JUDGE_AHEAD = 4

/** Milliseconds spent in each phase of a run, for the benchmark (bench/screeningIncremental.ts); not audited. */
export type RunPhases = Record<string, number>

/** A clock that adds the time since its last call to the named phase. */
function phaseClock(phases: RunPhases | undefined): (name: string) => void {
  let last = performance.now()
  return (name) => {
    const now = performance.now()
    if (phases) phases[name] = (phases[name] ?? 0) + (now - last)
    last = now
  }
}
const NO_TEAM = 'No team recorded'

interface CachedIndex {
  index: LinkageIndex
  maxId: number
  windowDays: number
  minIncidents: number
  parties: Map<number, { crimeId: number; personId: number }>
}

function nextDay(date: string): string {
  const next = new Date(`${date}T00:00:00Z`)
  next.setUTCDate(next.getUTCDate() + 1)
  return next.toISOString().slice(0, 10)
}

export function daysBetween(fromIso: string, toIso: string): number {
  return Math.max(0, Math.floor((Date.parse(toIso) - Date.parse(fromIso)) / DAY_MS))
}

function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const value = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  return Math.round(value * 10) / 10
}

export class ScreeningService {
  private readonly indexes = new Map<number, CachedIndex>()

  constructor(
    private readonly repository: ScreeningRepository,
    private readonly audit: AuditService,
    private readonly crime: CrimeServices,
  ) {}

  // ---- Settings -----------------------------------------------------------------------------------------------

  /** The default watched classifications: the reference data's watchedByDefault classes. */
  defaultWatched(): string[] {
    return this.crime.catalogue.classes.filter((entry) => entry.watchedByDefault).map((entry) => entry.code)
  }

  stalkingCodes(): string[] {
    return this.crime.catalogue.classes.filter((entry) => entry.isStalking).map((entry) => entry.code)
  }

  codeName(code: string): string {
    return this.crime.catalogue.name(code)
  }

  async settings(forceId: number, repository = this.repository): Promise<ForceSettings> {
    const row = await repository.config(forceId)
    if (!row) return { watched: this.defaultWatched(), watchFormerPartners: true, windowDays: 365, minIncidents: 2 }
    return {
      watched: JSON.parse(row.watched_codes) as string[],
      watchFormerPartners: row.watch_former_partners === 1,
      windowDays: row.window_days,
      minIncidents: row.min_incidents,
    }
  }

  async saveSettings(actor: ActorContext, forceId: number, settings: ForceSettings): Promise<void> {
    const unknown = settings.watched.filter((code) => !this.crime.catalogue.canonical(code))
    if (unknown.length) throw new ScreeningInputError({ watched: `Not a known offence code: ${unknown.join(', ')}` })
    if (settings.watched.length === 0) {
      throw new ScreeningInputError({ watched: 'Choose at least one classification to screen for stalking' })
    }
    if (!Number.isInteger(settings.windowDays) || settings.windowDays < 1) {
      throw new ScreeningInputError({ windowDays: 'The window must be a whole number of days, 1 or more' })
    }
    if (!Number.isInteger(settings.minIncidents) || settings.minIncidents < 2) {
      throw new ScreeningInputError({ minIncidents: 'A course of conduct needs at least 2 incidents' })
    }
    await this.repository.transaction(async (repository, trx) => {
      await repository.saveConfig({
        force_id: forceId,
        watched_codes: JSON.stringify(settings.watched.map((code) => this.crime.catalogue.canonical(code) as string)),
        watch_former_partners: settings.watchFormerPartners ? 1 : 0,
        window_days: settings.windowDays,
        min_incidents: settings.minIncidents,
        updated_by: actor.actorUsername,
        updated_at: new Date().toISOString(),
      })
      await this.audit.record(trx, actor, {
        action: 'screening.settings.changed',
        subjectType: 'force',
        subjectId: forceId,
        details: { ...settings },
      })
    })
    this.indexes.delete(forceId)
  }

  explain(narrative: string): NarrativeExplanation {
    return explainNarrative(narrative)
  }

  // ---- Runs: queue and linkage --------------------------------------------------------------------------------

  /** Screens every force that has crimes. */
  async runAll(actor: ActorContext, options: { mode?: 'full' | 'incremental' } = {}): Promise<RunSummary[]> {
    const forces = await this.repository.forcesWithCrimes()
    const out: RunSummary[] = []
    for (const force of forces) out.push(await this.run(actorInForce(actor, force.id), force.id, options))
    return out
  }

  async forceByName(name: string) {
    return this.repository.forceByName(name)
  }

  /**
   * Links the force's records into courses of conduct and brings the queue up to date. Full: every record is linked
   * afresh and every crime screened. Incremental: only crimes new or changed since the last run are screened (with
   * every crime in a course that changed); linkage adds the new records to the index kept from the last run in this
   * process, or runs in full when there is none or an already-linked record changed. One transaction, audited.
   */
  async run(
    actor: ActorContext,
    forceId: number,
    options: { mode?: 'full' | 'incremental'; phases?: RunPhases } = {},
  ): Promise<RunSummary> {
    const started = performance.now()
    const mode = options.mode ?? 'full'
    const phase = phaseClock(options.phases)
    const summary = await this.repository.transaction((repository, trx) =>
      this.audit.heldUntilEnd(trx, async () => {
        phase('begin')
        const settings = await this.settings(forceId, repository)
        const last = await repository.lastRun(forceId)
        const latest = await repository.latestCrimeUpdate(forceId)
        const incremental = mode === 'incremental' && last !== undefined
        // An incremental run starts from the crimes updated since the last run; any other run screens every record,
        // which it reads in the same pass as linkage (below).
        const changedIds = incremental ? await repository.crimeIdsUpdatedAfter(forceId, last.crimes_updated_until) : []
        const rules = this.screeningRules(settings)
        const judged: JudgedCrime[] = []
        phase('changed ids')

        // Linkage.
        const cached = this.indexes.get(forceId)
        const canAdd =
          incremental &&
          cached !== undefined &&
          cached.windowDays === settings.windowDays &&
          cached.minIncidents === settings.minIncidents &&
          changedIds.every((id) => id > cached.maxId)
        let linkage: 'full' | 'incremental'
        let changedCourses: CourseOfConduct[]
        let removedKeys: string[]
        let records: number
        let allCourses: CourseOfConduct[] = []
        const affected = new Set<number>()
        if (canAdd) {
          linkage = 'incremental'
          const batch = { records: [] as LinkageRecord[] }
          let after = cached.maxId
          for (;;) {
            const next = await repository.linkageBatch(forceId, after, LINKAGE_BATCH)
            if (next.records.length === 0) break
            batch.records.push(...next.records)
            for (const [id, info] of next.parties) cached.parties.set(id, info)
            after = next.lastId
          }
          records = batch.records.length
          phase('linkage read')
          const result = cached.index.add(batch.records)
          phase('linkage')
          cached.maxId = after
          changedCourses = result.changedCourses
          removedKeys = result.removedCourseIds
          const removedMembers = await repository.crimeIdsOfCourses(forceId, removedKeys)
          for (const id of removedMembers) affected.add(id)
          await repository.deleteCourses(forceId, removedKeys)
          await repository.saveCourses(forceId, changedCourses.map(storedCourse), cached.parties)
          phase('linkage write')
        } else {
          linkage = 'full'
          const index = new LinkageIndex({ windowDays: settings.windowDays, minIncidents: settings.minIncidents })
          const parties = new Map<number, { crimeId: number; personId: number }>()
          // Every record is read first and added at once: into an empty index that is the resolver's full-run path
          // (block sizes known up front, a union-find over typed arrays), several times faster than adding batch after
          // batch, with the same courses (they do not depend on batch boundaries). A run that screens every record
          // judges each narrative in the same pass, keeping only what the verdict needs, so the crimes are read once.
          // The narratives are judged on a worker thread meanwhile, at most JUDGE_AHEAD batches behind the reading.
          const all: LinkageRecord[] = []
          const judging: Promise<JudgedCrime[]>[] = []
          let after = 0
          for (;;) {
            if (judging.length >= JUDGE_AHEAD) {
              for (const crime of await judging.shift()!) judged.push(crime)
              phase('screen judge (waiting for the worker)')
            }
            const next = await repository.linkageBatch(forceId, after, LINKAGE_BATCH, { screening: !incremental })
            phase('linkage read')
            if (next.records.length === 0) break
            for (const record of next.records) all.push(record)
            for (const [id, info] of next.parties) parties.set(id, info)
            after = next.lastId
            if (next.screening.length > 0) judging.push(judgeBatchInWorker(next.screening, rules))
          }
          records = all.length
          index.add(all)
          all.length = 0
          const courses = index.courses()
          allCourses = courses
          phase('linkage')
          for (const batch of judging) for (const crime of await batch) judged.push(crime)
          // The worker is ended with the run: an idle worker would keep a command-line run's process alive.
          if (!incremental) await closeJudges()
          phase('screen judge (waiting for the worker)')
          const before = await repository.courseMembership(forceId)
          const afterKeys = new Set(courses.map((course) => course.id))
          removedKeys = [...before.keys()].filter((key) => !afterKeys.has(key))
          for (const key of removedKeys) for (const id of before.get(key) ?? []) affected.add(id)
          changedCourses = courses.filter((course) => before.get(course.id)?.join(',') !== course.recordIds.join(','))
          await repository.deleteCourses(forceId)
          await repository.saveCourses(forceId, courses.map(storedCourse), parties, { replacing: false })
          phase('linkage write')
          this.indexes.set(forceId, {
            index,
            maxId: after,
            windowDays: settings.windowDays,
            minIncidents: settings.minIncidents,
            parties,
          })
        }
        for (const course of changedCourses) for (const id of course.recordIds) affected.add(id)

        // Queue.
        let queue: { queued: number; updated: number; removed: number }
        let screened: number
        if (!incremental) {
          // Every record was judged in the linkage pass: the courses are the ones just stored, the queue is read whole.
          const coursesOf = new Map<number, CourseFacts[]>()
          for (const course of allCourses) {
            const facts = {
              incidents: course.incidents.length,
              firstReportedAt: course.firstReportedAt,
              classifications: course.classifications,
            }
            for (const id of course.recordIds) {
              const list = coursesOf.get(id)
              if (list) list.push(facts)
              else coursesOf.set(id, [facts])
            }
          }
          const existing = await repository.queueStates(forceId)
          phase('screen read')
          queue = await this.queueVerdicts(repository, forceId, rules, judged, coursesOf, existing, phase)
          screened = judged.length
        } else {
          const candidates = [...new Set([...changedIds, ...affected])]
          queue = await this.screenCrimes(repository, forceId, rules, candidates, phase)
          screened = candidates.length
        }
        const importedIds =
          incremental || !last
            ? incremental
              ? changedIds
              : judged.map((crime) => crime.id)
            : await repository.crimeIdsUpdatedAfter(forceId, last.crimes_updated_until)
        judged.length = 0
        const confirmed = await this.confirmChanges(repository, trx, actor, forceId, importedIds)
        phase('confirm changes')
        const reapplied = await this.reapplyDecisions(repository, trx, actor, forceId)
        phase('reapply decisions')
        const counts = await repository.queueCounts(forceId)
        const result: RunSummary = {
          forceId,
          mode: incremental ? 'incremental' : 'full',
          linkage,
          records,
          screened,
          ...queue,
          courses: await repository.courseCount(forceId),
          coursesChanged: changedCourses.length + removedKeys.length,
          reapplied,
          confirmed,
          open: counts.open,
          ms: 0,
        }
        await repository.saveRun(forceId, latest ?? new Date(0).toISOString(), result)
        await this.audit.record(trx, actor, {
          action: 'screening.run',
          subjectType: 'force',
          subjectId: forceId,
          details: { ...result },
        })
        phase('counts and run record')
        return result
      }),
    )
    phase('audit and commit')
    summary.ms = Math.round(performance.now() - started)
    return summary
  }

  /** The incremental run, for callers that know crimes were just imported (the crime area, the queue page). */
  async screenChangedCrimes(actor: ActorContext, forceId: number): Promise<RunSummary> {
    return this.run(actor, forceId, { mode: 'incremental' })
  }

  /** The force's screening rules from its settings. */
  private screeningRules(settings: ForceSettings): ScreeningSettings {
    return {
      watched: new Set(settings.watched),
      stalkingCodes: new Set(this.stalkingCodes()),
      watchFormerPartners: settings.watchFormerPartners,
    }
  }

  /** Screens these crimes (an incremental run): read in chunks, judged, and the queue brought up to date. */
  private async screenCrimes(
    repository: ScreeningRepository,
    forceId: number,
    rules: ScreeningSettings,
    crimeIds: number[],
    phase: (name: string) => void = () => {},
  ): Promise<{ queued: number; updated: number; removed: number }> {
    const total = { queued: 0, updated: 0, removed: 0 }
    for (let start = 0; start < crimeIds.length; start += 2000) {
      const ids = crimeIds.slice(start, start + 2000)
      const crimes = await repository.screenableCrimes(ids)
      const courses = await repository.coursesOfCrimes(ids)
      const existing = await repository.queueEntries(ids)
      phase('screen read')
      const judged = crimes.map((crime) => judgeCrime(crime, rules))
      phase('screen judge')
      const coursesOf = new Map<number, CourseFacts[]>()
      for (const [id, list] of courses) {
        coursesOf.set(
          id,
          list.map((course) => ({
            incidents: course.incident_count,
            firstReportedAt: course.first_reported_at,
            classifications: JSON.parse(course.classifications) as string[],
          })),
        )
      }
      const counts = await this.queueVerdicts(repository, forceId, rules, judged, coursesOf, existing, phase)
      total.queued += counts.queued
      total.updated += counts.updated
      total.removed += counts.removed
    }
    return total
  }

  /**
   * The verdict on each judged crime (in id order) with its courses, and the queue brought up to date: new entries
   * inserted, changed reasons updated, open entries of crimes that no longer need screening removed.
   */
  private async queueVerdicts(
    repository: ScreeningRepository,
    forceId: number,
    rules: ScreeningSettings,
    judged: JudgedCrime[],
    coursesOf: Map<number, CourseFacts[]>,
    existing: Map<number, QueueState>,
    phase: (name: string) => void,
  ): Promise<{ queued: number; updated: number; removed: number }> {
    const name = (code: string) => this.codeName(code)
    const fresh: QueueEntry[] = []
    const gone: number[] = []
    let updated = 0
    for (const crime of judged) {
      const verdict = screeningVerdict(
        crime.facts,
        rules,
        crime.explanation ?? NO_INDICATORS,
        coursesOf.get(crime.id) ?? [],
        name,
      )
      const entry = existing.get(crime.id)
      if (!verdict.eligible) {
        if (entry?.status === 'open') gone.push(crime.id)
        continue
      }
      const row = {
        crime_id: crime.id,
        reasons: verdict.reasons,
        reason_kinds: verdict.kinds,
        suggests_stalking: verdict.suggestsStalking,
        reported_at: crime.reportedAt,
      }
      if (!entry) fresh.push(row)
      else if (entry.reasons !== JSON.stringify(row.reasons) || entry.reported_at !== row.reported_at) {
        phase('screen verdict')
        await repository.updateQueueReasons(row)
        updated++
        phase('screen write')
      }
    }
    phase('screen verdict')
    await repository.insertQueueEntries(forceId, fresh)
    await repository.removeOpenEntries(gone)
    phase('screen write')
    return { queued: fresh.length, updated, removed: gone.length }
  }

  private async listPendingChange(
    repository: ScreeningRepository,
    trx: Transaction<Database>,
    actor: ActorContext,
    crime: { id: number; force_id: number; force_reference: string },
    change: Omit<Insertable<ScreeningPendingChangesTable>, 'force_id' | 'crime_id' | 'status'>,
  ): Promise<void> {
    const id = await repository.insertPendingChange({
      ...change,
      force_id: crime.force_id,
      crime_id: crime.id,
      status: 'pending',
    })
    await this.audit.record(trx, actor, {
      action: 'screening.change.pending',
      subjectType: 'crime',
      subjectId: crime.id,
      details: { pendingChangeId: id, reference: crime.force_reference, change: change.change, code: change.code },
    })
  }

  /**
   * Marks confirmed each pending change the records system now carries. Only crimes imported since the last run are
   * looked at, before decisions are re-applied: their classifications and flag are then exactly what the extract
   * said, so an 8Q or a flag there came from the records system, not from Threadline.
   */
  private async confirmChanges(
    repository: ScreeningRepository,
    trx: Transaction<Database>,
    actor: ActorContext,
    forceId: number,
    importedIds: number[],
  ): Promise<number> {
    const open = await repository.unconfirmedChanges(forceId, importedIds)
    if (open.length === 0) return 0
    const state = await repository.recordsSystemState([...new Set(open.map((change) => change.crime_id))])
    const now = new Date().toISOString()
    let confirmed = 0
    for (const change of open) {
      const record = state.get(change.crime_id)
      if (!record) continue
      const carried =
        change.change === 'flag_intelligence_stalking'
          ? record.stalkingFlag
          : change.code !== null && record.codes.has(change.code)
      if (!carried) continue
      await repository.confirmChange(change.id, now, actor.actorUsername)
      await this.audit.record(trx, actor, {
        action: 'screening.change.confirmed',
        subjectType: 'crime',
        subjectId: change.crime_id,
        details: { pendingChangeId: change.id, change: change.change, code: change.code },
      })
      confirmed++
    }
    return confirmed
  }

  /** A re-import writes a crime's classifications afresh from the records system: put back 8Q added by decisions. */
  private async reapplyDecisions(
    repository: ScreeningRepository,
    trx: Transaction<Database>,
    actor: ActorContext,
    forceId: number,
  ): Promise<number> {
    let count = 0
    const stalking = this.stalkingCodes()
    const seen = new Set<number>()
    const decisions = await repository.addIncludedDecisions(forceId)
    // Which of the decided crimes still carry a stalking classification: one read for all, not one per decision.
    const carrying = await repository.crimesCarrying(
      [...new Set(decisions.map((decision) => decision.crime_id))],
      stalking,
    )
    for (const decision of decisions) {
      if (seen.has(decision.crime_id)) continue
      seen.add(decision.crime_id)
      const crimes = this.crime.repository.with(trx)
      if (carrying.has(decision.crime_id)) continue
      const crime = await crimes.crimeById(decision.crime_id)
      if (!crime) continue
      await crimes.addIncludedClassification(
        crime,
        '8Q',
        this.crime.catalogue.searchKeys('8Q'),
        decision.decided_by,
        decision.rationale,
        decision.decided_at,
      )
      await this.audit.record(trx, actor, {
        action: 'crime.classification.added',
        subjectType: 'crime',
        subjectId: crime.id,
        details: { code: '8Q', role: 'included', reapplied: true, decisionId: decision.id },
      })
      count++
    }
    // And the stalking flag a screener put on an intelligence report, when the extract does not carry it.
    for (const decision of await repository.intelligenceFlagDecisions(forceId)) {
      if (decision.stalking_flag === 1 || seen.has(decision.crime_id)) continue
      seen.add(decision.crime_id)
      await this.crime.repository.with(trx).setStalkingFlag(decision.crime_id)
      await this.audit.record(trx, actor, {
        action: 'crime.stalking_flag.set',
        subjectType: 'crime',
        subjectId: decision.crime_id,
        details: { reapplied: true, decisionId: decision.id },
      })
      count++
    }
    return count
  }

  // ---- The queue ----------------------------------------------------------------------------------------------

  async queue(
    viewer: Viewer,
    filters: {
      status: QueueStatus | 'all'
      team?: string
      classification?: string
      reason?: ReasonKind
      from?: string
      to?: string
    },
    page: number,
    pageSize: number,
  ) {
    checkViewer(viewer, 'screening:read')
    const now = new Date().toISOString()
    return this.repository.transaction(async (repository, trx) => {
      const { rows, total } = await repository.listQueue(
        viewer.forceId,
        {
          status: filters.status,
          ...(filters.team ? { team: filters.team } : {}),
          ...(filters.classification
            ? { classification: this.crime.catalogue.canonical(filters.classification) ?? filters.classification }
            : {}),
          ...(filters.reason ? { reason: filters.reason } : {}),
          ...(filters.from ? { reportedFrom: filters.from } : {}),
          ...(filters.to ? { reportedBefore: nextDay(filters.to) } : {}),
        },
        pageSize,
        (page - 1) * pageSize,
      )
      await this.audit.record(trx, viewer.actor, {
        action: 'screening.queue.viewed',
        subjectType: 'screening-queue',
        subjectId: null,
        details: { filters, total, shown: rows.map((row) => row.crime_id) },
      })
      return {
        total,
        page,
        pageSize,
        pageCount: Math.max(1, Math.ceil(total / pageSize)),
        entries: rows.map((row) => ({
          crimeId: row.crime_id,
          reference: row.force_reference,
          principal: row.principal_code ? { code: row.principal_code, name: this.codeName(row.principal_code) } : null,
          team: row.team,
          reportedAt: row.reported_at,
          status: row.status,
          outcome: row.outcome,
          outcomeLabel: row.outcome ? OUTCOME_LABELS[row.outcome as keyof typeof OUTCOME_LABELS] : null,
          daysSinceReport: daysBetween(row.reported_at, row.decided_at ?? now),
          reasons: JSON.parse(row.reasons) as string[],
          kinds: (JSON.parse(row.reason_kinds) as ReasonKind[]).map((kind) => ({ kind, label: REASON_LABELS[kind] })),
          suggestsStalking: row.suggests_stalking === 1,
        })),
      }
    })
  }

  /**
   * The whole queue of a force for `threadline screening queue`: one entry per crime, in the documented shape
   * (status 'waiting' or 'decided'). The read is audited.
   */
  async queueExport(
    actor: ActorContext,
    forceId: number,
    status: 'waiting' | 'decided' | 'all',
  ): Promise<QueueExportEntry[]> {
    return this.repository.transaction(async (repository, trx) => {
      const rows = await repository.queueForExport(
        forceId,
        status === 'all' ? undefined : status === 'waiting' ? 'open' : 'decided',
      )
      await this.audit.record(trx, actor, {
        action: 'screening.queue.exported',
        subjectType: 'screening-queue',
        subjectId: null,
        details: { forceId, status, shown: rows.map((row) => row.crime_id) },
      })
      return rows.map((row) => ({
        reference: row.force_reference,
        crimeId: row.crime_id,
        principal: row.principal_code,
        included: row.included,
        reasons: JSON.parse(row.reasons) as string[],
        status: row.status === 'open' ? ('waiting' as const) : ('decided' as const),
        queuedAt: row.entered_at,
      }))
    })
  }

  // ---- Pending changes for the records system ------------------------------------------------------------------

  /**
   * The force's pending changes for the registrar's page and its exports (those who bring the records system's
   * extracts in: case:import); the read is audited.
   */
  async changesFor(viewer: Viewer, filter: ChangesFilter, exported = false): Promise<PendingChange[]> {
    checkViewer(viewer, 'case:import')
    return this.changes(viewer.actor, viewer.forceId, filter, exported)
  }

  /** The force's pending changes (CLI and the above), audited as viewed or exported. */
  async changes(
    actor: ActorContext,
    forceId: number,
    filter: ChangesFilter,
    exported = false,
  ): Promise<PendingChange[]> {
    return this.repository.transaction(async (repository, trx) => {
      const rows = await repository.pendingChanges(forceId, {
        since: filter.since ? `${filter.since}T00:00:00.000Z` : null,
        status: filter.status,
      })
      const now = Date.now()
      await this.audit.record(trx, actor, {
        action: exported ? 'screening.changes.exported' : 'screening.changes.viewed',
        subjectType: 'force',
        subjectId: forceId,
        details: { ...filter, shown: rows.map((row) => row.id) },
      })
      return rows.map((row) => ({
        id: row.id,
        reference: row.force_reference,
        crimeId: row.crime_id,
        kind: row.kind,
        change: row.change,
        description: row.code
          ? `${CHANGE_LABELS[row.change]}: ${row.code} ${this.codeName(row.code)}`
          : CHANGE_LABELS[row.change],
        code: row.code,
        decidedBy: row.decided_by,
        decidedAt: row.decided_at,
        reason: row.reason,
        status: row.status,
        confirmedAt: row.confirmed_at,
        overdue: row.status === 'pending' && now - Date.parse(row.decided_at) > filter.overdueDays * DAY_MS,
      }))
    })
  }

  async teams(forceId: number): Promise<string[]> {
    return this.repository.teams(forceId)
  }

  // ---- One crime ----------------------------------------------------------------------------------------------

  /** Everything a screener needs on one crime; the read is audited. Undefined when there is no such crime. */
  async crimeView(viewer: Viewer, crimeId: number) {
    checkViewer(viewer, 'screening:read')
    return this.repository.transaction(async (repository, trx) => {
      const crimes = this.crime.repository.with(trx)
      const crime = await crimes.crimeById(crimeId)
      if (!crime) return undefined
      checkViewer(viewer, 'screening:read', crime.force_id)
      const [classifications, parties, entries, courseMap, decisions, assessments, personKeys] = await Promise.all([
        crimes.classificationsOf(crimeId),
        crimes.partiesOf(crimeId),
        repository.queueEntries([crimeId]),
        repository.coursesOfCrimes([crimeId]),
        repository.decisionsOfCrimes([crimeId]),
        repository.assessmentsOf(crimeId),
        repository.personKeysOfCrime(crimeId),
      ])
      const courses = courseMap.get(crimeId) ?? []
      const linkedIds = [...new Set(courses.flatMap((course) => course.crimeIds))]
      const timeline = await repository.timelineRecords(linkedIds)
      const pairKeys = [...new Set(courses.map((course) => course.pair_key))]
      const pairDecisions = [
        ...(await repository.decisionsOfCrimes(linkedIds.filter((id) => id !== crimeId))),
        ...(await repository.decisionsOnPairs(crime.force_id, pairKeys)),
      ]
      const earlier = new Map<number, DecisionRow>()
      for (const decision of pairDecisions) if (decision.crime_id !== crimeId) earlier.set(decision.id, decision)
      const references = await repository.timelineRecords([...new Set([...earlier.values()].map((d) => d.crime_id))])
      const referenceOf = new Map(references.map((record) => [record.id, record.force_reference]))
      const explanation = explainNarrative(crime.narrative)
      const entry = entries.get(crimeId)
      await this.audit.record(trx, viewer.actor, {
        action: 'screening.crime.viewed',
        subjectType: 'crime',
        subjectId: crimeId,
        details: {
          reference: crime.force_reference,
          people: parties.map((party) => party.person_id),
          linkedCrimes: linkedIds.filter((id) => id !== crimeId),
        },
      })
      const describe = (decision: DecisionRow) => ({
        ...decision,
        outcomeLabel: OUTCOME_LABELS[decision.outcome],
        actionLabel: decision.action ? ACTION_LABELS[decision.action] : null,
        reference: referenceOf.get(decision.crime_id) ?? null,
      })
      const latestAssessment = assessments[0]
      return {
        crime,
        principal: crime.principal_code
          ? { code: crime.principal_code, name: this.codeName(crime.principal_code) }
          : null,
        classifications: classifications.map((entry) => ({ ...entry, name: this.codeName(entry.code) })),
        recordedAsStalking: classifications.some((entry) => this.stalkingCodes().includes(entry.code)),
        parties: parties.map((party) => ({
          ...party,
          personKey:
            personKeys.find((key) => key.role === party.role && key.person_id === party.person_id)?.person_key ?? null,
        })),
        entry: entry
          ? {
              status: entry.status,
              enteredAt: entry.entered_at,
              reasons: JSON.parse(entry.reasons) as string[],
              daysSinceReport: daysBetween(crime.reported_at, new Date().toISOString()),
            }
          : null,
        explanation,
        segments: highlightSegments(crime.narrative, explanation.indicators),
        courses: courses.map((course) => ({
          key: course.course_key,
          pairKey: course.pair_key,
          firstReportedAt: course.first_reported_at,
          lastReportedAt: course.last_reported_at,
          incidents: course.incident_count,
          reasons: JSON.parse(course.reasons) as string[],
          records: timeline
            .filter((record) => course.crimeIds.includes(record.id))
            .map((record) => ({
              ...record,
              principalName: record.principal_code ? this.codeName(record.principal_code) : null,
              includedNames: record.included.map((code) => `${code} ${this.codeName(code)}`),
              current: record.id === crimeId,
            })),
        })),
        decisions: decisions.map(describe).reverse(),
        earlierDecisions: [...earlier.values()].map(describe),
        assessments: assessments.map((assessment) => ({
          ...assessment,
          answers: JSON.parse(assessment.answers) as SdashInput['answers'],
        })),
        latestAssessment: latestAssessment
          ? {
              yesCount: latestAssessment.yes_count,
              riskLevel: latestAssessment.risk_level,
              at: latestAssessment.assessed_at,
              by: latestAssessment.assessed_by,
            }
          : null,
        sdashSuggested:
          courses.length > 0 || explanation.suggestsStalking || classifications.some((c) => c.code === '8Q'),
      }
    })
  }

  /** A screener's decision on a crime, with the included 8Q (when chosen) written in the same transaction. */
  async decide(
    viewer: Viewer,
    crimeId: number,
    body: unknown,
  ): Promise<{ decisionId: number; classificationAdded: boolean }> {
    checkViewer(viewer, 'screening:decide')
    const parsed = decisionSchema.safeParse(body)
    if (!parsed.success) {
      const errors: Record<string, string> = {}
      for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'outcome')] ??= issue.message
      throw new ScreeningInputError(errors)
    }
    const input = parsed.data
    return this.repository.transaction(async (repository, trx) => {
      const crime = await this.crime.repository.with(trx).crimeById(crimeId)
      if (!crime) throw new ScreeningInputError({ crime: 'There is no such crime' })
      checkViewer(viewer, 'screening:decide', crime.force_id)
      const intelligence = crime.kind === 'intelligence'
      if (input.outcome === 'stalking_identified' && !intelligence && !input.action) {
        throw new ScreeningInputError({
          action: 'Choose whether to add 8Q as an included classification or propose reclassification',
        })
      }
      const courses = (await repository.coursesOfCrimes([crimeId])).get(crimeId) ?? []
      const now = new Date().toISOString()
      // On an intelligence report, stalking identified flags the report stalking (7.2): there is no classification.
      const action = input.outcome === 'stalking_identified' && !intelligence ? (input.action ?? null) : null
      const decisionId = await repository.insertDecision({
        force_id: crime.force_id,
        crime_id: crimeId,
        outcome: input.outcome,
        action,
        rationale: input.rationale,
        course_keys: JSON.stringify(courses.map((course) => course.course_key)),
        pair_keys: JSON.stringify([...new Set(courses.map((course) => course.pair_key))]),
        decided_by: viewer.actor.actorUsername,
        decided_by_id: viewer.actor.actorId,
        decided_at: now,
      })
      let classificationAdded = false
      const crimes = this.crime.repository.with(trx)
      if (action === 'add_included_8q' && !(await crimes.hasClassification(crimeId, this.stalkingCodes()))) {
        await crimes.addIncludedClassification(
          crime,
          '8Q',
          this.crime.catalogue.searchKeys('8Q'),
          viewer.actor.actorUsername,
          `Screening decision: ${input.rationale}`,
          now,
        )
        classificationAdded = true
        await this.audit.record(trx, viewer.actor, {
          action: 'crime.classification.added',
          subjectType: 'crime',
          subjectId: crimeId,
          details: { code: '8Q', role: 'included', decisionId, reason: input.rationale },
        })
        await this.listPendingChange(repository, trx, viewer.actor, crime, {
          decision_id: decisionId,
          change: 'add_included_classification',
          code: '8Q',
          decided_by: viewer.actor.actorUsername,
          decided_at: now,
          reason: input.rationale,
        })
      }
      if (intelligence && input.outcome === 'stalking_identified' && crime.stalking_flag !== 1) {
        await crimes.setStalkingFlag(crimeId)
        classificationAdded = true
        await this.audit.record(trx, viewer.actor, {
          action: 'crime.stalking_flag.set',
          subjectType: 'crime',
          subjectId: crimeId,
          details: { decisionId, reason: input.rationale },
        })
        await this.listPendingChange(repository, trx, viewer.actor, crime, {
          decision_id: decisionId,
          change: 'flag_intelligence_stalking',
          code: null,
          decided_by: viewer.actor.actorUsername,
          decided_at: now,
          reason: input.rationale,
        })
      }
      await repository.setQueueStatus(crimeId, 'decided')
      await this.audit.record(trx, viewer.actor, {
        action: 'screening.decided',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { decisionId, outcome: input.outcome, action, rationale: input.rationale, classificationAdded },
      })
      return { decisionId, classificationAdded }
    })
  }

  // ---- S-DASH -------------------------------------------------------------------------------------------------

  async assess(
    viewer: Viewer,
    crimeId: number,
    input: SdashInput,
  ): Promise<{ assessmentId: number; yesCount: number }> {
    checkViewer(viewer, 'case:edit')
    return this.repository.transaction(async (repository, trx) => {
      const crime = await this.crime.repository.with(trx).crimeById(crimeId)
      if (!crime) throw new ScreeningInputError({ crime: 'There is no such crime' })
      checkViewer(viewer, 'case:edit', crime.force_id)
      const count = yesCount(input.answers)
      const assessmentId = await repository.insertAssessment({
        force_id: crime.force_id,
        crime_id: crimeId,
        answers: JSON.stringify(input.answers),
        yes_count: count,
        judgement: input.judgement,
        risk_level: input.riskLevel,
        assessed_by: viewer.actor.actorUsername,
        assessed_by_id: viewer.actor.actorId,
        assessed_at: new Date().toISOString(),
      })
      await this.audit.record(trx, viewer.actor, {
        action: 'screening.sdash.recorded',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { assessmentId, yesCount: count, riskLevel: input.riskLevel, questions: SDASH_QUESTIONS.length },
      })
      return { assessmentId, yesCount: count }
    })
  }

  /**
   * Screening outcome and latest S-DASH of each crime, for the crime area's pages and search results to show
   * (no audit: it carries no personal data beyond what the caller already read).
   */
  async outcomesOf(crimeIds: number[]) {
    const decisions = await this.repository.decisionsOfCrimes(crimeIds)
    const assessments = await this.repository.latestAssessments(crimeIds)
    const out = new Map<
      number,
      {
        decision: { outcome: string; label: string; action: string | null; decidedAt: string } | null
        assessment: { yesCount: number; riskLevel: string; assessedAt: string; assessedBy: string } | null
      }
    >()
    for (const id of crimeIds) out.set(id, { decision: null, assessment: null })
    for (const decision of decisions) {
      out.get(decision.crime_id)!.decision = {
        outcome: decision.outcome,
        label: OUTCOME_LABELS[decision.outcome],
        action: decision.action,
        decidedAt: decision.decided_at,
      }
    }
    for (const [id, assessment] of assessments) {
      out.get(id)!.assessment = {
        yesCount: assessment.yes_count,
        riskLevel: assessment.risk_level,
        assessedAt: assessment.assessed_at,
        assessedBy: assessment.assessed_by,
      }
    }
    return out
  }

  // ---- Measures -----------------------------------------------------------------------------------------------

  /** Coverage, yield and time to screen for crimes reported in [from, to], by month and team. */
  async measures(forceId: number, options: MeasureOptions): Promise<ScreeningMeasures> {
    const rows = await this.repository.measureRows(forceId, options.from, nextDay(options.to))
    const cells = new Map<
      string,
      { eligible: number; screened: number; within: number; stalking: number; days: number[] }
    >()
    const add = (key: string, row: (typeof rows)[number]) => {
      const cell = cells.get(key) ?? { eligible: 0, screened: 0, within: 0, stalking: 0, days: [] }
      cell.eligible++
      if (row.decided_at) {
        const days = (Date.parse(row.decided_at) - Date.parse(row.reported_at)) / DAY_MS
        cell.screened++
        cell.days.push(Math.max(0, days))
        if (days <= options.withinDays) cell.within++
        if (row.outcome === 'stalking_identified') cell.stalking++
      }
      cells.set(key, cell)
    }
    for (const row of rows) {
      const month = row.reported_at.slice(0, 7)
      const team = row.team ?? NO_TEAM
      add('total', row)
      add(`m|${month}`, row)
      add(`t|${team}`, row)
      add(`tm|${team}|${month}`, row)
    }
    const cell = (key: string): MeasureCell => {
      const c = cells.get(key) ?? { eligible: 0, screened: 0, within: 0, stalking: 0, days: [] }
      return {
        eligible: c.eligible,
        screened: c.screened,
        screenedWithin: c.within,
        stalkingIdentified: c.stalking,
        coverage: c.eligible ? c.within / c.eligible : null,
        yield: c.screened ? c.stalking / c.screened : null,
        medianDaysToScreen: median(c.days),
      }
    }
    const keys = [...cells.keys()]
    return {
      forceId,
      ...options,
      total: cell('total'),
      byMonth: keys
        .filter((key) => key.startsWith('m|'))
        .sort()
        .map((key) => ({ month: key.slice(2), ...cell(key) })),
      byTeam: keys
        .filter((key) => key.startsWith('t|'))
        .sort()
        .map((key) => ({ team: key.slice(2), ...cell(key) })),
      byTeamAndMonth: keys
        .filter((key) => key.startsWith('tm|'))
        .sort()
        .map((key) => {
          const [, team, month] = key.split('|')
          return { team, month, ...cell(key) }
        }),
    }
  }
}

/** A record judged for screening: the facts the verdict needs, without the narrative once it has been read. */
interface JudgedCrime {
  id: number
  reportedAt: string
  facts: CrimeFacts
  /** The narrative's explanation; null when it found no indicator and does not suggest stalking. */
  explanation: NarrativeExplanation | null
}

/** What the verdict reads of an explanation that found nothing (no indicator, not suggesting stalking). */
const NO_INDICATORS: NarrativeExplanation = explainNarrative('')

interface CrimeToJudge {
  id: number
  kind: 'crime' | 'intelligence'
  reported_at: string
  principal_code: string | null
  domestic_abuse: number
  stalking_flag: number
  narrative: string
  included: string[]
}

/** The rules look for former partners in a narrative only when domestic abuse is flagged and they are watched. */
function looksForFormerPartners(crime: CrimeToJudge, rules: ScreeningSettings): boolean {
  return rules.watchFormerPartners && crime.domestic_abuse === 1
}

function judgedCrime(crime: CrimeToJudge, judgement: NarrativeJudgement): JudgedCrime {
  return {
    id: crime.id,
    reportedAt: crime.reported_at,
    facts: {
      kind: crime.kind,
      stalkingFlag: crime.stalking_flag === 1,
      principal: crime.principal_code,
      included: crime.included,
      domesticAbuse: crime.domestic_abuse === 1,
      narrative: '',
      formerPartners: judgement.formerPartners,
    },
    explanation: judgement.explanation,
  }
}

/** Reads the narrative once, on this thread: its explanation and, where the rules look for it, former partners. */
function judgeCrime(crime: CrimeToJudge, rules: ScreeningSettings): JudgedCrime {
  return judgedCrime(crime, judgeNarrative(crime.narrative, looksForFormerPartners(crime, rules)))
}

/** The same for a batch, on the judging worker thread, so the caller's thread goes on reading and linking. */
async function judgeBatchInWorker(crimes: CrimeToJudge[], rules: ScreeningSettings): Promise<JudgedCrime[]> {
  const judgements = await judgeInWorker(
    crimes.map((crime) => crime.narrative),
    crimes.map((crime) => looksForFormerPartners(crime, rules)),
  )
  return crimes.map((crime, i) => judgedCrime(crime, judgements[i]))
}

function storedCourse(course: CourseOfConduct): StoredCourse {
  return {
    course_key: course.id,
    pair_key: `${course.suspect}>${course.victim}`,
    suspect_key: course.suspect,
    victim_key: course.victim,
    first_reported_at: course.firstReportedAt,
    last_reported_at: course.lastReportedAt,
    reasons: course.reasons,
    classifications: course.classifications,
    incidents: course.incidents.map((incident) => ({ crimeId: incident.recordId, reportedAt: incident.reportedAt })),
    parties: course.incidents.flatMap((incident) => [
      ...incident.suspectPartyIds.map((partyId) => ({ partyId, personKey: course.suspect })),
      ...incident.victimPartyIds.map((partyId) => ({ partyId, personKey: course.victim })),
    ]),
  }
}

/** CSV text (RFC 4180, CRLF) with every text cell neutralised for spreadsheets. */
export function changesCsv(changes: PendingChange[]): string {
  return stringify(
    changesCsvRows(changes).map((row) => row.map((cell) => neutraliseCell(cell))),
    { record_delimiter: 'windows' },
  )
}

/** The registrar's CSV: one row per change, with a header; text cells neutralised for spreadsheets. */
export function changesCsvRows(changes: PendingChange[]): (string | number | null)[][] {
  return [
    [
      'Crime reference',
      'Record',
      'Change',
      'Code',
      'Decided by',
      'Decided at',
      'Why',
      'Status',
      'Confirmed at',
      'Overdue',
    ],
    ...changes.map((change) => [
      change.reference,
      change.kind,
      change.description,
      change.code,
      change.decidedBy,
      change.decidedAt,
      change.reason,
      change.status,
      change.confirmedAt,
      change.overdue ? 'yes' : 'no',
    ]),
  ]
}
