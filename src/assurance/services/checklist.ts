// The case audit's checklist: data in src/assurance/audit-checklist.json, checked when loaded, and the one parser of a
// case's findings form (or API body) against it. Answers by question id: yes, no (with a note) or not applicable.
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { FINDING_ANSWERS, type FindingAnswer } from '../data/tables.ts'

const questionSchema = z.object({
  id: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/),
  label: z.string().min(1),
  hint: z.string().optional(),
})
const checklistSchema = z.object({
  version: z.number().int().min(1),
  questions: z.array(questionSchema).min(1),
})
export type AuditChecklist = z.output<typeof checklistSchema>
export type AuditQuestion = z.output<typeof questionSchema>

export const ANSWER_LABELS: Record<FindingAnswer, string> = { yes: 'Yes', no: 'No', not_applicable: 'Not applicable' }

export function loadAuditChecklist(path = new URL('../audit-checklist.json', import.meta.url)): AuditChecklist {
  const parsed = checklistSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`audit-checklist.json, ${issue.path.join('.')}: ${issue.message}`)
  }
  const ids = parsed.data.questions.map((question) => question.id)
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index)
  if (repeated) throw new Error(`audit-checklist.json: question "${repeated}" appears twice`)
  return parsed.data
}

export interface Finding {
  answer: FindingAnswer
  note: string
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '')

/**
 * Parses a case's findings as the form sends them: per question `<id>` (yes, no, not_applicable, or blank for not
 * answered yet) and `<id>-note`. A "no" needs a note; at least one question must be answered. Errors are by form field.
 */
export function parseFindings(
  checklist: AuditChecklist,
  body: Record<string, unknown>,
): { ok: true; value: Record<string, Finding> } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const findings: Record<string, Finding> = {}
  for (const question of checklist.questions) {
    const answer = text(body[question.id])
    const note = text(body[`${question.id}-note`])
    const name = question.label
    if (note.length > 2000) errors[`${question.id}-note`] = 'The note must be 2000 characters or fewer'
    if (answer === '') continue
    if (!(FINDING_ANSWERS as readonly string[]).includes(answer)) {
      errors[question.id] = `Choose yes, no or not applicable for: ${name}`
      continue
    }
    if (answer === 'no' && !note)
      errors[`${question.id}-note`] = `Enter a note saying why the answer is no for: ${name}`
    findings[question.id] = { answer: answer as FindingAnswer, note }
  }
  if (!Object.keys(errors).length && !Object.keys(findings).length)
    errors[checklist.questions[0].id] = 'Answer at least one question: yes, no or not applicable'
  if (Object.keys(errors).length) return { ok: false, errors }
  return { ok: true, value: findings }
}

/** Compliance: yes over yes and no (not applicable left out); null when nothing was answered yes or no. */
export function compliance(yes: number, no: number): number | null {
  return yes + no === 0 ? null : yes / (yes + no)
}
