// The stalking screening tool (S-DASH 2009): the questions are data (sdash.json, with its source); this module
// validates an officer's answers. There is deliberately no score threshold: the number of yes answers is shown and
// the officer's professional judgement and chosen risk level are recorded.
import { readFileSync } from 'node:fs'
import { z } from 'zod'

const fileSchema = z.object({
  source: z.object({ title: z.string(), authors: z.string(), note: z.string() }),
  questions: z
    .array(z.object({ id: z.string().regex(/^q\d+$/), text: z.string().min(1), hint: z.string().nullable() }))
    .length(11),
})

export type SdashQuestion = z.infer<typeof fileSchema>['questions'][number]

const file = fileSchema.parse(JSON.parse(readFileSync(new URL('./sdash.json', import.meta.url), 'utf8')))

export const SDASH_SOURCE = file.source
export const SDASH_QUESTIONS: readonly SdashQuestion[] = file.questions

export const ANSWERS = ['yes', 'no', 'unknown'] as const
export type Answer = (typeof ANSWERS)[number]
export const RISK_LEVELS = ['standard', 'medium', 'high'] as const
export const RISK_LABELS: Record<(typeof RISK_LEVELS)[number], string> = {
  standard: 'Standard',
  medium: 'Medium',
  high: 'High',
}

export interface SdashInput {
  answers: Record<string, { answer: Answer; comment: string }>
  judgement: string
  riskLevel: (typeof RISK_LEVELS)[number]
}

/** Form fields (q1..q11, q1-comment.., judgement, riskLevel) → a checked assessment, or errors by field. */
export function parseSdashForm(
  body: Record<string, unknown>,
): { ok: true; value: SdashInput } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const answers: SdashInput['answers'] = {}
  SDASH_QUESTIONS.forEach((question, index) => {
    const raw = body[question.id]
    const comment =
      typeof body[`${question.id}-comment`] === 'string' ? String(body[`${question.id}-comment`]).trim() : ''
    if (typeof raw !== 'string' || !(ANSWERS as readonly string[]).includes(raw)) {
      errors[question.id] = `Answer question ${index + 1}: yes, no or not known`
    } else if (comment.length > 2000) {
      errors[question.id] = `The note on question ${index + 1} must be 2000 characters or fewer`
    } else {
      answers[question.id] = { answer: raw as Answer, comment }
    }
  })
  const judgement = typeof body.judgement === 'string' ? body.judgement.trim() : ''
  if (!judgement) errors.judgement = 'Enter your professional judgement of the risk, in your own words'
  else if (judgement.length > 5000) errors.judgement = 'The professional judgement must be 5000 characters or fewer'
  const riskLevel = body.riskLevel
  if (typeof riskLevel !== 'string' || !(RISK_LEVELS as readonly string[]).includes(riskLevel)) {
    errors.riskLevel = 'Choose the risk level you judge it to be: standard, medium or high'
  }
  if (Object.keys(errors).length) return { ok: false, errors }
  return { ok: true, value: { answers, judgement, riskLevel: riskLevel as SdashInput['riskLevel'] } }
}

export function yesCount(answers: SdashInput['answers']): number {
  return Object.values(answers).filter((entry) => entry.answer === 'yes').length
}
