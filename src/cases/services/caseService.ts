// Case work: every stalking case's obligations with due days (the engine), the case page, My work, the team queue,
// "not applicable" with a reason, assignment, the force's due-period settings (versioned), reminders and the
// compliance measures. Every read of a case or a queue and every change is audited in the same transaction.
import { z } from 'zod'
import { addDays } from '../../platform/days.ts'
import type {
  DuePeriod,
  ObligationSource,
  PersonalTask,
  RelatedCrimes,
  TimelineEntry,
} from '../../platform/obligations.ts'
import type { AuditService } from '../../platform/services/auditService.ts'
import { Permissions, parseRoles } from '../../platform/services/permissions.ts'
import { FieldInputError, checkViewer, type Viewer } from '../../platform/services/viewer.ts'
import type { CaseRepository, QueueFilters, QueueRow } from '../data/caseRepository.ts'
import type { CaseObligationRow, NotificationKind } from '../data/tables.ts'
import type { Catalogue } from './catalogue.ts'
import { periodsOf, type CaseEngine } from './caseEngine.ts'
import { londonDay } from './workingDays.ts'

export class CaseInputError extends FieldInputError {}

/** How an obligation stands today, in the words of the GOV.UK task list. */
export type ObligationStatus = 'met_on_time' | 'met_late' | 'overdue' | 'due' | 'not_applicable'

export function statusOf(row: Pick<CaseObligationRow, 'state' | 'due_on' | 'met_on'>, today: string): ObligationStatus {
  if (row.state === 'met') return (row.met_on as string) <= row.due_on ? 'met_on_time' : 'met_late'
  if (row.state === 'not_applicable') return 'not_applicable'
  return row.due_on < today ? 'overdue' : 'due'
}

/** "Due today", "Due in 3 days", "Overdue by 2 days", "Completed", "Not applicable". */
export function statusText(status: ObligationStatus, dueOn: string, today: string): string {
  const days = Math.round((Date.parse(`${dueOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000)
  const plural = (n: number) => `${n} day${n === 1 ? '' : 's'}`
  switch (status) {
    case 'met_on_time':
      return 'Completed'
    case 'met_late':
      return 'Completed late'
    case 'not_applicable':
      return 'Not applicable'
    case 'overdue':
      return `Overdue by ${plural(-days)}`
    default:
      return days === 0 ? 'Due today' : days === 1 ? 'Due tomorrow' : `Due in ${plural(days)}`
  }
}

export const queueFilterSchema = z.object({
  team: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((value) => value || undefined),
  obligation: z
    .string()
    .trim()
    .max(60)
    .optional()
    .transform((value) => value || undefined),
  risk: z
    .enum(['', 'high', 'medium', 'standard', 'unknown'], { message: 'Choose a risk level from the list' })
    .optional()
    .transform((value) => value || undefined),
  within: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.coerce
      .number({ message: 'Enter a whole number of days' })
      .int('Enter a whole number of days')
      .min(0, 'Enter 0 or more days')
      .max(365, 'Enter 365 days or fewer')
      .optional(),
  ),
  status: z
    .enum(['', 'open', 'overdue'], { message: 'Choose open or overdue' })
    .optional()
    .transform((value) => value || 'open'),
  assigned: z
    .string()
    .trim()
    .regex(/^(|none|any|\d+)$/, 'Choose an officer from the list')
    .optional()
    .transform((value) => value || 'any'),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
})
export type QueueQuery = z.infer<typeof queueFilterSchema>

const periodSchema = z.object({
  days: z.coerce
    .number({ message: 'Enter a whole number of days' })
    .int('Enter a whole number of days')
    .min(0, 'Enter 0 or more days')
    .max(365, 'Enter 365 days or fewer'),
  kind: z.enum(['calendar', 'working'], { message: 'Choose calendar or working days' }),
})

export interface QueueItem extends QueueRow {
  wording: string
  status: ObligationStatus
  statusText: string
  href: string
}

export class CaseService {
  /** The team queue's force-wide summaries, by force, with the key they were worked out for. */
  private readonly summaries = new Map<
    number,
    { key: string; value: { overdue: Awaited<ReturnType<CaseRepository['overdueBy']>>; teams: string[] } }
  >()

  constructor(
    private readonly repository: CaseRepository,
    private readonly audit: AuditService,
    readonly engine: CaseEngine,
    readonly catalogue: Catalogue,
    private readonly sources: readonly ObligationSource[],
    private readonly crimeOf: (
      crimeId: number,
    ) => Promise<{ id: number; force_id: number; force_reference: string } | undefined>,
    private readonly today: () => string = () => londonDay(),
  ) {}

  /** What changed in any area since the last look, brought in (a few indexed reads when nothing did). */
  async refresh(forceId: number): Promise<void> {
    await this.engine.refreshChanged(this.repository, forceId)
  }

  /** Every case of the force worked out again (the CLI's `cases refresh`, the benchmark). */
  async refreshAll(forceId: number) {
    return this.engine.refreshAll(this.repository, forceId)
  }

  private describe(rows: QueueRow[], today: string): QueueItem[] {
    return rows.map((row) => {
      const obligation = this.catalogue.byId.get(row.obligation_id)
      const status = statusOf({ state: 'open', due_on: row.due_on, met_on: null }, today)
      return {
        ...row,
        wording: obligation?.wording ?? row.obligation_id,
        status,
        statusText: statusText(status, row.due_on, today),
        href: obligation ? obligation.action.href.replace('{crimeId}', String(row.crime_id)) : `/cases/${row.crime_id}`,
      }
    })
  }

  /** The signed-in user's open obligations on cases assigned to them, due first, then highest risk. */
  async myWork(viewer: Viewer, page: number, pageSize = 25) {
    checkViewer(viewer, 'case:read')
    const userId = viewer.actor.actorId
    if (userId === null) throw new CaseInputError({ user: 'My work needs a signed-in user' })
    await this.refresh(viewer.forceId)
    const today = this.today()
    // Tasks the areas gave this user by name (a meeting's actions), soonest due first.
    const given: PersonalTask[] = []
    for (const source of this.sources) if (source.tasks) given.push(...(await source.tasks(viewer.forceId, userId)))
    const tasks = given
      .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.reference.localeCompare(b.reference))
      .map((task) => {
        const status = statusOf({ state: 'open', due_on: task.dueOn, met_on: null }, today)
        return { ...task, status, statusText: statusText(status, task.dueOn, today) }
      })
    return this.repository.transaction(async (repository, trx) => {
      const { rows, total } = await repository.queue(
        viewer.forceId,
        { assigned: userId },
        pageSize,
        (page - 1) * pageSize,
      )
      const counts = await repository.countsFor(viewer.forceId, userId, today, addDays(today, 1))
      await this.audit.record(trx, viewer.actor, {
        action: 'cases.work.viewed',
        subjectType: 'case-queue',
        subjectId: 'mine',
        details: { page, total, shown: [...new Set(rows.map((row) => row.crime_id))], tasks: tasks.length },
      })
      return { items: this.describe(rows, today), total, counts, today, tasks }
    })
  }

  /**
   * Reviews waiting in the force (a supervisor's part of My work): the soonest due, and how many. The investigation's
   * supervisory review by default, or another review obligation (the risk assessment's `risk_review`); null when the
   * catalogue has no such obligation.
   */
  async reviewsWaiting(viewer: Viewer, limit = 10, obligation = 'supervisory_review') {
    checkViewer(viewer, 'case:supervise')
    if (!this.catalogue.byId.has(obligation)) return null
    const today = this.today()
    return this.repository.transaction(async (repository, trx) => {
      const { rows, total, capped } = await repository.queue(viewer.forceId, { obligation }, limit, 0)
      await this.audit.record(trx, viewer.actor, {
        action: 'cases.queue.viewed',
        subjectType: 'case-queue',
        subjectId: obligation === 'supervisory_review' ? 'reviews' : obligation,
        details: { total, shown: rows.map((row) => row.crime_id) },
      })
      return { items: this.describe(rows, today), total, capped }
    })
  }

  /** Counts for the navigation: the user's overdue and due-soon obligations, unread notifications. */
  async navigationCounts(viewer: Viewer) {
    const userId = viewer.actor.actorId
    if (userId === null) return { open: 0, overdue: 0, dueSoon: 0, unread: 0 }
    const today = this.today()
    const [counts, unread] = await Promise.all([
      this.repository.countsFor(viewer.forceId, userId, today, addDays(today, 1)),
      this.repository.unreadCount(userId),
    ])
    return { ...counts, unread }
  }

  toFilters(query: QueueQuery, today: string): QueueFilters {
    return {
      ...(query.team ? { team: query.team } : {}),
      ...(query.obligation ? { obligation: query.obligation } : {}),
      ...(query.risk ? { risk: query.risk } : {}),
      ...(query.within !== undefined ? { dueBy: addDays(today, query.within) } : {}),
      ...(query.status === 'overdue' ? { overdueBefore: today } : {}),
      ...(query.assigned === 'none'
        ? { assigned: 'none' as const }
        : query.assigned !== 'any'
          ? { assigned: Number(query.assigned) }
          : {}),
    }
  }

  /** The team queue: open obligations across the force, filtered, one page and the count; overdue by officer and team. */
  async teamQueue(viewer: Viewer, query: QueueQuery, pageSize = 25) {
    checkViewer(viewer, 'case:supervise')
    if (query.obligation && !this.catalogue.byId.has(query.obligation)) {
      throw new CaseInputError({ obligation: 'Choose an obligation from the list' })
    }
    await this.refresh(viewer.forceId)
    const today = this.today()
    return this.repository.transaction(async (repository, trx) => {
      const filters = this.toFilters(query, today)
      const { rows, total, capped } = await repository.queue(
        viewer.forceId,
        filters,
        pageSize,
        (query.page - 1) * pageSize,
      )
      const [{ overdue, teams }, users] = await Promise.all([
        this.queueSummary(viewer.forceId, today, repository),
        this.assignableUsers(viewer.forceId, repository),
      ])
      await this.audit.record(trx, viewer.actor, {
        action: 'cases.queue.viewed',
        subjectType: 'case-queue',
        subjectId: 'team',
        details: { filters: query, total, capped, shown: [...new Set(rows.map((row) => row.crime_id))] },
      })
      return { items: this.describe(rows, today), total, capped, overdue, teams, users, today }
    })
  }

  /**
   * The force-wide part of the team queue (overdue by officer and by team, the teams to filter by): reading every
   * overdue obligation of the force, so kept between views and worked out again when the day changes or anything of
   * the force's cases is written (the repository's write mark, changed in the writer's transaction), never stale
   * after a change.
   */
  private async queueSummary(forceId: number, today: string, repository: CaseRepository = this.repository) {
    const key = `${today}|${await repository.writeMark(forceId)}`
    const kept = this.summaries.get(forceId)
    if (kept && kept.key === key) return kept.value
    const [overdue, teams] = await Promise.all([repository.overdueBy(forceId, today), repository.teams(forceId)])
    const value = { overdue, teams }
    this.summaries.set(forceId, { key, value })
    return value
  }

  /** Every open obligation matching the filters, for the CSV export (audited as one read). */
  async *exportQueue(viewer: Viewer, query: QueueQuery): AsyncGenerator<QueueItem[]> {
    checkViewer(viewer, 'case:supervise')
    await this.refresh(viewer.forceId)
    const today = this.today()
    await this.repository.transaction(async (_repository, trx) => {
      await this.audit.record(trx, viewer.actor, {
        action: 'cases.queue.exported',
        subjectType: 'case-queue',
        subjectId: 'team',
        details: { filters: query },
      })
    })
    for await (const rows of this.repository.allOpen(viewer.forceId, this.toFilters(query, today))) {
      yield this.describe(rows, today)
    }
  }

  /** Open obligations for the CLI (`threadline cases due`): every one, or one officer's, or only the overdue. */
  async due(forceId: number, options: { officer?: number; overdue?: boolean }) {
    await this.refresh(forceId)
    const today = this.today()
    const filters: QueueFilters = {
      ...(options.officer !== undefined ? { assigned: options.officer } : {}),
      ...(options.overdue ? { overdueBefore: today } : {}),
    }
    const out: {
      reference: string
      crimeId: number
      obligation: string
      dueOn: string
      status: 'due' | 'overdue'
      assignedTo: string | null
    }[] = []
    for await (const rows of this.repository.allOpen(forceId, filters)) {
      for (const row of rows) {
        out.push({
          reference: row.reference,
          crimeId: row.crime_id,
          obligation: row.obligation_id,
          dueOn: row.due_on,
          status: row.due_on < today ? 'overdue' : 'due',
          assignedTo: row.assigned_name,
        })
      }
    }
    return out
  }

  /** The users of the force who may be assigned a case: those who hold case:edit. */
  async assignableUsers(forceId: number, repository: CaseRepository = this.repository) {
    const users = await repository.activeUsers(forceId)
    return users
      .filter((user) =>
        new Permissions({
          id: user.id,
          username: user.username,
          displayName: user.display_name,
          forceId: user.force_id,
          forceName: '',
          roles: parseRoles(user.roles),
        }).can('case:edit'),
      )
      .map((user) => ({ id: user.id, name: user.display_name, username: user.username }))
  }

  /** The case page: the crime, its obligations as a task list, one timeline across the areas, its course of conduct. */
  async caseView(viewer: Viewer, crimeId: number) {
    checkViewer(viewer, 'case:read')
    const crime = await this.crimeOf(crimeId)
    if (!crime) return undefined
    checkViewer(viewer, 'case:read', crime.force_id)
    await this.refresh(crime.force_id)
    const forceId = crime.force_id
    const timeline: TimelineEntry[] = []
    const related: RelatedCrimes[] = []
    for (const source of this.sources) {
      if (source.timeline) timeline.push(...(await source.timeline(forceId, crimeId)))
      if (source.related) related.push(...(await source.related(forceId, crimeId)))
    }
    timeline.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    const today = this.today()
    return this.repository.transaction(async (repository, trx) => {
      const [caseRow, obligations, exemptions] = await Promise.all([
        repository.caseOf(forceId, crimeId),
        repository.obligationsOf(forceId, [crimeId]),
        repository.exemptionsOf(forceId, [crimeId]),
      ])
      const assignedName = caseRow?.assigned_user_id ? await repository.userName(caseRow.assigned_user_id) : null
      await this.audit.record(trx, viewer.actor, {
        action: 'cases.case.viewed',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { reference: crime.force_reference },
      })
      const byId = new Map(obligations.map((row) => [row.obligation_id, row]))
      const tasks = this.catalogue.obligations
        .filter((obligation) => byId.has(obligation.id))
        .map((obligation) => {
          const row = byId.get(obligation.id) as CaseObligationRow
          const status = statusOf(row, today)
          return {
            id: obligation.id,
            wording: obligation.wording,
            recommendation: obligation.recommendation,
            evidence: obligation.evidence,
            href: obligation.action.href.replace('{crimeId}', String(crimeId)),
            actionText: obligation.action.text,
            status,
            statusText: statusText(status, row.due_on, today),
            row,
            metLabel: row.met_event ? (this.catalogue.eventLabels.get(row.met_event) ?? row.met_event) : null,
            exemption: exemptions.find((exemption) => exemption.obligation_id === obligation.id) ?? null,
          }
        })
      return { crime, caseRow: caseRow ?? null, assignedName, tasks, timeline, related, today }
    })
  }

  private async caseInForce(viewer: Viewer, crimeId: number, capability: 'case:edit' | 'case:supervise') {
    const crime = await this.crimeOf(crimeId)
    if (!crime) throw new CaseInputError({ crime: 'There is no such crime' })
    checkViewer(viewer, capability, crime.force_id)
    await this.refresh(crime.force_id)
    return crime
  }

  /**
   * Assigns a case to an officer who holds case:edit in the force (supervisors and specialists, case:supervise), or
   * to oneself (anyone with case:edit). The officer is notified.
   */
  async assign(viewer: Viewer, crimeId: number, input: { userId: unknown }) {
    const parsed = z.coerce.number().int().positive().safeParse(input.userId)
    if (!parsed.success) throw new CaseInputError({ userId: 'Choose the officer to assign the case to' })
    const userId = parsed.data
    const self = userId === viewer.actor.actorId
    const crime = await this.caseInForce(viewer, crimeId, self ? 'case:edit' : 'case:supervise')
    const assignable = await this.assignableUsers(crime.force_id)
    const officer = assignable.find((user) => user.id === userId)
    if (!officer) throw new CaseInputError({ userId: 'Choose an officer of this force who can work on cases' })
    const now = new Date().toISOString()
    await this.repository.transaction(async (repository, trx) => {
      const current = await repository.caseOf(crime.force_id, crimeId)
      if (!current) throw new CaseInputError({ crime: 'This crime is not a stalking case: nothing applies to it yet' })
      await repository.assign(crimeId, userId, viewer.actor.actorUsername, now)
      if (userId !== viewer.actor.actorId) {
        await repository.insertNotifications([
          {
            force_id: crime.force_id,
            user_id: userId,
            kind: 'assigned',
            crime_id: crimeId,
            obligation_id: '',
            reference: crime.force_reference,
            text: `Case ${crime.force_reference} was assigned to you by ${viewer.actor.actorUsername}`,
            dedupe_key: `assigned:${userId}:${crimeId}:${now}`,
            created_at: now,
            read_at: null,
            emailed_at: null,
          },
        ])
      }
      await this.audit.record(trx, viewer.actor, {
        action: 'cases.case.assigned',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { reference: crime.force_reference, from: current.assigned_user_id, to: userId },
      })
    })
    return officer
  }

  /** "Not applicable" on one obligation of a case, with the reason (required); or withdrawn, so it applies again. */
  async setNotApplicable(
    viewer: Viewer,
    crimeId: number,
    input: { obligation: unknown; reason?: unknown; withdraw?: unknown },
  ) {
    const obligationId = String(input.obligation ?? '')
    if (!this.catalogue.byId.has(obligationId)) throw new CaseInputError({ obligation: 'There is no such obligation' })
    const withdraw = input.withdraw === 'yes' || input.withdraw === true
    const reason = String(input.reason ?? '').trim()
    if (!withdraw && reason.length === 0) {
      throw new CaseInputError({ [`reason-${obligationId}`]: 'Enter why it does not apply to this case' })
    }
    if (reason.length > 2000) throw new CaseInputError({ [`reason-${obligationId}`]: 'Enter 2000 characters or fewer' })
    const crime = await this.caseInForce(viewer, crimeId, 'case:edit')
    const now = new Date().toISOString()
    await this.repository.transaction(async (repository, trx) => {
      await repository.withdrawExemptions(crime.force_id, crimeId, obligationId, viewer.actor.actorUsername, now)
      if (!withdraw) {
        await repository.insertExemption({
          force_id: crime.force_id,
          crime_id: crimeId,
          obligation_id: obligationId,
          reason,
          recorded_by: viewer.actor.actorUsername,
          recorded_by_id: viewer.actor.actorId,
          recorded_at: now,
          withdrawn_by: null,
          withdrawn_at: null,
        })
      }
      await this.audit.record(trx, viewer.actor, {
        action: withdraw ? 'cases.obligation.applies_again' : 'cases.obligation.not_applicable',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { reference: crime.force_reference, obligation: obligationId, ...(withdraw ? {} : { reason }) },
      })
    })
    await this.engine.refreshCrimes(this.repository, crime.force_id, [crimeId])
  }

  // ---- Settings ----------------------------------------------------------------------------------------------------

  /** The force's periods now, and every version with who and when. */
  async settings(viewer: Viewer) {
    checkViewer(viewer, 'users:manage')
    const versions = await this.repository.settingsVersions(viewer.forceId)
    const current = periodsOf(this.catalogue, versions[0])
    return {
      obligations: this.catalogue.obligations.map((obligation) => ({
        ...obligation,
        period: current.get(obligation.id) ?? obligation.due,
      })),
      versions: versions.map((version) => ({
        ...version,
        periods: JSON.parse(version.periods) as Record<string, DuePeriod>,
      })),
      source: this.catalogue.source,
    }
  }

  /** Saves a new version of the force's periods (every obligation's, from the form), audited with before and after. */
  async saveSettings(viewer: Viewer, input: Record<string, unknown>) {
    checkViewer(viewer, 'users:manage', viewer.forceId)
    const periods: Record<string, DuePeriod> = {}
    const errors: Record<string, string> = {}
    for (const obligation of this.catalogue.obligations) {
      const parsed = periodSchema.safeParse({
        days: input[`${obligation.id}-days`],
        kind: input[`${obligation.id}-kind`],
      })
      if (parsed.success) periods[obligation.id] = parsed.data
      else {
        const issue = parsed.error.issues[0]
        errors[`${obligation.id}-${String(issue.path[0])}`] = `${obligation.wording}: ${issue.message.toLowerCase()}`
      }
    }
    if (Object.keys(errors).length > 0) throw new CaseInputError(errors)
    const now = new Date().toISOString()
    return this.repository.transaction(async (repository, trx) => {
      const versions = await repository.settingsVersions(viewer.forceId)
      const before = periodsOf(this.catalogue, versions[0])
      const changed = Object.entries(periods).filter(([id, period]) => {
        const old = before.get(id)
        return !old || old.days !== period.days || old.kind !== period.kind
      })
      if (changed.length === 0) return { version: versions[0]?.version ?? 0, changed: 0 }
      const version = (versions[0]?.version ?? 0) + 1
      await repository.insertSettings({
        force_id: viewer.forceId,
        version,
        periods: JSON.stringify(periods),
        changed_by: viewer.actor.actorUsername,
        changed_by_id: viewer.actor.actorId,
        changed_at: now,
      })
      await this.audit.record(trx, viewer.actor, {
        action: 'cases.settings.changed',
        subjectType: 'case-settings',
        subjectId: viewer.forceId,
        details: {
          version,
          changes: changed.map(([id, period]) => ({ obligation: id, from: before.get(id), to: period })),
        },
      })
      return { version, changed: changed.length }
    })
  }

  // ---- Notifications ----------------------------------------------------------------------------------------------

  async notifications(viewer: Viewer) {
    const userId = viewer.actor.actorId
    if (userId === null) return []
    return this.repository.notificationsOf(userId, 100)
  }

  async markNotificationsRead(viewer: Viewer) {
    if (viewer.actor.actorId !== null) await this.repository.markRead(viewer.actor.actorId, new Date().toISOString())
  }

  /**
   * Reminders for assigned open obligations: due tomorrow, and overdue (once per obligation and due day). Run by the
   * daily job before the digest; returns how many were made.
   */
  async makeReminders(forceIds: number[]): Promise<number> {
    const today = this.today()
    const tomorrow = addDays(today, 1)
    let made = 0
    for (const forceId of forceIds) {
      await this.refresh(forceId)
      const rows = [
        ...(await this.repository.assignedDue(forceId, tomorrow, false)).map((row) => ({
          row,
          kind: 'due_tomorrow' as NotificationKind,
        })),
        ...(await this.repository.assignedDue(forceId, today, true)).map((row) => ({
          row,
          kind: 'overdue' as NotificationKind,
        })),
      ]
      const now = new Date().toISOString()
      made += await this.repository.insertNotifications(
        rows.map(({ row, kind }) => {
          const wording = this.catalogue.byId.get(row.obligation_id)?.wording ?? row.obligation_id
          return {
            force_id: row.force_id,
            user_id: row.assigned_user_id as number,
            kind,
            crime_id: row.crime_id,
            obligation_id: row.obligation_id,
            reference: row.reference,
            text: `${row.reference}: ${wording} ${kind === 'overdue' ? `was due on ${row.due_on}` : 'is due tomorrow'}`,
            dedupe_key: `${kind}:${row.assigned_user_id}:${row.crime_id}:${row.obligation_id}:${row.due_on}`,
            created_at: now,
            read_at: null,
            emailed_at: null,
          }
        }),
      )
    }
    return made
  }

  // ---- Measures ----------------------------------------------------------------------------------------------------

  /** Met on time, met late, overdue, not yet due and not applicable, by obligation, team and month started. */
  async compliance(viewer: Viewer, from: string, to: string) {
    checkViewer(viewer, 'analysis:read')
    await this.refresh(viewer.forceId)
    const rows = await this.repository.compliance(viewer.forceId, from, addDays(to, 1), this.today())
    return { rows, catalogue: this.catalogue }
  }

  /** One obligation's counts over obligations started in a period [from, to) of ISO times: the plan's live figures. */
  async obligationMeasure(forceId: number, obligationId: string, period: { from: string; to: string }) {
    await this.refresh(forceId)
    const rows = await this.repository.compliance(
      forceId,
      period.from.slice(0, 10),
      period.to.slice(0, 10),
      this.today(),
    )
    const total = { onTime: 0, late: 0, overdue: 0, notYetDue: 0, notApplicable: 0 }
    for (const row of rows) {
      if (row.obligation !== obligationId) continue
      total.onTime += row.onTime
      total.late += row.late
      total.overdue += row.overdue
      total.notYetDue += row.notYetDue
      total.notApplicable += row.notApplicable
    }
    return total
  }
}
