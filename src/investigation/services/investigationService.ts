// Allocation to skilled officers (Recommendation 17) and the quality of stalking investigations (Recommendation 18).
// The force keeps a register of trained stalking investigators; each stalking crime's allocation records the team,
// officer, risk and complexity and whether the officer is on the register; supervisors review the investigation
// against a checklist kept as data, each review a dated entry. Every read of a crime's investigation record and every
// change is audited in the same transaction.
import { officerKey } from './learningExport.ts'
import { z } from 'zod'
import type { CrimeServices } from '../../crime/index.ts'
import type { AuditService } from '../../platform/services/auditService.ts'
import { ForbiddenError, type Capability } from '../../platform/services/permissions.ts'
import { FieldInputError, checkViewer, type Viewer } from '../../platform/services/viewer.ts'
import type { InvestigationRepository, MeasurePeriod } from '../data/investigationRepository.ts'
import { TrainingRepository } from '../data/trainingRepository.ts'
import { RISK_LEVELS, SKILL_LEVELS, type AllocationRow, type ReviewRow, type RiskLevel } from '../data/tables.ts'
import { ANSWER_LABELS, parseReview, pastDateError, type Answer, type Checklist } from './checklist.ts'
import { daysBetween } from '../../platform/days.ts'
import { crimeHeading } from '../../crime/index.ts'
import { STALKING_KEY } from '../../crime/index.ts'
import {
  crimeListItem,
  blank,
  trimmed,
  fieldErrorsOf,
  pageNumberSchema,
  listPage,
  pageOffset,
  listReadDetails,
} from '../../platform/forms.ts'

// The area's vocabulary, for its pages and API.
export { RISK_LEVELS, SKILL_LEVELS } from '../data/tables.ts'

export type { Viewer }

/** Bad input, by form field; `crime` when there is no such crime, `skill` when there is no such register entry. */
export class InvestigationInputError extends FieldInputError {}

export { STALKING_KEY }

/** A supervisory review counts as prompt when made within this many days of the crime's report (18.2). */
export const REVIEW_WITHIN_DAYS = 7

/**
 * Who maintains the skills register: force administrators (`users:manage`) and the force's stalking leads, the
 * supervisors and specialists who decide on screening (`screening:decide`). Anyone who reads crimes can read it.
 */
export const SKILLS_MANAGE: readonly Capability[] = ['users:manage', 'screening:decide']
export const SKILLS_READ: readonly Capability[] = ['case:read', 'users:manage']

export const RISK_LABELS: Record<RiskLevel, string> = { standard: 'Standard', medium: 'Medium', high: 'High' }
export const SKILL_LEVEL_LABELS = {
  trained: 'Trained stalking investigator',
  specialist: 'Specialist (stalking unit)',
} as const

const today = () => new Date().toISOString().slice(0, 10)

export { officerKey }

function pastDate(what: string, required: string) {
  return z.preprocess(
    (value) => trimmed(blank(value)) ?? '',
    z
      .string()
      .min(1, required)
      .superRefine((value, ctx) => {
        const error = value ? pastDateError(value, what) : null
        if (error) ctx.addIssue({ code: 'custom', message: error })
      }),
  )
}

export const skillSchema = z.object({
  officer: z.preprocess(
    (value) => trimmed(value) ?? '',
    z
      .string()
      .min(1, 'Enter the officer as crimes name them, for example DC 4821')
      .max(100, 'The officer must be 100 characters or fewer'),
  ),
  userId: z.preprocess(
    (value) => trimmed(blank(value)),
    z.coerce
      .number({ message: 'Choose a user from the list' })
      .int()
      .positive('Choose a user from the list')
      .optional(),
  ),
  level: z.enum(SKILL_LEVELS, { message: 'Choose trained stalking investigator or specialist' }),
  courseName: z.preprocess(
    (value) => trimmed(value) ?? '',
    z
      .string()
      .min(1, 'Enter the name of the course')
      .max(200, 'The name of the course must be 200 characters or fewer'),
  ),
  trainedOn: pastDate('the date trained', 'Enter the date trained'),
})

export const allocationSchema = z.object({
  team: z.preprocess(
    (value) => trimmed(value) ?? '',
    z.string().min(1, 'Enter the team').max(100, 'The team must be 100 characters or fewer'),
  ),
  officer: z.preprocess(
    (value) => trimmed(value) ?? '',
    z
      .string()
      .min(1, 'Enter the officer allocated, for example DC 4821')
      .max(100, 'The officer must be 100 characters or fewer'),
  ),
  allocatedOn: pastDate('the date allocated', 'Enter the date allocated'),
  riskLevel: z.enum(RISK_LEVELS, { message: 'Choose the risk level at allocation: standard, medium or high' }),
  complexityNotes: z.preprocess(
    (value) => trimmed(value) ?? '',
    z.string().max(5000, 'The notes on complexity must be 5000 characters or fewer'),
  ),
})

/** The list's status filter, with the words the page shows. */
export const LIST_STATUSES = ['unallocated', 'untrained', 'high', 'unreviewed'] as const
export type ListStatus = (typeof LIST_STATUSES)[number]
export const LIST_STATUS_LABELS: Record<ListStatus, string> = {
  unallocated: 'Not allocated',
  untrained: 'Allocated to an officer not on the register',
  high: 'High risk at allocation',
  unreviewed: 'No supervisory review',
}
/** Crimes per page of the list. */
export const LIST_PAGE_SIZE = 25

export const listFiltersSchema = z.object({
  status: z.preprocess(
    (value) => trimmed(blank(value)),
    z.enum(LIST_STATUSES, { message: 'Choose a status from the list' }).optional(),
  ),
  page: pageNumberSchema,
})

export interface InvestigationMeasure {
  /** Crimes reported in the period with 8Q, principal or included. */
  stalkingCrimes: number
  /** Of them, those allocated (any allocation); to a trained officer by their latest allocation. */
  allocated: number
  allocatedTrained: number
  /** Of them, those whose latest allocation is high risk; and of those, allocated to a trained officer. */
  highRisk: number
  highRiskTrained: number
  /** Of them, those with any supervisory review; with one within REVIEW_WITHIN_DAYS of report; reviews in all. */
  reviewed: number
  reviewedWithin: number
  reviews: number
  /** Of them, by their latest review: a digital line pursued, suspect arrested, search made, victim impact evidenced. */
  digitalPursued: number
  arrested: number
  searched: number
  victimImpact: number
}

export class InvestigationService {
  constructor(
    private readonly repository: InvestigationRepository,
    private readonly audit: AuditService,
    private readonly crime: CrimeServices,
    readonly checklist: Checklist,
    /** Courses whose completion makes an officer a trained stalking investigator (the training register's data). */
    private readonly qualifyingCourseIds: string[] = [],
  ) {}

  // ---- Skills register ----------------------------------------------------------------------------------------

  canManageSkills(viewer: Viewer): boolean {
    return this.canAny(viewer, SKILLS_MANAGE)
  }

  /** The force's register and its users (to link an entry); the read is audited. */
  async skills(viewer: Viewer) {
    this.checkAny(viewer, SKILLS_READ)
    return this.repository.transaction(async (repository, trx) => {
      const [entries, users] = await Promise.all([
        repository.skillsOf(viewer.forceId),
        repository.usersOf(viewer.forceId),
      ])
      await this.audit.record(trx, viewer.actor, {
        action: 'investigation.skills.viewed',
        subjectType: 'investigation-skills',
        subjectId: null,
        details: { entries: entries.length },
      })
      return {
        entries: entries.map((entry) => ({ ...entry, levelLabel: SKILL_LEVEL_LABELS[entry.level] })),
        users,
      }
    })
  }

  async addSkill(viewer: Viewer, body: unknown): Promise<{ skillId: number }> {
    this.checkAny(viewer, SKILLS_MANAGE)
    const parsed = skillSchema.safeParse(body ?? {})
    if (!parsed.success) throw new InvestigationInputError(fieldErrorsOf(parsed.error, 'officer'))
    const input = parsed.data
    return this.repository.transaction(async (repository, trx) => {
      if (input.userId !== undefined) {
        const users = await repository.usersOf(viewer.forceId)
        if (!users.some((user) => user.id === input.userId))
          throw new InvestigationInputError({ userId: 'Choose a user from the list' })
      }
      const row = {
        force_id: viewer.forceId,
        officer: input.officer,
        officer_key: officerKey(input.officer),
        user_id: input.userId ?? null,
        level: input.level,
        course_name: input.courseName,
        trained_on: input.trainedOn,
        recorded_by: viewer.actor.actorUsername,
        recorded_by_id: viewer.actor.actorId,
        recorded_at: new Date().toISOString(),
      }
      const skillId = await repository.insertSkill(row)
      await this.audit.record(trx, viewer.actor, {
        action: 'investigation.skill.added',
        subjectType: 'investigation-skill',
        subjectId: skillId,
        details: {
          officer: row.officer,
          userId: row.user_id,
          level: row.level,
          courseName: row.course_name,
          trainedOn: row.trained_on,
        },
      })
      return { skillId }
    })
  }

  /** Takes an entry off the register (kept, with who and when); allocations already made keep what they recorded. */
  async removeSkill(viewer: Viewer, skillId: number): Promise<void> {
    this.checkAny(viewer, SKILLS_MANAGE)
    await this.repository.transaction(async (repository, trx) => {
      const entry = await repository.skillById(viewer.forceId, skillId)
      if (!entry || entry.removed_at)
        throw new InvestigationInputError({ skill: 'There is no such entry on the register' })
      await repository.removeSkill(skillId, viewer.actor.actorUsername, new Date().toISOString())
      await this.audit.record(trx, viewer.actor, {
        action: 'investigation.skill.removed',
        subjectType: 'investigation-skill',
        subjectId: skillId,
        details: { officer: entry.officer, courseName: entry.course_name },
      })
    })
  }

  // ---- A crime's investigation --------------------------------------------------------------------------------

  /**
   * One page of the force's stalking crimes (8Q, principal or included; newest report first) with each crime's latest
   * allocation and its reviews, filtered by status (the query as the URL sent it; bad filters are field errors). The
   * read is audited in the same transaction, with the crimes shown.
   */
  async list(viewer: Viewer, query: unknown) {
    checkViewer(viewer, 'case:read')
    const parsed = listFiltersSchema.safeParse(query ?? {})
    if (!parsed.success) throw new InvestigationInputError(fieldErrorsOf(parsed.error, 'status'))
    const filters = parsed.data
    return this.repository.transaction(async (repository, trx) => {
      const { total, rows } = await repository.listWithLatest(viewer.forceId, STALKING_KEY, {
        status: filters.status,
        limit: LIST_PAGE_SIZE,
        offset: pageOffset(filters.page, LIST_PAGE_SIZE),
      })
      await this.audit.record(trx, viewer.actor, {
        action: 'investigation.list.viewed',
        subjectType: 'investigation-list',
        subjectId: null,
        details: listReadDetails(filters, total, rows),
      })
      return {
        ...listPage(filters, total, LIST_PAGE_SIZE),
        crimes: rows.map((row) => ({
          ...crimeListItem(row),
          allocation: row.officer
            ? {
                officer: row.officer,
                team: row.team,
                allocatedOn: row.allocated_on,
                riskLevel: row.risk_level,
                riskLabel: row.risk_level ? RISK_LABELS[row.risk_level] : null,
                officerTrained: row.officer_trained === 1,
              }
            : null,
          reviews: Number(row.reviews ?? 0),
          lastReviewedOn: row.last_reviewed_on ?? null,
        })),
      }
    })
  }

  /** A crime's allocations and reviews, newest first; the read is audited. Undefined when there is no such crime. */
  async crimeView(viewer: Viewer, crimeId: number) {
    checkViewer(viewer, 'case:read')
    return this.repository.transaction(async (repository, trx) => {
      const crime = await this.crime.repository.with(trx).crimeById(crimeId)
      if (!crime) return undefined
      checkViewer(viewer, 'case:read', crime.force_id)
      const [allocations, reviews] = await Promise.all([
        repository.allocationsOf(crime.force_id, crimeId),
        repository.reviewsOf(crime.force_id, crimeId),
      ])
      await this.audit.record(trx, viewer.actor, {
        action: 'investigation.crime.viewed',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { reference: crime.force_reference, allocations: allocations.length, reviews: reviews.length },
      })
      const reportedDay = crime.reported_at.slice(0, 10)
      return {
        crime: { ...crimeHeading(crime), team: crime.team, officer_in_case: crime.officer_in_case },
        allocations: allocations.map(describeAllocation),
        latestAllocation: allocations[0] ? describeAllocation(allocations[0]) : null,
        reviews: reviews.map((review) => this.describeReview(review, reportedDay)),
        reviewedWithin: reviews.some((review) => daysBetween(reportedDay, review.reviewed_on) <= REVIEW_WITHIN_DAYS),
      }
    })
  }

  /** Records an allocation (validated) with the allocating user; whether the officer is trained comes from the register. */
  async allocate(viewer: Viewer, crimeId: number, body: unknown) {
    checkViewer(viewer, 'case:edit')
    return this.repository.transaction(async (repository, trx) => {
      const crime = await this.crime.records.editableCrime(viewer, crimeId, trx, InvestigationInputError)
      const parsed = allocationSchema.safeParse(body ?? {})
      if (!parsed.success) throw new InvestigationInputError(fieldErrorsOf(parsed.error, 'officer'))
      const input = parsed.data
      if (input.allocatedOn < crime.reported_at.slice(0, 10))
        throw new InvestigationInputError({
          allocatedOn: `The date allocated must be on or after the date the crime was reported (${crime.reported_at.slice(0, 10)})`,
        })
      const key = officerKey(input.officer)
      const register = await repository.skillsOf(crime.force_id)
      const skill = register.find(
        (entry) =>
          entry.trained_on <= input.allocatedOn &&
          [entry.officer_key, entry.display_name, entry.username].some((name) => name && officerKey(name) === key),
      )
      // Without a register entry, a completed course that qualifies an investigator counts (the training register).
      const completion = skill
        ? undefined
        : await new TrainingRepository(trx).qualifyingCompletion(
            crime.force_id,
            [key],
            this.qualifyingCourseIds,
            input.allocatedOn,
          )
      const row = {
        force_id: crime.force_id,
        crime_id: crimeId,
        team: input.team,
        officer: input.officer,
        officer_key: key,
        allocated_on: input.allocatedOn,
        risk_level: input.riskLevel,
        complexity_notes: input.complexityNotes,
        officer_trained: skill || completion ? 1 : 0,
        skill_id: skill?.id ?? null,
        training_completion_id: completion?.id ?? null,
        allocated_by: viewer.actor.actorUsername,
        allocated_by_id: viewer.actor.actorId,
        allocated_at: new Date().toISOString(),
      }
      const allocationId = await repository.insertAllocation(row)
      await this.audit.record(trx, viewer.actor, {
        action: 'investigation.allocated',
        subjectType: 'crime',
        subjectId: crimeId,
        details: {
          allocationId,
          team: row.team,
          officer: row.officer,
          allocatedOn: row.allocated_on,
          riskLevel: row.risk_level,
          complexityNotes: row.complexity_notes,
          officerTrained: row.officer_trained,
          skillId: row.skill_id,
          trainingCompletionId: row.training_completion_id,
        },
      })
      return { allocationId, officerTrained: row.officer_trained === 1 }
    })
  }

  /** Records a supervisor's review against the checklist (validated); earlier reviews are kept. */
  async review(viewer: Viewer, crimeId: number, body: unknown): Promise<{ reviewId: number }> {
    checkViewer(viewer, 'case:supervise')
    return this.repository.transaction(async (repository, trx) => {
      const crime = await this.crime.records.editableCrime(viewer, crimeId, trx, InvestigationInputError)
      checkViewer(viewer, 'case:supervise', crime.force_id)
      const form = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
      const parsed = parseReview(this.checklist, form)
      if (!parsed.ok) throw new InvestigationInputError(parsed.errors)
      const input = parsed.value
      const reported = crime.reported_at.slice(0, 10)
      if (input.reviewedOn < reported)
        throw new InvestigationInputError({
          reviewedOn: `The date of the review must be on or after the date the crime was reported (${reported})`,
        })
      const row = {
        force_id: crime.force_id,
        crime_id: crimeId,
        reviewed_on: input.reviewedOn,
        checklist_version: this.checklist.version,
        answers: JSON.stringify(input.answers),
        digital_pursued: input.flags.digital,
        arrested: input.flags.arrest,
        searched: input.flags.search,
        victim_impact: input.flags.victim_impact,
        notes: input.notes,
        reviewed_by: viewer.actor.actorUsername,
        reviewed_by_id: viewer.actor.actorId,
        recorded_at: new Date().toISOString(),
      }
      const reviewId = await repository.insertReview(row)
      await this.audit.record(trx, viewer.actor, {
        action: 'investigation.reviewed',
        subjectType: 'crime',
        subjectId: crimeId,
        details: {
          reviewId,
          reviewedOn: row.reviewed_on,
          checklistVersion: row.checklist_version,
          answers: input.answers,
          notes: row.notes,
        },
      })
      return { reviewId }
    })
  }

  /**
   * The force's allocation and investigation quality measures over crimes reported in the period with 8Q (principal
   * or included): counts only, no person's details, so not audited. The latest allocation and the latest review (by
   * review date) on each crime decide; a prompt review is any review within REVIEW_WITHIN_DAYS of the report.
   */
  /** The officers (their keys) whose latest allocation of a stalking crime reported in the period is theirs. */
  async allocatedOfficerKeys(forceId: number, period: MeasurePeriod): Promise<string[]> {
    const rows = await this.repository.measureRows(forceId, STALKING_KEY, period)
    const latest = new Map<number, string>()
    for (const row of rows.allocations) latest.set(row.crime_id, row.officer_key)
    return [...new Set(latest.values())]
  }

  async measure(forceId: number, period: MeasurePeriod): Promise<InvestigationMeasure> {
    const rows = await this.repository.measureRows(forceId, STALKING_KEY, period)
    const latestAllocation = new Map<number, { risk_level: RiskLevel; officer_trained: number }>()
    for (const row of rows.allocations) latestAllocation.set(row.crime_id, row)
    let allocatedTrained = 0
    let highRisk = 0
    let highRiskTrained = 0
    for (const row of latestAllocation.values()) {
      if (row.officer_trained === 1) allocatedTrained++
      if (row.risk_level === 'high') {
        highRisk++
        if (row.officer_trained === 1) highRiskTrained++
      }
    }
    const latestReview = new Map<number, (typeof rows.reviews)[number]>()
    const within = new Set<number>()
    for (const row of rows.reviews) {
      latestReview.set(row.crime_id, row)
      if (daysBetween(row.reported_at.slice(0, 10), row.reviewed_on) <= REVIEW_WITHIN_DAYS) within.add(row.crime_id)
    }
    const latest = [...latestReview.values()]
    const count = (pick: (row: (typeof latest)[number]) => number) => latest.filter((row) => pick(row) === 1).length
    return {
      stalkingCrimes: rows.stalkingCrimes,
      allocated: latestAllocation.size,
      allocatedTrained,
      highRisk,
      highRiskTrained,
      reviewed: latestReview.size,
      reviewedWithin: within.size,
      reviews: rows.reviews.length,
      digitalPursued: count((row) => row.digital_pursued),
      arrested: count((row) => row.arrested),
      searched: count((row) => row.searched),
      victimImpact: count((row) => row.victim_impact),
    }
  }

  private describeReview(review: ReviewRow, reportedDay: string) {
    const answers = JSON.parse(review.answers) as Record<string, Answer>
    return {
      ...review,
      daysAfterReport: daysBetween(reportedDay, review.reviewed_on),
      sections: this.checklist.sections.map((section) => ({
        heading: section.heading,
        items: section.items
          .filter((item) => answers[item.id])
          .map((item) => {
            const answer = answers[item.id]
            const labels = ANSWER_LABELS[item.kind] as Record<string, string>
            return { id: item.id, label: item.label, ...answer, answerLabel: labels[answer.answer] ?? answer.answer }
          }),
      })),
    }
  }

  private canAny(viewer: Viewer, capabilities: readonly Capability[]): boolean {
    return !viewer.permissions || capabilities.some((capability) => viewer.permissions!.can(capability))
  }

  private checkAny(viewer: Viewer, capabilities: readonly Capability[]): void {
    if (!this.canAny(viewer, capabilities)) throw new ForbiddenError(capabilities[0], viewer.forceId)
  }
}

function describeAllocation(row: AllocationRow) {
  return { ...row, riskLabel: RISK_LABELS[row.risk_level] }
}

export { today as todayIso }
export type InvestigationCrimeView = NonNullable<Awaited<ReturnType<InvestigationService['crimeView']>>>
