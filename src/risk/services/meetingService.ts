// The daily management meeting (Recommendations 12.4 and 13.2): a list generated for a chosen day and a team or the
// whole force, of the stalking cases to consider: new since the last meeting, judged high risk or whose risk rose,
// breaches of orders, orders ending or notifications due within N days, applications pending, and overdue
// obligations on high-risk cases. The meeting is recorded: day, chair, attendees, a decision on each case discussed
// and actions (owner, due day) that appear in the owner's My work. The next list says what changed since this one.
// Every read of a list or a meeting and every change is audited in the same transaction.
import { z } from 'zod'
import type { CaseServices } from '../../cases/index.ts'
import { addDays, isRealDay } from '../../platform/days.ts'
import type { AuditService } from '../../platform/services/auditService.ts'
import { FieldInputError, checkViewer, type Viewer } from '../../platform/services/viewer.ts'
import type { SafeguardingServices } from '../../safeguarding/index.ts'
import type { MeetingRepository } from '../data/meetingRepository.ts'
import { riskHistory } from './riskService.ts'
import { RISK_LEVEL_LABELS, type RiskLevel } from './tools.ts'

export class MeetingInputError extends FieldInputError {}

export const REASONS = {
  new_case: 'New stalking case',
  high_risk: 'Judged high risk',
  risk_rose: 'Risk rose',
  breach: 'Order breached',
  order_ending: 'Order ending',
  notification_due: 'Notification due',
  application_pending: 'Application pending',
  overdue_high_risk: 'Overdue on a high-risk case',
} as const
export type ReasonKind = keyof typeof REASONS

export interface ListReason {
  kind: ReasonKind
  label: string
  detail: string
}

export interface ListCase {
  crimeId: number
  reference: string
  team: string | null
  risk: RiskLevel | null
  riskLabel: string
  reasons: ListReason[]
  /** Whether it was on the last meeting's list, and the last decision on it at any meeting. */
  onLastList: boolean
  lastDecision: { decision: string; meetingDate: string } | null
}

export const listQuerySchema = z.object({
  date: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() ? value.trim() : undefined),
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date of the meeting as a real date, for example 27 3 2025')
      .refine(isRealDay, 'Enter the date of the meeting as a real date')
      .optional(),
  ),
  team: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : ''),
    z.string().max(100, 'The team must be 100 characters or fewer'),
  ),
  within: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.coerce
      .number({ message: 'Enter the days ahead as a whole number' })
      .int('Enter the days ahead as a whole number')
      .min(0, 'Enter the days ahead as 0 or more')
      .max(90, 'Enter the days ahead as 90 or fewer')
      .default(14),
  ),
})
export type ListQuery = z.output<typeof listQuerySchema>

/** The most overdue obligations on high-risk cases one list reads (oldest due first). */
export const OVERDUE_LIMIT = 500

const iso = (day: string) => `${day}T00:00:00.000Z`

type Judgements = Awaited<ReturnType<MeetingRepository['judgementsOf']>>

/** Assessments and reviews by crime. */
function groupJudgements(judgements: Judgements) {
  const byCrime = new Map<number, { assessments: Judgements['assessments']; reviews: Judgements['reviews'] }>()
  const entryOf = (crimeId: number) => {
    let entry = byCrime.get(crimeId)
    if (!entry) byCrime.set(crimeId, (entry = { assessments: [], reviews: [] }))
    return entry
  }
  for (const row of judgements.assessments) entryOf(row.crime_id).assessments.push(row)
  for (const row of judgements.reviews) entryOf(row.crime_id).reviews.push(row)
  return byCrime
}

export class MeetingService {
  constructor(
    private readonly repository: MeetingRepository,
    private readonly audit: AuditService,
    private readonly safeguarding: SafeguardingServices,
    private readonly cases: CaseServices,
    private readonly toolName: (toolId: string) => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  today(): string {
    return this.now().toISOString().slice(0, 10)
  }

  parseQuery(query: unknown): ListQuery & { date: string } {
    const parsed = listQuerySchema.safeParse(query ?? {})
    if (!parsed.success) {
      const errors: Record<string, string> = {}
      for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'date')] ??= issue.message
      throw new MeetingInputError(errors)
    }
    return { ...parsed.data, date: parsed.data.date ?? this.today() }
  }

  /**
   * The list for a day and a team ('' the whole force), N days ahead for orders and notifications. The window for
   * "since the last meeting" runs from the day of the last meeting for the same team (or the day before, when there
   * was none) to the start of the day. Counts and references only: the caller audits the read.
   */
  async buildList(forceId: number, query: ListQuery & { date: string }) {
    const { date, team, within } = query
    const teamFilter = team || undefined
    const last = await this.repository.lastMeetingBefore(forceId, team, date)
    const since = last ? last.meeting_date : addDays(date, -1)
    const from = iso(since)
    const to = iso(date)
    await this.cases.service.refresh(forceId)
    const lists = this.safeguarding.orderLists
    const kindName = (kind: string) => this.safeguarding.orders.kindName(kind)
    const [newCrimes, judged, breaches, ending, notifications, pending, overdue] = await Promise.all([
      this.repository.newStalkingCrimes(forceId, from, to, teamFilter),
      this.repository.crimesJudgedBetween(forceId, from, to, teamFilter),
      lists.breachesRecordedBetween(forceId, from, to, teamFilter),
      lists.endingBetween(forceId, date, addDays(date, within), teamFilter),
      lists.notificationsDueBy(forceId, addDays(date, within), teamFilter),
      lists.pendingApplications(forceId, teamFilter),
      // Case work's open obligations overdue on high-risk cases, soonest due first (at most OVERDUE_LIMIT, no count).
      this.cases.repository.queuePage(
        forceId,
        { risk: 'high', overdueBefore: date, ...(teamFilter ? { team: teamFilter } : {}) },
        OVERDUE_LIMIT,
        0,
      ),
    ])
    const reasons = new Map<number, ListReason[]>()
    const details = new Map<number, { reference: string; team: string | null }>()
    const add = (
      crimeId: number,
      kind: ReasonKind,
      detail: string,
      crime?: { reference: string; team: string | null },
    ) => {
      const list = reasons.get(crimeId) ?? []
      list.push({ kind, label: REASONS[kind], detail })
      reasons.set(crimeId, list)
      if (crime) details.set(crimeId, crime)
    }
    for (const row of newCrimes)
      add(row.crime_id, 'new_case', `Reported ${row.reported_at.slice(0, 10)}`, {
        reference: row.force_reference,
        team: row.team,
      })
    // Risk judged in the window: high, or higher than the judgement before it.
    const judgements = await this.repository.judgementsOf(forceId, judged)
    const byCrime = groupJudgements(judgements)
    const current = new Map<number, RiskLevel | null>()
    for (const [crimeId, entry] of byCrime) {
      const history = riskHistory(entry.assessments, entry.reviews, this.toolName)
      current.set(crimeId, history.current)
      const inWindow = history.entries.filter((row) => row.at >= from && row.at < to)
      const rose = inWindow.find((row) => row.change === 'raised')
      const high = inWindow.find((row) => row.level === 'high')
      if (rose) add(crimeId, 'risk_rose', `${rose.levelLabel}: ${rose.why}`)
      else if (high) add(crimeId, 'high_risk', `${high.what}: ${high.why}`)
    }
    for (const row of breaches) {
      add(
        row.crime_id,
        'breach',
        `${kindName(row.kind)} breached on ${row.occurred_on}${row.breach_crime_reference ? ` (crime ${row.breach_crime_reference})` : ''}`,
        { reference: row.force_reference, team: row.team },
      )
    }
    for (const row of ending)
      add(row.crime_id, 'order_ending', `${kindName(row.kind)} ends ${row.ends_on}`, {
        reference: row.force_reference,
        team: row.team,
      })
    for (const row of notifications) {
      add(
        row.crime_id,
        'notification_due',
        `${kindName(row.kind)}: notification due by ${row.notification_due_on}${(row.notification_due_on as string) < date ? ' (overdue)' : ''}`,
        { reference: row.force_reference, team: row.team },
      )
    }
    for (const row of pending) {
      add(
        row.crime_id,
        'application_pending',
        `${kindName(row.kind)} applied for${row.applied_on ? ` on ${row.applied_on}` : ''}`,
        { reference: row.force_reference, team: row.team },
      )
    }
    const overdueByCrime = new Map<number, string[]>()
    for (const row of overdue) {
      const list = overdueByCrime.get(row.crime_id) ?? []
      const wording = this.cases.service.catalogue.byId.get(row.obligation_id)?.wording ?? row.obligation_id
      list.push(`${wording} (due ${row.due_on})`)
      overdueByCrime.set(row.crime_id, list)
      details.set(row.crime_id, { reference: row.reference, team: row.team })
    }
    for (const [crimeId, list] of overdueByCrime) add(crimeId, 'overdue_high_risk', list.join('; '))
    const crimeIds = [...reasons.keys()]
    const missing = crimeIds.filter((id) => !details.has(id))
    for (const row of await this.repository.crimeDetails(missing))
      details.set(row.id, { reference: row.force_reference, team: row.team })
    // The risk now of listed crimes not judged in the window.
    const unjudged = crimeIds.filter((id) => !current.has(id))
    const older = groupJudgements(await this.repository.judgementsOf(forceId, unjudged))
    for (const id of unjudged) {
      const entry = older.get(id)
      current.set(id, entry ? riskHistory(entry.assessments, entry.reviews, this.toolName).current : null)
    }
    const lastList = last ? (JSON.parse(last.list_snapshot) as Record<string, ReasonKind[]>) : {}
    const decisions = await this.repository.lastDecisions(forceId, crimeIds, date)
    const rank = { high: 3, medium: 2, standard: 1 } as const
    const cases: ListCase[] = crimeIds
      .map((crimeId) => {
        const risk = current.get(crimeId) ?? null
        const decision = decisions.get(crimeId)
        return {
          crimeId,
          reference: details.get(crimeId)?.reference ?? String(crimeId),
          team: details.get(crimeId)?.team ?? null,
          risk,
          riskLabel: risk ? RISK_LEVEL_LABELS[risk] : 'Not assessed',
          reasons: reasons.get(crimeId) as ListReason[],
          onLastList: String(crimeId) in lastList,
          lastDecision: decision ? { decision: decision.decision, meetingDate: decision.meeting_date } : null,
        }
      })
      .sort(
        (a, b) => (b.risk ? rank[b.risk] : 0) - (a.risk ? rank[a.risk] : 0) || a.reference.localeCompare(b.reference),
      )
    const listed = new Set(crimeIds.map(String))
    const dropped = Object.keys(lastList)
      .filter((id) => !listed.has(id))
      .map(Number)
    const droppedDetails = await this.repository.crimeDetails(dropped)
    const counts = Object.fromEntries(Object.keys(REASONS).map((kind) => [kind, 0])) as Record<ReasonKind, number>
    for (const entry of cases) for (const reason of entry.reasons) counts[reason.kind]++
    return {
      date,
      team,
      within,
      since,
      lastMeeting: last ? { id: last.id, date: last.meeting_date } : null,
      cases,
      counts,
      noLongerListed: droppedDetails.map((row) => ({ crimeId: row.id, reference: row.force_reference })),
    }
  }

  /** The list for the viewer's force (supervisors and specialists); the read is audited with the crimes shown. */
  async dailyList(viewer: Viewer, query: unknown) {
    checkViewer(viewer, 'case:supervise')
    const parsed = this.parseQuery(query)
    const list = await this.buildList(viewer.forceId, parsed)
    await this.repository.transaction(async (_repository, trx) => {
      await this.audit.record(trx, viewer.actor, {
        action: 'risk.daily_list.viewed',
        subjectType: 'daily-list',
        subjectId: null,
        details: {
          date: list.date,
          team: list.team,
          within: list.within,
          shown: list.cases.map((entry) => entry.crimeId),
        },
      })
    })
    return list
  }

  /** The users of the force who can chair or own an action: those who work on cases. */
  async people(forceId: number) {
    return this.cases.service.assignableUsers(forceId)
  }

  /**
   * Records a meeting on the list for its day and team: the chair, attendees, a decision on each case discussed (at
   * least one) and actions with an owner and a due day (not before the meeting). Audited in the same transaction.
   */
  async recordMeeting(viewer: Viewer, body: unknown): Promise<{ meetingId: number }> {
    checkViewer(viewer, 'case:supervise', viewer.forceId)
    const input = (body ?? {}) as Record<string, unknown>
    const query = this.parseQuery({ date: input.date, team: input.team, within: input.within })
    const list = await this.buildList(viewer.forceId, query)
    const people = new Map((await this.people(viewer.forceId)).map((user) => [user.id, user]))
    const errors: Record<string, string> = {}
    const str = (name: string) => (typeof input[name] === 'string' ? (input[name] as string).trim() : '')
    const chair = Number(str('chairUserId'))
    if (!people.has(chair)) errors.chairUserId = 'Choose who chaired the meeting'
    const attendees = str('attendees')
    if (attendees.length > 2000) errors.attendees = 'The attendees must be 2000 characters or fewer'
    const discussed: { crimeId: number; decision: string }[] = []
    const actions: { crimeId: number; text: string; owner: number; dueOn: string }[] = []
    for (const entry of list.cases) {
      const decision = str(`decision-${entry.crimeId}`)
      const action = str(`action-${entry.crimeId}`)
      const owner = str(`owner-${entry.crimeId}`)
      const due = str(`due-${entry.crimeId}`)
      if (decision.length > 5000)
        errors[`decision-${entry.crimeId}`] = `${entry.reference}: the decision must be 5000 characters or fewer`
      if (!decision && (action || owner || due)) {
        errors[`decision-${entry.crimeId}`] = `${entry.reference}: enter the decision before setting an action`
      }
      if (decision) discussed.push({ crimeId: entry.crimeId, decision })
      if (!action) continue
      if (action.length > 2000)
        errors[`action-${entry.crimeId}`] = `${entry.reference}: the action must be 2000 characters or fewer`
      if (!people.has(Number(owner)))
        errors[`owner-${entry.crimeId}`] = `${entry.reference}: choose who owns the action`
      if (!due || !/^\d{4}-\d{2}-\d{2}$/.test(due) || !isRealDay(due)) {
        errors[`due-${entry.crimeId}`] = `${entry.reference}: enter the date the action is due as a real date`
      } else if (due < list.date) {
        errors[`due-${entry.crimeId}`] =
          `${entry.reference}: the action cannot be due before the meeting (${list.date})`
      }
      actions.push({ crimeId: entry.crimeId, text: action, owner: Number(owner), dueOn: due })
    }
    if (!discussed.length && !Object.keys(errors).some((key) => key.startsWith('decision-'))) {
      errors.cases = list.cases.length
        ? 'Record a decision on at least one case discussed'
        : 'There are no cases on the list for this day: there is nothing to record'
    }
    if (Object.keys(errors).length) throw new MeetingInputError(errors)
    const now = this.now().toISOString()
    return this.repository.transaction(async (repository, trx) => {
      const snapshot = Object.fromEntries(
        list.cases.map((entry) => [entry.crimeId, entry.reasons.map((reason) => reason.kind)]),
      )
      const meetingId = await repository.insertMeeting({
        force_id: viewer.forceId,
        meeting_date: list.date,
        team: list.team,
        chair_user_id: chair,
        attendees,
        list_snapshot: JSON.stringify(snapshot),
        recorded_by: viewer.actor.actorUsername,
        recorded_by_id: viewer.actor.actorId,
        recorded_at: now,
      })
      await repository.insertCases(
        discussed.map((row) => ({
          force_id: viewer.forceId,
          meeting_id: meetingId,
          crime_id: row.crimeId,
          decision: row.decision,
        })),
      )
      await repository.insertActions(
        actions.map((row) => ({
          force_id: viewer.forceId,
          meeting_id: meetingId,
          crime_id: row.crimeId,
          text: row.text,
          owner_user_id: row.owner,
          due_on: row.dueOn,
          done_at: null,
          done_by: null,
        })),
      )
      await this.audit.record(trx, viewer.actor, {
        action: 'risk.meeting.recorded',
        subjectType: 'daily-meeting',
        subjectId: meetingId,
        details: { date: list.date, team: list.team, chair, attendees, discussed, actions },
      })
      return { meetingId }
    })
  }

  /** A recorded meeting: its cases, decisions and actions; the read is audited. */
  async meetingView(viewer: Viewer, meetingId: number) {
    checkViewer(viewer, 'case:read')
    return this.repository.transaction(async (repository, trx) => {
      const meeting = await repository.meetingById(meetingId)
      if (!meeting) return undefined
      checkViewer(viewer, 'case:read', meeting.force_id)
      const [cases, actions] = await Promise.all([
        repository.casesOfMeeting(meetingId),
        repository.actionsOfMeeting(meetingId),
      ])
      await this.audit.record(trx, viewer.actor, {
        action: 'risk.meeting.viewed',
        subjectType: 'daily-meeting',
        subjectId: meetingId,
        details: { crimes: cases.map((row) => row.crime_id) },
      })
      return { meeting, cases, actions }
    })
  }

  async recentMeetings(viewer: Viewer) {
    checkViewer(viewer, 'case:read')
    return this.repository.recentMeetings(viewer.forceId)
  }

  /** Marks an action done: its owner, or a supervisor or specialist of the force. */
  async completeAction(viewer: Viewer, actionId: number): Promise<{ meetingId: number }> {
    checkViewer(viewer, 'case:read')
    return this.repository.transaction(async (repository, trx) => {
      const action = await repository.actionById(actionId)
      if (!action) throw new MeetingInputError({ action: 'There is no such action' })
      checkViewer(
        viewer,
        action.owner_user_id === viewer.actor.actorId ? 'case:edit' : 'case:supervise',
        action.force_id,
      )
      if (action.done_at) throw new MeetingInputError({ action: 'This action is already done' })
      await repository.markDone(actionId, viewer.actor.actorUsername, this.now().toISOString())
      await this.audit.record(trx, viewer.actor, {
        action: 'risk.meeting.action_done',
        subjectType: 'crime',
        subjectId: action.crime_id,
        details: { actionId, meetingId: action.meeting_id, text: action.text },
      })
      return { meetingId: action.meeting_id }
    })
  }

  /**
   * High-risk cases discussed at a daily meeting within one day (12.4): crimes first judged high in the period, and
   * of them those discussed at a meeting on that day or the next. Counts only.
   */
  async discussedMeasure(forceId: number, period: { from: string; to: string }) {
    const high = await this.repository.highJudgementsBetween(forceId, period.from, period.to)
    const first = new Map<number, string>()
    for (const row of high)
      if (!first.has(row.crime_id) || row.at < (first.get(row.crime_id) as string)) first.set(row.crime_id, row.at)
    const discussed = await this.repository.discussedOn(forceId, [...first.keys()])
    let withinOneDay = 0
    for (const [crimeId, at] of first) {
      const day = at.slice(0, 10)
      if (
        discussed.some(
          (row) => row.crime_id === crimeId && row.meeting_date >= day && row.meeting_date <= addDays(day, 1),
        )
      )
        withinOneDay++
    }
    return { highRiskCases: first.size, discussedWithinOneDay: withinOneDay }
  }
}
