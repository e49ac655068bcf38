// The screening area's ObligationSource (src/platform/obligations.ts): a screening decision that a crime is stalking,
// an S-DASH completed (its risk level the value), an S-DASH saying high risk; the decisions and S-DASHes on a case's
// timeline, and the courses of conduct it belongs to.
import type { Kysely } from 'kysely'
import type { ScreeningDatabase as Database } from './data/tables.ts'
import { firstPerCrime, recordsChangedSince } from '../platform/data/occurrenceRows.ts'
import type { EventOccurrence, ObligationSource } from '../platform/obligations.ts'
import { ScreeningObligationRepository } from './data/obligationRepository.ts'
import { RISK_LABELS } from './services/sdash.ts'
import { OUTCOME_LABELS } from './services/screeningService.ts'

export const SCREENING_EVENTS = {
  stalkingDecided: 'screening.stalking_decided',
  sdashCompleted: 'screening.sdash_completed',
  sdashHigh: 'screening.sdash_high',
} as const

export function screeningObligationSource(db: Kysely<Database>): ObligationSource {
  const repository = new ScreeningObligationRepository(db)
  return {
    area: 'screening',
    events: [
      { id: SCREENING_EVENTS.stalkingDecided, label: 'Screening decided it is stalking' },
      { id: SCREENING_EVENTS.sdashCompleted, label: 'S-DASH completed' },
      { id: SCREENING_EVENTS.sdashHigh, label: 'S-DASH says high risk' },
    ],
    async occurrences({ forceId, events, crimeIds }) {
      const out: EventOccurrence[] = []
      if (events.includes(SCREENING_EVENTS.stalkingDecided)) {
        out.push(
          ...firstPerCrime(SCREENING_EVENTS.stalkingDecided, await repository.stalkingDecisions(forceId, crimeIds)),
        )
      }
      if (events.includes(SCREENING_EVENTS.sdashCompleted)) {
        out.push(...firstPerCrime(SCREENING_EVENTS.sdashCompleted, await repository.assessments(forceId, crimeIds)))
      }
      if (events.includes(SCREENING_EVENTS.sdashHigh)) {
        out.push(...firstPerCrime(SCREENING_EVENTS.sdashHigh, await repository.assessments(forceId, crimeIds, true)))
      }
      return out
    },
    changedSince: (forceId, cursor) =>
      recordsChangedSince(db, forceId, ['screening_decisions', 'screening_assessments'], cursor),
    async timeline(forceId, crimeId) {
      const [decisions, assessments] = await Promise.all([
        repository.decisionsOf(forceId, crimeId),
        repository.assessmentsOf(forceId, crimeId),
      ])
      return [
        ...decisions.map((decision) => ({
          at: decision.decided_at,
          area: 'screening',
          title: `Screening decision: ${OUTCOME_LABELS[decision.outcome]}`,
          detail: decision.rationale,
          by: decision.decided_by,
          href: `/screening/crimes/${crimeId}`,
        })),
        ...assessments.map((assessment) => ({
          at: assessment.assessed_at,
          area: 'screening',
          title: `S-DASH completed: ${RISK_LABELS[assessment.risk_level]}`,
          detail: `${assessment.yes_count} questions answered yes`,
          by: assessment.assessed_by,
          href: `/screening/crimes/${crimeId}#sdash`,
        })),
      ]
    },
    async related(forceId, crimeId) {
      const courses = await repository.coursesOf(forceId, crimeId)
      return courses.map((course) => ({
        title: `Course of conduct: ${course.incident_count} incidents`,
        detail: `${course.first_reported_at.slice(0, 10)} to ${course.last_reported_at.slice(0, 10)}`,
        crimes: course.crimes.map((member) => ({
          crimeId: member.crime_id,
          reference: member.force_reference,
          reportedAt: member.reported_at,
        })),
      }))
    },
  }
}
