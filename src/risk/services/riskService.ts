// Risk assessments (Recommendation 12.2): an officer completes a recognised tool (its definition is data) on a crime
// and records the risk level they judge it to be and why; the yes-count is shown, never turned into a level. Every
// assessment is reviewed by a supervisor or specialist who is not its author (agreed, or the level changed with a
// reason), within a due period (case work's obligation `risk_review`). The crime's risk history says who judged what,
// when and why. Every read of a crime's assessments and every change is audited in the same transaction.
import { z } from 'zod'
import type { CrimeServices } from '../../crime/index.ts'
import type { AuditService } from '../../platform/services/auditService.ts'
import { FieldInputError, checkViewer, type Viewer } from '../../platform/services/viewer.ts'
import type { AssessmentReviewRow, RiskRepository } from '../data/riskRepository.ts'
import type { RiskAssessmentRow, RiskReviewRow } from '../data/tables.ts'
import {
  RISK_LEVEL_LABELS,
  RISK_LEVEL_RANK,
  RISK_LEVELS,
  answerLabel,
  parseAssessment,
  yesCount,
  type RiskLevel,
  type RiskTool,
} from './tools.ts'

export class RiskInputError extends FieldInputError {}

/** Days after an assessment its review is due by default (the obligation's default; a force may set its own). */
export const REVIEW_DUE_DAYS = 1

export const reviewSchema = z
  .object({
    outcome: z.enum(['agree', 'change'], {
      message: 'Choose whether you agree with the risk level or change it',
    }),
    riskLevel: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z.enum(RISK_LEVELS, { message: 'Choose the risk level: standard, medium or high' }).optional(),
    ),
    reason: z.preprocess(
      (value) => (typeof value === 'string' ? value.trim() : ''),
      z.string().max(5000, 'The reason must be 5000 characters or fewer'),
    ),
  })
  .superRefine((value, ctx) => {
    if (value.outcome !== 'change') return
    if (!value.riskLevel) {
      ctx.addIssue({ code: 'custom', path: ['riskLevel'], message: 'Choose the risk level you change it to' })
    }
    if (!value.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Enter why you change the risk level' })
    }
  })

function errorsOf(error: z.ZodError, fallback: string): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const issue of error.issues) errors[String(issue.path[0] ?? fallback)] ??= issue.message
  return errors
}

/** One line of a crime's risk history: who judged what level, when and why. */
export interface RiskHistoryEntry {
  at: string
  kind: 'assessment' | 'review'
  level: RiskLevel
  levelLabel: string
  /** 'raised', 'lowered' or 'same' against the level before it; null for the first. */
  change: 'raised' | 'lowered' | 'same' | null
  by: string
  what: string
  why: string
  assessmentId: number
}

/** The crime's risk history from its assessments and reviews, oldest first, and the level now (the latest). */
export function riskHistory(
  assessments: readonly Pick<
    RiskAssessmentRow,
    'id' | 'tool_id' | 'yes_count' | 'question_count' | 'risk_level' | 'rationale' | 'assessed_by' | 'assessed_at'
  >[],
  reviews: readonly Pick<
    RiskReviewRow,
    'assessment_id' | 'outcome' | 'risk_level' | 'reason' | 'reviewed_by' | 'reviewed_at'
  >[],
  toolName: (toolId: string) => string,
): { entries: RiskHistoryEntry[]; current: RiskLevel | null } {
  const raw = [
    ...assessments.map((row) => ({
      at: row.assessed_at,
      kind: 'assessment' as const,
      level: row.risk_level,
      by: row.assessed_by,
      what: `${toolName(row.tool_id)} completed: ${row.yes_count} of ${row.question_count} answered yes`,
      why: row.rationale,
      assessmentId: row.id,
    })),
    ...reviews.map((row) => ({
      at: row.reviewed_at,
      kind: 'review' as const,
      level: row.risk_level,
      by: row.reviewed_by,
      what: row.outcome === 'agreed' ? 'Review: agreed the level' : 'Review: changed the level',
      why: row.reason,
      assessmentId: row.assessment_id,
    })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.kind === 'assessment' ? -1 : 1))
  let before: RiskLevel | null = null
  const entries = raw.map((entry) => {
    const change: RiskHistoryEntry['change'] =
      before === null
        ? null
        : RISK_LEVEL_RANK[entry.level] > RISK_LEVEL_RANK[before]
          ? 'raised'
          : RISK_LEVEL_RANK[entry.level] < RISK_LEVEL_RANK[before]
            ? 'lowered'
            : 'same'
    before = entry.level
    return { ...entry, levelLabel: RISK_LEVEL_LABELS[entry.level], change }
  })
  return { entries, current: before }
}

export interface RiskReviewMeasure {
  /** Assessments made in the period. */
  assessments: number
  reviewed: number
  /** Reviewed within the due period (by the end of the day after, London days). */
  reviewedOnTime: number
  /** Not reviewed yet. */
  awaiting: number
  /** Reviews that changed the level, of those reviewed. */
  changed: number
  byMonth: { month: string; assessments: number; reviewed: number; reviewedOnTime: number }[]
}

const londonDay = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso))
const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

/** Whether a review came by the end of the due day (London days), as case work counts the obligation's periods. */
export function reviewedOnTime(
  row: Pick<AssessmentReviewRow, 'assessed_at' | 'reviewed_at'>,
  dueDays = REVIEW_DUE_DAYS,
) {
  return row.reviewed_at !== null && londonDay(row.reviewed_at) <= addDays(londonDay(row.assessed_at), dueDays)
}

export class RiskService {
  constructor(
    private readonly repository: RiskRepository,
    private readonly audit: AuditService,
    private readonly crime: CrimeServices,
    readonly tools: ReadonlyMap<string, RiskTool>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  toolName(toolId: string): string {
    return this.tools.get(toolId)?.shortName ?? toolId
  }

  private async crimeInForce(
    viewer: Viewer,
    crimeId: number,
    capability: 'case:read' | 'case:edit' | 'case:supervise',
  ) {
    const crime = await this.crime.repository.crimeById(crimeId)
    if (!crime) return undefined
    checkViewer(viewer, capability, crime.force_id)
    return crime
  }

  /** A crime's assessments, their reviews and its risk history; the read is audited. Undefined when no such crime. */
  async crimeView(viewer: Viewer, crimeId: number) {
    checkViewer(viewer, 'case:read')
    const crime = await this.crimeInForce(viewer, crimeId, 'case:read')
    if (!crime) return undefined
    return this.repository.transaction(async (repository, trx) => {
      const [assessments, reviews] = await Promise.all([
        repository.assessmentsOf(crime.force_id, crimeId),
        repository.reviewsOf(crime.force_id, crimeId),
      ])
      await this.audit.record(trx, viewer.actor, {
        action: 'risk.viewed',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { reference: crime.force_reference, assessments: assessments.length, reviews: reviews.length },
      })
      const reviewOf = new Map(reviews.map((review) => [review.assessment_id, review]))
      const history = riskHistory(assessments, reviews, (id) => this.toolName(id))
      return {
        crime: {
          id: crime.id,
          force_id: crime.force_id,
          force_reference: crime.force_reference,
          reported_at: crime.reported_at,
        },
        current: history.current,
        currentLabel: history.current ? RISK_LEVEL_LABELS[history.current] : null,
        history: [...history.entries].reverse(),
        assessments: [...assessments].reverse().map((row) => {
          const tool = this.tools.get(row.tool_id)
          const answers = JSON.parse(row.answers) as Record<string, { answer: string; comment: string }>
          const review = reviewOf.get(row.id) ?? null
          return {
            ...row,
            toolName: tool?.shortName ?? row.tool_id,
            levelLabel: RISK_LEVEL_LABELS[row.risk_level],
            answers: (tool?.questions ?? []).map((question, index) => ({
              number: index + 1,
              text: question.text,
              answer: answerLabel(answers[question.id]?.answer ?? ''),
              comment: answers[question.id]?.comment ?? '',
            })),
            review: review ? { ...review, levelLabel: RISK_LEVEL_LABELS[review.risk_level] } : null,
            ownAssessment: row.assessed_by_id !== null && row.assessed_by_id === viewer.actor.actorId,
          }
        }),
      }
    })
  }

  /** Records an assessment with a tool (the body as the form sent it), with who and when, audited. */
  async assess(viewer: Viewer, crimeId: number, toolId: string, body: unknown): Promise<{ assessmentId: number }> {
    checkViewer(viewer, 'case:edit')
    const tool = this.tools.get(toolId)
    if (!tool) throw new RiskInputError({ tool: 'Choose a risk assessment tool from the list' })
    const crime = await this.crimeInForce(viewer, crimeId, 'case:edit')
    if (!crime) throw new RiskInputError({ crime: 'There is no such crime' })
    const parsed = parseAssessment(tool, (body ?? {}) as Record<string, unknown>)
    if (!parsed.ok) throw new RiskInputError(parsed.errors)
    const input = parsed.value
    return this.repository.transaction(async (repository, trx) => {
      const row = {
        force_id: crime.force_id,
        crime_id: crimeId,
        tool_id: tool.id,
        tool_version: tool.version,
        answers: JSON.stringify(input.answers),
        yes_count: yesCount(input.answers),
        question_count: tool.questions.length,
        risk_level: input.riskLevel,
        rationale: input.rationale,
        assessed_by: viewer.actor.actorUsername,
        assessed_by_id: viewer.actor.actorId,
        assessed_at: this.now().toISOString(),
      }
      const assessmentId = await repository.insertAssessment(row)
      await this.audit.record(trx, viewer.actor, {
        action: 'risk.assessed',
        subjectType: 'crime',
        subjectId: crimeId,
        details: {
          assessmentId,
          tool: tool.id,
          toolVersion: tool.version,
          yesCount: row.yes_count,
          riskLevel: row.risk_level,
          rationale: row.rationale,
        },
      })
      return { assessmentId }
    })
  }

  /**
   * A supervisor's or specialist's review of an assessment: agreed, or the level changed with the reason. Refused for
   * the assessment's own author, for an assessment already reviewed, and for another force's.
   */
  async review(
    viewer: Viewer,
    crimeId: number,
    assessmentId: number,
    body: unknown,
  ): Promise<{ reviewId: number; crimeId: number }> {
    checkViewer(viewer, 'case:supervise')
    return this.repository.transaction(async (repository, trx) => {
      const assessment = await repository.assessmentById(assessmentId)
      if (!assessment || assessment.crime_id !== crimeId) {
        throw new RiskInputError({ assessment: 'There is no such risk assessment on this crime' })
      }
      checkViewer(viewer, 'case:supervise', assessment.force_id)
      if (assessment.assessed_by_id !== null && assessment.assessed_by_id === viewer.actor.actorId) {
        throw new RiskInputError({
          outcome: 'You completed this assessment: it must be reviewed by another supervisor or specialist',
        })
      }
      if (await repository.reviewOf(assessmentId)) {
        throw new RiskInputError({
          outcome: 'This assessment has already been reviewed: record a new assessment if the risk has changed',
        })
      }
      const parsed = reviewSchema.safeParse(body ?? {})
      if (!parsed.success) throw new RiskInputError(errorsOf(parsed.error, 'outcome'))
      const input = parsed.data
      if (input.outcome === 'change' && input.riskLevel === assessment.risk_level) {
        throw new RiskInputError({
          riskLevel: `The assessment already says ${RISK_LEVEL_LABELS[assessment.risk_level].toLowerCase()}: choose another level, or agree`,
        })
      }
      const level = input.outcome === 'change' ? (input.riskLevel as RiskLevel) : assessment.risk_level
      const row = {
        force_id: assessment.force_id,
        crime_id: assessment.crime_id,
        assessment_id: assessmentId,
        outcome: input.outcome === 'change' ? ('changed' as const) : ('agreed' as const),
        previous_level: assessment.risk_level,
        risk_level: level,
        reason: input.reason,
        reviewed_by: viewer.actor.actorUsername,
        reviewed_by_id: viewer.actor.actorId,
        reviewed_at: this.now().toISOString(),
      }
      const reviewId = await repository.insertReview(row)
      await this.audit.record(trx, viewer.actor, {
        action: 'risk.reviewed',
        subjectType: 'crime',
        subjectId: assessment.crime_id,
        details: {
          reviewId,
          assessmentId,
          outcome: row.outcome,
          from: row.previous_level,
          to: row.risk_level,
          reason: row.reason,
        },
      })
      return { reviewId, crimeId: assessment.crime_id }
    })
  }

  /**
   * Assessments made in a period [from, to) of ISO times: how many, reviewed, reviewed on time, awaiting, changed, by
   * month (London days). Counts only, so not audited.
   */
  async reviewMeasure(forceId: number, period: { from: string; to: string }): Promise<RiskReviewMeasure> {
    const rows = await this.repository.assessmentsMadeIn(forceId, period.from, period.to)
    const months = new Map<string, { month: string; assessments: number; reviewed: number; reviewedOnTime: number }>()
    const measure: RiskReviewMeasure = {
      assessments: 0,
      reviewed: 0,
      reviewedOnTime: 0,
      awaiting: 0,
      changed: 0,
      byMonth: [],
    }
    for (const row of rows) {
      const month = londonDay(row.assessed_at).slice(0, 7)
      let entry = months.get(month)
      if (!entry) months.set(month, (entry = { month, assessments: 0, reviewed: 0, reviewedOnTime: 0 }))
      measure.assessments++
      entry.assessments++
      if (row.review_id === null) {
        measure.awaiting++
        continue
      }
      measure.reviewed++
      entry.reviewed++
      if (row.review_level !== row.risk_level) measure.changed++
      if (reviewedOnTime(row)) {
        measure.reviewedOnTime++
        entry.reviewedOnTime++
      }
    }
    measure.byMonth = [...months.values()].sort((a, b) => a.month.localeCompare(b.month))
    return measure
  }
}
