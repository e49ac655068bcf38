// Assurance (Recommendation 11.2 and 11.3): case audits of the force's stalking crimes and victims' feedback.
// An audit draws a reproducible random sample (seeded from the audit's id) of the force's crimes carrying 8Q Stalking,
// principal or included, reported in a period; the auditor answers each question of a checklist kept as data on each
// sampled case (yes, no with a note, or not applicable), and the audit shows completion and compliance (yes over yes
// and no). Victims of stalking crimes give feedback in satisfaction surveys: five metrics on a five-point scale.
// Every read of a person's record and every change is audited in the same transaction.
import { stringify } from 'csv-stringify/sync'
import type { Transaction } from 'kysely'
import { z } from 'zod'
import type { CrimeServices } from '../../crime/index.ts'
import { Random } from '../../platform/random.ts'
import { neutraliseCell } from '../../platform/csv.ts'
import { addDays, isRealDay, monthsBetween } from '../../platform/days.ts'
import { STALKING_KEY } from '../../crime/index.ts'
import type { AssuranceDatabase as Database } from '../data/tables.ts'
import type { AuditService } from '../../platform/services/auditService.ts'
import type { Capability } from '../../platform/services/permissions.ts'
import { FieldInputError, checkViewer, type Viewer } from '../../platform/services/viewer.ts'
import type { AssuranceRepository, MeasurePeriod } from '../data/assuranceRepository.ts'
import {
  SATISFACTION,
  SURVEY_METHODS,
  type FindingAnswer,
  type FindingRow,
  type Satisfaction,
  type SurveyMethod,
  type SurveyMetric,
  type SurveyRow,
} from '../data/tables.ts'
import { ANSWER_LABELS, compliance, parseFindings, type AuditChecklist } from './checklist.ts'
import { crimeHeading } from '../../crime/index.ts'
import { blank, trimmed, fieldErrorsOf } from '../../platform/forms.ts'

// The area's vocabulary, for its pages and API.
export { FINDING_ANSWERS, SATISFACTION, SURVEY_METHODS } from '../data/tables.ts'

export type { Viewer }
export { STALKING_KEY, monthsBetween }

/**
 * Bad input, by form field; `audit` when there is no such audit, `crime` when there is no such crime (or it is not in
 * the audit's sample), `person` when the person is not the crime's victim, `stalking` when the crime is not stalking.
 */
export class AssuranceInputError extends FieldInputError {}

/** Who reads audits, the feedback summary and their exports: the force's supervisors, specialists and analysts. */
export const AUDIT_READ: Capability = 'analysis:read'
/**
 * Who creates audits and records findings: the force's stalking leads, the supervisors and specialists who decide on
 * screening (`screening:decide`): judging how a case was handled is a supervisory judgment, and analysts read the
 * results and export them.
 */
export const AUDIT_RECORD: Capability = 'screening:decide'

export const DEFAULT_SAMPLE_SIZE = 20
export const MAX_SAMPLE_SIZE = 200

export const METHOD_LABELS: Record<SurveyMethod, string> = {
  telephone: 'Telephone',
  online: 'Online',
  paper: 'Paper',
  in_person: 'In person',
}

export const SATISFACTION_LABELS: Record<Satisfaction, string> = {
  very_satisfied: 'Very satisfied',
  fairly_satisfied: 'Fairly satisfied',
  neither: 'Neither satisfied nor dissatisfied',
  fairly_dissatisfied: 'Fairly dissatisfied',
  very_dissatisfied: 'Very dissatisfied',
  not_answered: 'Not answered',
}

/** The five metrics: the column, the form field and the words the pages show. */
export const METRICS: { metric: SurveyMetric; field: string; label: string }[] = [
  { metric: 'ease_of_contact', field: 'easeOfContact', label: 'Ease of contacting the police' },
  { metric: 'updates', field: 'updates', label: 'Being kept updated' },
  { metric: 'actions_taken', field: 'actionsTaken', label: 'The actions taken' },
  { metric: 'treatment', field: 'treatment', label: 'How they were treated' },
  { metric: 'overall', field: 'overall', label: 'Overall satisfaction' },
]

const SATISFIED: ReadonlySet<Satisfaction> = new Set(['very_satisfied', 'fairly_satisfied'])

const today = () => new Date().toISOString().slice(0, 10)
const capitalise = (value: string) => value.charAt(0).toUpperCase() + value.slice(1)
export const nextDay = (day: string) => addDays(day, 1)

/** A YYYY-MM-DD date named in its messages, never after today. */
function pastDate(what: string) {
  return z.preprocess(
    (value) => trimmed(blank(value)) ?? '',
    z
      .string()
      .min(1, `Enter ${what}`)
      .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter ${what} as a real date, for example 27 3 2025`)
      .refine(isRealDay, `Enter ${what} as a real date`)
      .refine((value) => value <= today(), `${capitalise(what)} must be today or in the past`),
  )
}

export const auditSchema = z
  .object({
    title: z.preprocess(
      (value) => trimmed(value) ?? '',
      z
        .string()
        .min(1, 'Enter a title for the audit, for example Stalking case audit, April to June 2025')
        .max(200, 'The title must be 200 characters or fewer'),
    ),
    periodFrom: pastDate('the first day of the period'),
    periodTo: pastDate('the last day of the period'),
    sampleSize: z.preprocess(
      (value) => trimmed(blank(value)) ?? DEFAULT_SAMPLE_SIZE,
      z.coerce
        .number({ message: 'Enter the sample size as a whole number, for example 20' })
        .int('Enter the sample size as a whole number, for example 20')
        .min(1, 'The sample size must be 1 or more')
        .max(MAX_SAMPLE_SIZE, `The sample size must be ${MAX_SAMPLE_SIZE} or fewer`),
    ),
  })
  .superRefine((value, ctx) => {
    if (value.periodFrom && value.periodTo && value.periodTo < value.periodFrom)
      ctx.addIssue({
        code: 'custom',
        path: ['periodTo'],
        message: 'The last day of the period must be on or after the first day',
      })
  })

const metricField = (label: string) =>
  z.preprocess(
    blank,
    z.enum(SATISFACTION, {
      message: `Choose how satisfied the victim was with ${label.charAt(0).toLowerCase()}${label.slice(1)}, or not answered`,
    }),
  )

export const surveySchema = z.object({
  surveyedOn: pastDate('the date of the survey'),
  method: z.preprocess(
    blank,
    z.enum(SURVEY_METHODS, { message: 'Choose how the survey was done: telephone, online, paper or in person' }),
  ),
  easeOfContact: metricField(METRICS[0].label),
  updates: metricField(METRICS[1].label),
  actionsTaken: metricField(METRICS[2].label),
  treatment: metricField(METRICS[3].label),
  overall: metricField(METRICS[4].label),
  comment: z.preprocess(
    (value) => trimmed(value) ?? '',
    z.string().max(2000, 'The comment must be 2000 characters or fewer'),
  ),
})

function parse<T extends z.ZodType>(schema: T, body: unknown, fallback: string): z.output<T> {
  const parsed = schema.safeParse(body ?? {})
  if (!parsed.success) throw new AssuranceInputError(fieldErrorsOf(parsed.error, fallback))
  return parsed.data
}

/**
 * The sample: `size` of the candidates (all of them when there are fewer) drawn without replacement by a partial
 * Fisher-Yates shuffle driven by Random(seed). The same candidates in the same order and the same seed give the same
 * sample, in the same order, on every platform.
 */
export function drawSample<T>(candidates: readonly T[], size: number, seed: number): T[] {
  const pool = [...candidates]
  const count = Math.min(size, pool.length)
  const random = new Random(seed)
  for (let index = 0; index < count; index++) {
    const pick = index + random.int(pool.length - index)
    ;[pool[index], pool[pick]] = [pool[pick], pool[index]]
  }
  return pool.slice(0, count)
}

/** A period of whole days as the crime data layer's instants: from midnight of the first to midnight after the last. */
export function dayPeriod(fromDay: string, toDay: string): MeasurePeriod {
  return { from: `${fromDay}T00:00:00.000Z`, to: `${nextDay(toDay)}T00:00:00.000Z` }
}

/** A share as a whole percentage, or null when nothing was counted. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 100)
}

/** CSV text (with a byte order mark for Excel), each cell neutralised against formula injection. */
export function toCsv(rows: (string | number | null)[][]): string {
  return stringify(
    rows.map((row) => row.map(neutraliseCell)),
    { bom: true },
  )
}

export interface AuditMeasure {
  /** Findings recorded (last changed) in the period, by answer. */
  yes: number
  no: number
  notApplicable: number
  /** Sampled cases with any finding recorded in the period. */
  casesAudited: number
}

export interface SatisfactionMeasure {
  /** Victims of stalking crimes surveyed in the period (each victim of a crime once, by their latest response). */
  surveyed: number
  /** Of them, those who answered the overall satisfaction question; and of those, very or fairly satisfied. */
  answered: number
  satisfied: number
}

/** Per metric: responses very or fairly satisfied, responses answering it, and the share. */
export interface MetricShare {
  metric: SurveyMetric
  label: string
  satisfied: number
  answered: number
  percent: number | null
}

type SurveyFigures = Pick<SurveyRow, SurveyMetric>

function metricShares(rows: SurveyFigures[]): MetricShare[] {
  return METRICS.map(({ metric, label }) => {
    const answered = rows.filter((row) => row[metric] !== 'not_answered')
    const satisfied = answered.filter((row) => SATISFIED.has(row[metric])).length
    return { metric, label, satisfied, answered: answered.length, percent: percent(satisfied, answered.length) }
  })
}

export class AssuranceService {
  constructor(
    private readonly repository: AssuranceRepository,
    private readonly audit: AuditService,
    private readonly crime: CrimeServices,
    readonly checklist: AuditChecklist,
  ) {}

  canRecordAudits(viewer: Viewer): boolean {
    return !viewer.permissions || viewer.permissions.can(AUDIT_RECORD)
  }

  // ---- Case audits (11.2) -------------------------------------------------------------------------------------

  /** The force's audits, newest first, with each one's sample size, cases complete and compliance; audited. */
  async audits(viewer: Viewer) {
    checkViewer(viewer, AUDIT_READ)
    return this.repository.transaction(async (repository, trx) => {
      const [audits, counts, answers] = await Promise.all([
        repository.auditsOf(viewer.forceId),
        repository.caseAnswerCounts(viewer.forceId),
        repository.answerCountsByAudit(viewer.forceId),
      ])
      const questions = this.checklist.questions.length
      const tally = (auditId: number, answer: FindingAnswer) =>
        answers.find((row) => row.audit_id === auditId && row.answer === answer)?.n ?? 0
      const list = audits.map((audit) => {
        const cases = counts.filter((row) => row.audit_id === audit.id)
        const yes = tally(audit.id, 'yes')
        const no = tally(audit.id, 'no')
        return {
          ...audit,
          sampled: cases.length,
          complete: cases.filter((row) => row.answered >= questions).length,
          compliance: percent(yes, yes + no),
        }
      })
      await this.audit.record(trx, viewer.actor, {
        action: 'assurance.audits.viewed',
        subjectType: 'assurance-audits',
        subjectId: null,
        details: { audits: list.length },
      })
      return list
    })
  }

  /**
   * Creates an audit and draws its sample: `sampleSize` of the force's crimes carrying 8Q (principal or included)
   * reported in the period, seeded from the new audit's id; audited with the crimes drawn.
   */
  async createAudit(viewer: Viewer, body: unknown): Promise<{ auditId: number; sampled: number }> {
    checkViewer(viewer, AUDIT_RECORD)
    const input = parse(auditSchema, body, 'title')
    return this.repository.transaction(async (repository, trx) => {
      const period = dayPeriod(input.periodFrom, input.periodTo)
      const candidates = await repository.crimesInPeriod(viewer.forceId, STALKING_KEY, period)
      if (candidates.length === 0)
        throw new AssuranceInputError({
          periodFrom: `There are no stalking crimes (8Q, principal or included) reported between ${input.periodFrom} and ${input.periodTo}: choose another period`,
        })
      const auditId = await repository.insertAudit({
        force_id: viewer.forceId,
        title: input.title,
        period_from: input.periodFrom,
        period_to: input.periodTo,
        sample_size: input.sampleSize,
        checklist_version: this.checklist.version,
        created_by: viewer.actor.actorUsername,
        created_by_id: viewer.actor.actorId,
        created_at: new Date().toISOString(),
      })
      const sample = drawSample(
        candidates.map((row) => row.crime_id),
        input.sampleSize,
        auditId,
      )
      await repository.insertCases(
        sample.map((crimeId, index) => ({
          audit_id: auditId,
          force_id: viewer.forceId,
          crime_id: crimeId,
          position: index + 1,
        })),
      )
      await this.audit.record(trx, viewer.actor, {
        action: 'assurance.audit.created',
        subjectType: 'assurance-audit',
        subjectId: auditId,
        details: {
          title: input.title,
          periodFrom: input.periodFrom,
          periodTo: input.periodTo,
          sampleSize: input.sampleSize,
          frame: candidates.length,
          sample,
        },
      })
      return { auditId, sampled: sample.length }
    })
  }

  /**
   * An audit with its sampled cases (their completion), each question's compliance and the overall compliance; the
   * read is audited. Undefined when there is no such audit.
   */
  async auditView(viewer: Viewer, auditId: number) {
    checkViewer(viewer, AUDIT_READ)
    return this.repository.transaction(async (repository, trx) => {
      const detail = await this.auditDetail(repository, viewer, auditId)
      if (!detail) return undefined
      await this.audit.record(trx, viewer.actor, {
        action: 'assurance.audit.viewed',
        subjectType: 'assurance-audit',
        subjectId: auditId,
        details: { cases: detail.cases.map((row) => row.crime_id) },
      })
      return detail
    })
  }

  /** The audit's findings as CSV rows: one per sampled case and question (unanswered ones too); audited. */
  async findingsExport(viewer: Viewer, auditId: number) {
    checkViewer(viewer, AUDIT_READ)
    return this.repository.transaction(async (repository, trx) => {
      const detail = await this.auditDetail(repository, viewer, auditId)
      if (!detail) return undefined
      const rows: (string | number | null)[][] = [
        [
          'Audit',
          'Case',
          'Crime reference',
          'Reported',
          'Stalking recorded as',
          'Team',
          'Question',
          'Answer',
          'Note',
          'Recorded by',
          'Recorded at',
        ],
      ]
      for (const row of detail.cases) {
        for (const question of this.checklist.questions) {
          const finding = row.findings[question.id]
          rows.push([
            detail.audit.title,
            row.position,
            row.force_reference,
            row.reported_at.slice(0, 10),
            row.stalkingLabel,
            row.team ?? '',
            question.label,
            finding ? ANSWER_LABELS[finding.answer] : 'Not answered',
            finding?.note ?? '',
            finding?.recorded_by ?? '',
            finding?.recorded_at ?? '',
          ])
        }
      }
      await this.audit.record(trx, viewer.actor, {
        action: 'assurance.audit.exported',
        subjectType: 'assurance-audit',
        subjectId: auditId,
        details: { rows: rows.length - 1, cases: detail.cases.map((row) => row.crime_id) },
      })
      return { audit: detail.audit, rows }
    })
  }

  /** One sampled case of an audit with its findings by question; audited. Undefined when not in the sample. */
  async caseView(viewer: Viewer, auditId: number, crimeId: number) {
    checkViewer(viewer, AUDIT_READ)
    return this.repository.transaction(async (repository, trx) => {
      const detail = await this.auditDetail(repository, viewer, auditId)
      const row = detail?.cases.find((entry) => entry.crime_id === crimeId)
      if (!detail || !row) return undefined
      await this.audit.record(trx, viewer.actor, {
        action: 'assurance.case.viewed',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { auditId, reference: row.force_reference, answered: row.answered },
      })
      const index = detail.cases.indexOf(row)
      return {
        audit: detail.audit,
        case: row,
        /** The outcome in words ("Outcome 15: Named suspect identified: evidential difficulties…"), never a bare number. */
        outcomeText: row.outcome === null ? null : `${row.outcome}: ${this.crime.catalogue.outcomeName(row.outcome)}`,
        questions: this.checklist.questions.map((question) => ({ ...question, finding: row.findings[question.id] })),
        previous: detail.cases[index - 1]?.crime_id ?? null,
        next: detail.cases[index + 1]?.crime_id ?? null,
        position: index + 1,
        of: detail.cases.length,
      }
    })
  }

  /**
   * Records the auditor's answers on a sampled case (the form's whole state: a blank answer clears it); a "no" needs a
   * note. Audited with what changed.
   */
  async recordFindings(
    viewer: Viewer,
    auditId: number,
    crimeId: number,
    body: unknown,
  ): Promise<{ answered: number; complete: boolean }> {
    checkViewer(viewer, AUDIT_RECORD)
    return this.repository.transaction(async (repository, trx) => {
      const audit = await repository.auditById(auditId)
      if (!audit) throw new AssuranceInputError({ audit: 'There is no such audit' })
      checkViewer(viewer, AUDIT_RECORD, audit.force_id)
      const sampled = (await repository.casesOf(auditId, STALKING_KEY)).find((row) => row.crime_id === crimeId)
      if (!sampled) throw new AssuranceInputError({ crime: 'This crime is not in the audit’s sample' })
      const form = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
      const parsed = parseFindings(this.checklist, form)
      if (!parsed.ok) throw new AssuranceInputError(parsed.errors)
      const existing = new Map((await repository.findingsOf(auditId, sampled.id)).map((row) => [row.question_id, row]))
      const now = new Date().toISOString()
      const by = { recorded_by: viewer.actor.actorUsername, recorded_by_id: viewer.actor.actorId, recorded_at: now }
      const changes: Record<string, { from: FindingAnswer | null; to: FindingAnswer | null; note?: string }> = {}
      for (const question of this.checklist.questions) {
        const before = existing.get(question.id)
        const after = parsed.value[question.id]
        if (after && !before) {
          await repository.insertFinding({
            audit_id: auditId,
            case_id: sampled.id,
            force_id: audit.force_id,
            crime_id: crimeId,
            question_id: question.id,
            answer: after.answer,
            note: after.note,
            ...by,
          })
        } else if (after && before && (after.answer !== before.answer || after.note !== before.note)) {
          await repository.updateFinding(before.id, { answer: after.answer, note: after.note, ...by })
        } else if (!after && before) {
          await repository.deleteFinding(before.id)
        } else continue
        changes[question.id] = {
          from: before?.answer ?? null,
          to: after?.answer ?? null,
          note: after?.note || undefined,
        }
      }
      const answered = Object.keys(parsed.value).length
      const complete = this.checklist.questions.every((question) => parsed.value[question.id])
      await this.audit.record(trx, viewer.actor, {
        action: 'assurance.findings.recorded',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { auditId, checklistVersion: audit.checklist_version, changes, answered, complete },
      })
      return { answered, complete }
    })
  }

  private async auditDetail(repository: AssuranceRepository, viewer: Viewer, auditId: number) {
    const audit = await repository.auditById(auditId)
    if (!audit) return undefined
    checkViewer(viewer, AUDIT_READ, audit.force_id)
    const [cases, findings] = await Promise.all([
      repository.casesOf(auditId, STALKING_KEY),
      repository.findingsOf(auditId),
    ])
    const byCase = new Map<number, Record<string, FindingRow>>()
    for (const row of findings) {
      const entry = byCase.get(row.case_id) ?? {}
      entry[row.question_id] = row
      byCase.set(row.case_id, entry)
    }
    const questions = this.checklist.questions
    const rows = cases.map((row) => {
      const own = byCase.get(row.id) ?? {}
      const answered = questions.filter((question) => own[question.id]).length
      return {
        ...row,
        stalkingLabel: STALKING_ROLE_LABELS[row.stalking_role ?? ''] ?? 'No longer recorded as stalking',
        findings: own,
        answered,
        complete: answered === questions.length,
        noes: questions.filter((question) => own[question.id]?.answer === 'no').length,
      }
    })
    let yesAll = 0
    let noAll = 0
    const byQuestion = questions.map((question) => {
      const answers = rows.map((row) => row.findings[question.id]?.answer).filter(Boolean)
      const yes = answers.filter((answer) => answer === 'yes').length
      const no = answers.filter((answer) => answer === 'no').length
      yesAll += yes
      noAll += no
      return {
        id: question.id,
        label: question.label,
        yes,
        no,
        notApplicable: answers.length - yes - no,
        unanswered: rows.length - answers.length,
        compliance: compliance(yes, no),
        percent: percent(yes, yes + no),
      }
    })
    return {
      audit,
      cases: rows,
      questions: byQuestion,
      complete: rows.filter((row) => row.complete).length,
      overall: {
        yes: yesAll,
        no: noAll,
        compliance: compliance(yesAll, noAll),
        percent: percent(yesAll, yesAll + noAll),
      },
    }
  }

  // ---- Victim feedback (11.3) ---------------------------------------------------------------------------------

  /** A crime's victims with their survey responses, newest first; the read is audited. Undefined when no crime. */
  async feedbackView(viewer: Viewer, crimeId: number) {
    checkViewer(viewer, 'case:read')
    return this.repository.transaction(async (repository, trx) => {
      const crimes = this.crime.repository.with(trx)
      const crime = await crimes.crimeById(crimeId)
      if (!crime) return undefined
      checkViewer(viewer, 'case:read', crime.force_id)
      const [parties, surveys, stalking] = await Promise.all([
        crimes.partiesOf(crimeId),
        repository.surveysOf(crime.force_id, crimeId),
        repository.carriesKey(crime.force_id, crimeId, STALKING_KEY),
      ])
      const seen = new Set<number>()
      const victims = parties
        .filter((party) => party.role === 'victim' && !seen.has(party.person_id) && seen.add(party.person_id))
        .map((party) => ({
          person_id: party.person_id,
          name: [party.forename, party.surname].filter(Boolean).join(' ') || 'Unnamed person',
          surveys: surveys.filter((row) => row.person_id === party.person_id).map(describeSurvey),
        }))
      await this.audit.record(trx, viewer.actor, {
        action: 'assurance.feedback.viewed',
        subjectType: 'crime',
        subjectId: crimeId,
        details: { reference: crime.force_reference, victims: victims.length, surveys: surveys.length },
      })
      return {
        crime: crimeHeading(crime),
        stalking,
        victims,
      }
    })
  }

  /** Records a victim's survey response on a stalking crime of the viewer's force, audited. */
  async recordSurvey(viewer: Viewer, crimeId: number, personId: number, body: unknown): Promise<{ surveyId: number }> {
    checkViewer(viewer, 'case:edit')
    return this.repository.transaction(async (repository, trx) => {
      const crime = await this.editableVictim(viewer, crimeId, personId, trx, repository)
      const input = parse(surveySchema, body, 'surveyedOn')
      const reported = crime.reported_at.slice(0, 10)
      if (input.surveyedOn < reported)
        throw new AssuranceInputError({
          surveyedOn: `The date of the survey must be on or after the date the crime was reported (${reported})`,
        })
      const row = {
        force_id: crime.force_id,
        crime_id: crimeId,
        person_id: personId,
        surveyed_on: input.surveyedOn,
        method: input.method,
        ease_of_contact: input.easeOfContact,
        updates: input.updates,
        actions_taken: input.actionsTaken,
        treatment: input.treatment,
        overall: input.overall,
        comment: input.comment,
        recorded_by: viewer.actor.actorUsername,
        recorded_by_id: viewer.actor.actorId,
        recorded_at: new Date().toISOString(),
      }
      const surveyId = await repository.insertSurvey(row)
      await this.audit.record(trx, viewer.actor, {
        action: 'assurance.survey.recorded',
        subjectType: 'crime',
        subjectId: crimeId,
        details: {
          surveyId,
          personId,
          surveyedOn: row.surveyed_on,
          method: row.method,
          easeOfContact: row.ease_of_contact,
          updates: row.updates,
          actionsTaken: row.actions_taken,
          treatment: row.treatment,
          overall: row.overall,
          comment: row.comment,
        },
      })
      return { surveyId }
    })
  }

  /**
   * The force's survey responses on stalking crimes made between two days (inclusive): responses, the share very or
   * fairly satisfied of those answering each metric, and the same by month. Counts only, no person's details.
   */
  async feedbackSummary(viewer: Viewer, fromDay: string, toDay: string) {
    checkViewer(viewer, AUDIT_READ)
    const rows = await this.stalkingSurveys(viewer.forceId, fromDay, nextDay(toDay))
    const months = monthsBetween(fromDay, toDay).map((month) => {
      const own = rows.filter((row) => row.surveyed_on.slice(0, 7) === month)
      return { month, responses: own.length, metrics: metricShares(own) }
    })
    const methods = SURVEY_METHODS.map((method) => ({
      method,
      label: METHOD_LABELS[method],
      responses: rows.filter((row) => row.method === method).length,
    }))
    return {
      from: fromDay,
      to: toDay,
      responses: rows.length,
      victims: new Set(rows.map((row) => `${row.crime_id}:${row.person_id}`)).size,
      metrics: metricShares(rows),
      months,
      methods,
    }
  }

  /** The summary as CSV rows: the whole period, then each month; per metric satisfied, answering and %. */
  async feedbackSummaryCsv(viewer: Viewer, fromDay: string, toDay: string) {
    const summary = await this.feedbackSummary(viewer, fromDay, toDay)
    const header: string[] = ['Period', 'Responses']
    for (const { label } of METRICS) header.push(`${label}: satisfied`, `${label}: answering`, `${label}: % satisfied`)
    const line = (period: string, responses: number, metrics: MetricShare[]) => [
      period,
      responses,
      ...metrics.flatMap((share) => [share.satisfied, share.answered, share.percent]),
    ]
    return [
      header,
      line(`${fromDay} to ${toDay}`, summary.responses, summary.metrics),
      ...summary.months.map((month) => line(month.month, month.responses, month.metrics)),
    ]
  }

  // ---- Measures ------------------------------------------------------------------------------------------------

  /** Findings recorded (last changed) in the period on the force's audits, by answer, and the cases they cover. */
  async auditMeasure(forceId: number, period: MeasurePeriod): Promise<AuditMeasure> {
    const rows = await this.repository.findingsRecordedIn(forceId, period)
    const count = (answer: FindingAnswer) => rows.filter((row) => row.answer === answer).length
    return {
      yes: count('yes'),
      no: count('no'),
      notApplicable: count('not_applicable'),
      casesAudited: new Set(rows.map((row) => row.case_id)).size,
    }
  }

  /**
   * Victims of the force's stalking crimes surveyed in the period (the survey's date): each victim of a crime counted
   * once, by their latest response in the period; satisfied is very or fairly satisfied overall, of those answering.
   */
  async satisfactionMeasure(forceId: number, period: MeasurePeriod): Promise<SatisfactionMeasure> {
    const lastDay = new Date(Date.parse(period.to) - 1).toISOString().slice(0, 10)
    const rows = await this.stalkingSurveys(forceId, period.from.slice(0, 10), nextDay(lastDay))
    const latest = new Map<string, Satisfaction>()
    for (const row of rows) latest.set(`${row.crime_id}:${row.person_id}`, row.overall)
    const answers = [...latest.values()].filter((answer) => answer !== 'not_answered')
    return {
      surveyed: latest.size,
      answered: answers.length,
      satisfied: answers.filter((answer) => SATISFIED.has(answer)).length,
    }
  }

  /** Survey responses from one day up to another (exclusive) on crimes that carry 8Q, oldest first. */
  private async stalkingSurveys(forceId: number, fromDay: string, beforeDay: string) {
    const rows = await this.repository.surveysBetween(forceId, fromDay, beforeDay)
    const stalking = await this.repository.crimesCarryingKey(
      forceId,
      STALKING_KEY,
      rows.map((row) => row.crime_id),
    )
    return rows.filter((row) => stalking.has(row.crime_id))
  }

  // ---- Checks ----------------------------------------------------------------------------------------------------

  /** The crime, if the viewer may change its force's records, it is stalking and the person is its victim. */
  private async editableVictim(
    viewer: Viewer,
    crimeId: number,
    personId: number,
    trx: Transaction<Database>,
    repository: AssuranceRepository,
  ) {
    const crime = await this.crime.records.editableCrime(viewer, crimeId, trx, AssuranceInputError)
    const parties = await this.crime.repository.with(trx).partiesOf(crimeId)
    if (!parties.some((party) => party.role === 'victim' && party.person_id === personId))
      throw new AssuranceInputError({ person: 'This person is not recorded as a victim of this crime' })
    if (!(await repository.carriesKey(crime.force_id, crimeId, STALKING_KEY)))
      throw new AssuranceInputError({
        stalking: 'Victim feedback is recorded on stalking crimes (8Q, principal or included) only',
      })
    return crime
  }
}

export const STALKING_ROLE_LABELS: Record<string, string> = {
  principal: 'Principal',
  included: 'Included',
  both: 'Principal and included',
}

function describeSurvey(row: SurveyRow) {
  return {
    ...row,
    methodLabel: METHOD_LABELS[row.method],
    answers: METRICS.map(({ metric, label }) => ({
      metric,
      label,
      answer: row[metric],
      text: SATISFACTION_LABELS[row[metric]],
    })),
  }
}

export type AuditView = NonNullable<Awaited<ReturnType<AssuranceService['auditView']>>>
export type FeedbackView = NonNullable<Awaited<ReturnType<AssuranceService['feedbackView']>>>
