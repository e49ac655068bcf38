// The training register (Recommendations 10, 13.1, 17, 20.2, 20.3 and 22.1): courses kept as data, each officer's
// completions imported from the learning system's CSV export or recorded by hand, and the live figures they give:
// the share of frontline officers and of the officers investigating stalking crimes who completed each course. A
// course that qualifies an investigator counts in allocation's "trained investigator" check.
import { z } from 'zod'
import type { AuditService } from '../../platform/services/auditService.ts'
import { checkViewer, type Viewer } from '../../platform/services/viewer.ts'
import { blank, fieldErrorsOf, trimmed } from '../../platform/forms.ts'
import type { MeasurePeriod } from '../data/investigationRepository.ts'
import type { TrainingRepository } from '../data/trainingRepository.ts'
import { pastDateError } from './checklist.ts'
import { InvestigationInputError, SKILLS_MANAGE, SKILLS_READ } from './investigationService.ts'
import { officerKey, readLearningExport, type Course } from './learningExport.ts'

export interface TrainingImportSummary {
  fileName: string
  /** Rows about courses Threadline counts. */
  rows: number
  officers: number
  completionsAdded: number
  /** Completions the register already held (the same officer, course and day): a re-import adds nothing. */
  alreadyHeld: number
  /** Officers enrolled on a course they have not completed. */
  enrolments: number
  otherCourses: { title: string; rows: number }[]
}

export interface CourseFigures {
  course: Course
  /** Officers in the learning records who count as frontline: those the export marks frontline, or all if none do. */
  frontline: number
  frontlineTrained: number
  /** Whether frontline came from the export's frontline column (else every officer in the learning records). */
  frontlineStated: boolean
  /** Officers whose latest allocation in the period is to a stalking crime; of them, those who completed the course. */
  investigators: number
  investigatorsTrained: number
}

/** Who an allocation's officer is in the training register: the officers allocated stalking crimes in a period. */
export interface AllocatedOfficerSource {
  allocatedOfficerKeys(forceId: number, period: MeasurePeriod): Promise<string[]>
}

const completionSchema = z.object({
  officer: z.preprocess(
    (value) => trimmed(value) ?? '',
    z
      .string()
      .min(1, 'Enter the officer, for example Alex Carter')
      .max(100, 'The officer must be 100 characters or fewer'),
  ),
  number: z.preprocess(
    (value) => trimmed(blank(value)) ?? '',
    z.string().max(40, 'The collar or staff number must be 40 characters or fewer'),
  ),
  courseId: z.string({ message: 'Choose the course' }).min(1, 'Choose the course'),
  completedOn: z.preprocess(
    (value) => trimmed(blank(value)) ?? '',
    z
      .string()
      .min(1, 'Enter the date the course was completed')
      .superRefine((value, ctx) => {
        const error = pastDateError(value, 'the date completed')
        if (error) ctx.addIssue({ code: 'custom', message: error })
      }),
  ),
})

const RECENT = 50

export class TrainingService {
  constructor(
    private readonly repository: TrainingRepository,
    private readonly audit: AuditService,
    readonly courses: Course[],
    private readonly allocations: AllocatedOfficerSource,
  ) {}

  course(id: string): Course | undefined {
    return this.courses.find((course) => course.id === id)
  }

  /** The courses whose completion makes an officer a trained stalking investigator for allocation. */
  qualifyingCourseIds(): string[] {
    return this.courses.filter((course) => course.qualifiesInvestigator).map((course) => course.id)
  }

  /**
   * Imports a learning system's CSV export into the force's register, all or nothing. A completion already held
   * (the same officer, course and day) is not added again, so the same export imported twice changes nothing.
   */
  async importExport(viewer: Viewer, content: Buffer, fileName: string): Promise<TrainingImportSummary> {
    this.checkManage(viewer)
    const read = readLearningExport(content, fileName, this.courses)
    const now = new Date().toISOString()
    return this.repository.transaction(async (repository, trx) => {
      const officers = new Set<number>()
      const summary: TrainingImportSummary = {
        fileName,
        rows: read.records.length,
        officers: 0,
        completionsAdded: 0,
        alreadyHeld: 0,
        enrolments: 0,
        otherCourses: read.otherCourses,
      }
      for (const record of read.records) {
        const officerId = await repository.upsertOfficer(
          viewer.forceId,
          {
            officer: record.officer,
            numberKey: record.numberKey,
            nameKey: record.nameKey,
            role: record.role,
            frontline: record.frontline,
          },
          now,
        )
        officers.add(officerId)
        const held = await repository.completionsOfOfficer(viewer.forceId, officerId, record.courseId)
        if (record.completedOn === null) {
          if (held.length === 0) {
            await this.insert(repository, viewer, officerId, record.courseId, null, `import:${fileName}`, now)
            summary.enrolments++
          }
          continue
        }
        if (held.some((row) => row.completed_on === record.completedOn)) {
          summary.alreadyHeld++
          continue
        }
        await this.insert(repository, viewer, officerId, record.courseId, record.completedOn, `import:${fileName}`, now)
        summary.completionsAdded++
      }
      summary.officers = officers.size
      await this.audit.record(trx, viewer.actor, {
        action: 'investigation.training.imported',
        subjectType: 'force',
        subjectId: viewer.forceId,
        details: { ...summary, otherCourses: summary.otherCourses.length },
      })
      return summary
    })
  }

  /** Records one completion by hand (a course the learning system does not hold, such as a classroom day). */
  async recordCompletion(viewer: Viewer, body: unknown): Promise<{ completionId: number }> {
    this.checkManage(viewer)
    const parsed = completionSchema.safeParse(body ?? {})
    if (!parsed.success) throw new InvestigationInputError(fieldErrorsOf(parsed.error, 'officer'))
    const input = parsed.data
    if (!this.course(input.courseId)) throw new InvestigationInputError({ courseId: 'Choose the course' })
    const now = new Date().toISOString()
    return this.repository.transaction(async (repository, trx) => {
      const officer = input.number ? `${input.officer} (${input.number})` : input.officer
      const officerId = await repository.upsertOfficer(
        viewer.forceId,
        {
          officer,
          numberKey: input.number ? officerKey(input.number) : null,
          nameKey: officerKey(input.officer),
          role: null,
          frontline: null,
        },
        now,
      )
      const held = await repository.completionsOfOfficer(viewer.forceId, officerId, input.courseId)
      const same = held.find((row) => row.completed_on === input.completedOn)
      if (same) return { completionId: same.id }
      const completionId = await this.insert(
        repository,
        viewer,
        officerId,
        input.courseId,
        input.completedOn,
        'hand',
        now,
      )
      await this.audit.record(trx, viewer.actor, {
        action: 'investigation.training.recorded',
        subjectType: 'force',
        subjectId: viewer.forceId,
        details: { completionId, officer, courseId: input.courseId, completedOn: input.completedOn },
      })
      return { completionId }
    })
  }

  /** Each course with its figures over the period, and the latest completions recorded (the read is audited). */
  async view(viewer: Viewer, period: MeasurePeriod) {
    if (viewer.permissions && !SKILLS_READ.some((capability) => viewer.permissions!.can(capability))) {
      checkViewer(viewer, SKILLS_READ[0])
    }
    const figures = await this.figures(viewer.forceId, period)
    return this.repository.transaction(async (repository, trx) => {
      const recent = await repository.recentCompletions(viewer.forceId, RECENT)
      await this.audit.record(trx, viewer.actor, {
        action: 'investigation.training.viewed',
        subjectType: 'force',
        subjectId: viewer.forceId,
        details: { completionsShown: recent.length },
      })
      return {
        figures,
        recent: recent.map((row) => ({ ...row, courseName: this.course(row.course_id)?.name ?? row.course_id })),
      }
    })
  }

  /** Every course's figures: counts only, no person's details (not audited, as every live figure). */
  async figures(forceId: number, period: MeasurePeriod): Promise<CourseFigures[]> {
    const { officers, completions } = await this.repository.officersWithCompletions(forceId)
    const allocated = new Set(await this.allocations.allocatedOfficerKeys(forceId, period))
    const frontlineStated = officers.some((officer) => officer.frontline !== null)
    const frontline = officers.filter((officer) => !frontlineStated || officer.frontline === 1)
    const completedBy = new Map<string, Set<number>>()
    for (const row of completions) {
      if (!row.completed_on || row.completed_on >= period.to.slice(0, 10)) continue
      if (!completedBy.has(row.course_id)) completedBy.set(row.course_id, new Set())
      completedBy.get(row.course_id)!.add(row.officer_id)
    }
    // An allocated officer is matched by number or name; each allocated officer counts once.
    const investigatorIds = new Map<string, number | null>()
    for (const key of allocated) investigatorIds.set(key, null)
    for (const officer of officers) {
      for (const key of [officer.number_key, officer.name_key]) {
        if (key && investigatorIds.has(key)) investigatorIds.set(key, officer.id)
      }
    }
    return this.courses.map((course) => {
      const done = completedBy.get(course.id) ?? new Set<number>()
      return {
        course,
        frontline: frontline.length,
        frontlineTrained: frontline.filter((officer) => done.has(officer.id)).length,
        frontlineStated,
        investigators: investigatorIds.size,
        investigatorsTrained: [...investigatorIds.values()].filter((id) => id !== null && done.has(id)).length,
      }
    })
  }

  async courseFigures(forceId: number, courseId: string, period: MeasurePeriod): Promise<CourseFigures | undefined> {
    if (!this.course(courseId)) return undefined
    return (await this.figures(forceId, period)).find((figures) => figures.course.id === courseId)
  }

  canManage(viewer: Viewer): boolean {
    return !viewer.permissions || SKILLS_MANAGE.some((capability) => viewer.permissions!.can(capability))
  }

  private checkManage(viewer: Viewer): void {
    if (!this.canManage(viewer)) checkViewer(viewer, SKILLS_MANAGE[0])
  }

  private async insert(
    repository: TrainingRepository,
    viewer: Viewer,
    officerId: number,
    courseId: string,
    completedOn: string | null,
    source: string,
    now: string,
  ): Promise<number> {
    return repository.insertCompletion({
      force_id: viewer.forceId,
      officer_id: officerId,
      course_id: courseId,
      completed_on: completedOn,
      source,
      recorded_by: viewer.actor.actorUsername,
      recorded_by_id: viewer.actor.actorId,
      recorded_at: now,
    })
  }
}
