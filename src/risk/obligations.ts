// The risk area's ObligationSource (src/platform/obligations.ts): a risk assessment made (the crime's risk level now
// its value), a level judged high, an assessment awaiting its supervisor review and every assessment reviewed; the
// review obligation itself (`risk_review`, declared here); assessments and reviews on a case's timeline.
import type { Kysely } from 'kysely'
import { firstPerCrime, recordsChangedSince, type OccurrenceRow } from '../platform/data/occurrenceRows.ts'
import type { EventOccurrence, ObligationDefinition, ObligationSource } from '../platform/obligations.ts'
import { RiskRepository } from './data/riskRepository.ts'
import { MeetingRepository } from './data/meetingRepository.ts'
import type { RiskDatabase } from './data/tables.ts'
import { REVIEW_DUE_DAYS } from './services/riskService.ts'
import { RISK_LEVEL_LABELS, type RiskLevel, type RiskTool } from './services/tools.ts'

export const RISK_EVENTS = {
  assessed: 'risk.assessed',
  high: 'risk.high',
  reviewDue: 'risk.review_due',
  reviewed: 'risk.reviewed',
} as const

/** The event of an assessment with one tool completed on a crime. */
export const completedEvent = (toolId: string) => `risk.completed_${toolId}`

export const RISK_OBLIGATIONS: ObligationDefinition[] = [
  {
    id: 'risk_review',
    wording: 'Review the risk assessment (supervisor or specialist)',
    recommendation: '12',
    evidence: ['12.2'],
    source:
      "Recommendation 12.2: recognised risk assessment tools embedded in force systems, used and documented; the force's own answer adds supervisor review of high-risk cases. Threadline has every assessment reviewed by a supervisor or specialist who is not its author, agreeing the level or changing it with a reason. Default: by the end of the day after the assessment (a new assessment starts it again).",
    appliesWhen: [RISK_EVENTS.reviewDue],
    metBy: [RISK_EVENTS.reviewed],
    due: { days: REVIEW_DUE_DAYS, kind: 'calendar' },
    action: { href: '/risk/crimes/{crimeId}', text: 'Review the risk assessment' },
  },
]

export function riskObligationSource(db: Kysely<RiskDatabase>, tools: ReadonlyMap<string, RiskTool>): ObligationSource {
  const repository = new RiskRepository(db)
  const meetings = new MeetingRepository(db)
  const toolName = (id: string) => tools.get(id)?.shortName ?? id
  return {
    area: 'risk',
    events: [
      { id: RISK_EVENTS.assessed, label: 'Risk assessed' },
      // One event per tool: `risk.completed_sdash` meets case work's S-DASH obligation.
      ...[...tools.values()].map((tool) => ({ id: completedEvent(tool.id), label: `${tool.shortName} completed` })),
      { id: RISK_EVENTS.high, label: 'Risk judged high' },
      { id: RISK_EVENTS.reviewDue, label: 'Risk assessment awaiting review' },
      { id: RISK_EVENTS.reviewed, label: 'Risk assessment reviewed' },
    ],
    obligations: RISK_OBLIGATIONS,
    async occurrences({ forceId, events, crimeIds }) {
      const rows = await repository.assessmentsWithReviews(forceId, crimeIds)
      const out: EventOccurrence[] = []
      // Every judgement of a level, in time order: the assessment's, then its review's.
      const judgements: (OccurrenceRow & { level: RiskLevel })[] = []
      for (const row of rows) {
        const level = row.risk_level as RiskLevel
        judgements.push({
          crime_id: row.crime_id,
          at: row.assessed_at,
          by: row.assessed_by,
          by_id: row.assessed_by_id,
          value: level,
          level,
        })
        if (row.reviewed_at && row.review_level) {
          const reviewed = row.review_level as RiskLevel
          judgements.push({
            crime_id: row.crime_id,
            at: row.reviewed_at,
            by: row.reviewed_by,
            by_id: row.reviewed_by_id,
            value: reviewed,
            level: reviewed,
          })
        }
      }
      for (const tool of tools.keys()) {
        const event = completedEvent(tool)
        if (!events.includes(event)) continue
        const done = rows.filter((row) => row.tool_id === tool)
        out.push(
          ...firstPerCrime(
            event,
            done.map((row) => ({
              crime_id: row.crime_id,
              at: row.assessed_at,
              by: row.assessed_by,
              by_id: row.assessed_by_id,
            })),
          ),
        )
      }
      if (events.includes(RISK_EVENTS.assessed)) out.push(...firstPerCrime(RISK_EVENTS.assessed, judgements))
      if (events.includes(RISK_EVENTS.high)) {
        out.push(
          ...firstPerCrime(
            RISK_EVENTS.high,
            judgements.filter((row) => row.level === 'high'),
          ),
        )
      }
      if (events.includes(RISK_EVENTS.reviewDue) || events.includes(RISK_EVENTS.reviewed)) {
        // Per crime: the earliest assessment not yet reviewed starts the review obligation; when every assessment is
        // reviewed, it started at the latest assessment and was met at the latest review.
        const byCrime = new Map<number, typeof rows>()
        for (const row of rows) {
          const list = byCrime.get(row.crime_id) ?? []
          list.push(row)
          byCrime.set(row.crime_id, list)
        }
        for (const [crimeId, list] of byCrime) {
          const waiting = list.filter((row) => row.review_id === null)
          const startedBy = waiting.length
            ? waiting.reduce((a, b) => (a.assessed_at <= b.assessed_at ? a : b))
            : list.reduce((a, b) => (a.assessed_at >= b.assessed_at ? a : b))
          if (events.includes(RISK_EVENTS.reviewDue)) {
            out.push({
              crimeId,
              event: RISK_EVENTS.reviewDue,
              at: startedBy.assessed_at,
              by: startedBy.assessed_by,
              byId: startedBy.assessed_by_id,
            })
          }
          if (!waiting.length && events.includes(RISK_EVENTS.reviewed)) {
            const last = list.reduce((a, b) => ((a.reviewed_at ?? '') >= (b.reviewed_at ?? '') ? a : b))
            out.push({
              crimeId,
              event: RISK_EVENTS.reviewed,
              at: last.reviewed_at as string,
              by: last.reviewed_by,
              byId: last.reviewed_by_id,
            })
          }
        }
      }
      return out
    },
    changedSince: (forceId, cursor) => recordsChangedSince(db, forceId, ['risk_assessments', 'risk_reviews'], cursor),
    // A daily meeting's actions, to their owners' My work until done.
    async tasks(forceId, userId) {
      const rows = await meetings.openActionsOf(forceId, userId)
      return rows.map((row) => ({
        crimeId: row.crime_id,
        reference: row.force_reference,
        text: row.text,
        from: `Daily management meeting, ${row.meeting_date}`,
        dueOn: row.due_on,
        href: `/risk/meetings/${row.meeting_id}#action-${row.id}`,
      }))
    },
    async timeline(forceId, crimeId) {
      const [assessments, reviews] = await Promise.all([
        repository.assessmentsOf(forceId, crimeId),
        repository.reviewsOf(forceId, crimeId),
      ])
      const href = `/risk/crimes/${crimeId}`
      return [
        ...assessments.map((row) => ({
          at: row.assessed_at,
          area: 'risk',
          title: `${toolName(row.tool_id)} completed: ${RISK_LEVEL_LABELS[row.risk_level]} risk`,
          detail: `${row.yes_count} of ${row.question_count} answered yes. ${row.rationale}`,
          by: row.assessed_by,
          href,
        })),
        ...reviews.map((row) => ({
          at: row.reviewed_at,
          area: 'risk',
          title:
            row.outcome === 'agreed'
              ? `Risk review: agreed ${RISK_LEVEL_LABELS[row.risk_level].toLowerCase()}`
              : `Risk review: changed from ${RISK_LEVEL_LABELS[row.previous_level].toLowerCase()} to ${RISK_LEVEL_LABELS[row.risk_level].toLowerCase()}`,
          detail: row.reason || undefined,
          by: row.reviewed_by,
          href,
        })),
      ]
    },
  }
}
