// The investigation quality review's checklist: data in src/investigation/checklist.json, checked when loaded, and the
// one parser of a review form (or API body) against it. Answers by item id; what each item counts towards by its
// `measure`.
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { isRealDay } from '../../platform/days.ts'

export const ITEM_KINDS = ['line', 'action', 'yesno'] as const
export const ITEM_MEASURES = ['digital', 'arrest', 'search', 'victim_impact'] as const
export type ItemMeasure = (typeof ITEM_MEASURES)[number]

const itemSchema = z.object({
  id: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/),
  label: z.string().min(1),
  kind: z.enum(ITEM_KINDS),
  measure: z.enum(ITEM_MEASURES).optional(),
  hint: z.string().optional(),
})
const checklistSchema = z.object({
  version: z.number().int().min(1),
  sections: z
    .array(
      z.object({
        id: z.string(),
        heading: z.string(),
        evidence: z.string().optional(),
        hint: z.string().optional(),
        items: z.array(itemSchema).min(1),
      }),
    )
    .min(1),
})
export type Checklist = z.output<typeof checklistSchema>
export type ChecklistItem = z.output<typeof itemSchema>

/** The answers each kind of item takes, with the words the form and the history show. */
export const ANSWER_LABELS = {
  line: { pursued: 'Pursued', not_applicable: 'Not applicable', not_pursued: 'Not pursued' },
  action: { yes: 'Yes', no: 'No' },
  yesno: { yes: 'Yes', no: 'No' },
} as const

export function loadChecklist(path = new URL('../checklist.json', import.meta.url)): Checklist {
  const parsed = checklistSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`checklist.json, ${issue.path.join('.')}: ${issue.message}`)
  }
  const ids = parsed.data.sections.flatMap((section) => section.items.map((item) => item.id))
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index)
  if (repeated) throw new Error(`checklist.json: item "${repeated}" appears twice`)
  return parsed.data
}

export interface Answer {
  answer: string
  date?: string
  reason?: string
}

export interface ParsedReview {
  reviewedOn: string
  notes: string
  answers: Record<string, Answer>
  /** 0/1 by measure: any digital line pursued; arrested; searched; victim impact evidenced. */
  flags: Record<ItemMeasure, number>
}

const today = () => new Date().toISOString().slice(0, 10)
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '')

/** An error message if the text is not a real YYYY-MM-DD date on or before today; `what` names it. */
export function pastDateError(value: string, what: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return `Enter ${what} as a real date, for example 27 3 2025`
  if (!isRealDay(value)) return `Enter ${what} as a real date`
  if (value > today()) return `${what.charAt(0).toUpperCase()}${what.slice(1)} must be today or in the past`
  return null
}

/**
 * Parses a review as the form sends it: `reviewedOn`, `notes`, and per item `<id>` (the answer), `<id>-date` and
 * `<id>-reason`. Every item needs an answer; a line not pursued and an action not done need a reason; an action done
 * needs its date. Errors are by form field.
 */
export function parseReview(
  checklist: Checklist,
  body: Record<string, unknown>,
): { ok: true; value: ParsedReview } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const reviewedOn = text(body.reviewedOn)
  const dateError = reviewedOn ? pastDateError(reviewedOn, 'the date of the review') : 'Enter the date of the review'
  if (dateError) errors.reviewedOn = dateError
  const notes = text(body.notes)
  if (notes.length > 5000) errors.notes = 'The notes must be 5000 characters or fewer'
  const answers: Record<string, Answer> = {}
  const flags: Record<ItemMeasure, number> = { digital: 0, arrest: 0, search: 0, victim_impact: 0 }
  for (const item of checklist.sections.flatMap((section) => section.items)) {
    const answer = text(body[item.id])
    const allowed = Object.keys(ANSWER_LABELS[item.kind])
    // Lower-case the first letter of a sentence-case label, not of an initialism such as CCTV.
    const name = /^[A-Z][a-z]/.test(item.label) ? item.label.charAt(0).toLowerCase() + item.label.slice(1) : item.label
    if (!allowed.includes(answer)) {
      errors[item.id] =
        item.kind === 'line'
          ? `Choose whether ${name} were pursued, not applicable or not pursued`
          : `Choose yes or no for: ${name}`
      continue
    }
    const reason = text(body[`${item.id}-reason`])
    const date = text(body[`${item.id}-date`])
    if (reason.length > 2000) errors[`${item.id}-reason`] = 'The reason must be 2000 characters or fewer'
    const entry: Answer = { answer }
    if (item.kind === 'line' && answer === 'not_pursued') {
      if (!reason) errors[`${item.id}-reason`] = `Enter why ${name} were not pursued`
      entry.reason = reason
    }
    if (item.kind === 'action' && answer === 'no') {
      if (!reason) errors[`${item.id}-reason`] = `Enter the reason for no: ${name}`
      entry.reason = reason
    }
    if (item.kind === 'action' && answer === 'yes') {
      const error = date ? pastDateError(date, 'the date') : `Enter the date for: ${name}`
      if (error) errors[`${item.id}-date`] = error
      else if (reviewedOn && !dateError && date > reviewedOn)
        errors[`${item.id}-date`] = 'The date must be on or before the date of the review'
      entry.date = date
    }
    if (item.kind === 'yesno' && reason) entry.reason = reason
    answers[item.id] = entry
    if (item.measure) {
      const counts = item.kind === 'line' ? answer === 'pursued' : answer === 'yes'
      if (counts) flags[item.measure] = 1
    }
  }
  if (Object.keys(errors).length) return { ok: false, errors }
  return { ok: true, value: { reviewedOn, notes, answers, flags } }
}
