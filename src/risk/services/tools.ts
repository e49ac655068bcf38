// Risk assessment tools as data (Recommendation 12.2): each JSON file in src/risk/tools/ is one tool's definition
// (questions, the answers allowed, guidance, where it comes from), checked on load. A force moving to another tool adds
// a file, not code. The yes-count is shown; no threshold ever turns it into a risk level.
import { readdirSync, readFileSync } from 'node:fs'
import { z } from 'zod'

export const RISK_LEVELS = ['standard', 'medium', 'high'] as const
export type RiskLevel = (typeof RISK_LEVELS)[number]
export const RISK_LEVEL_LABELS: Record<RiskLevel, string> = { standard: 'Standard', medium: 'Medium', high: 'High' }
export const RISK_LEVEL_RANK: Record<RiskLevel, number> = { standard: 1, medium: 2, high: 3 }

const ANSWER_LABELS: Record<string, string> = { yes: 'Yes', no: 'No', unknown: 'Not known' }

export const toolSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower case letters, digits and underscores'),
  name: z.string().min(1),
  shortName: z.string().min(1).max(20),
  version: z.number().int().positive(),
  source: z.object({ title: z.string().min(1), authors: z.string().min(1), note: z.string().min(1) }),
  answers: z.array(z.enum(['yes', 'no', 'unknown'])).min(2),
  questions: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z][a-z0-9_]*$/),
        text: z.string().min(1),
        hint: z.string().nullable(),
      }),
    )
    .min(1)
    .max(100),
})
export type RiskTool = z.infer<typeof toolSchema>

/** Every tool in a folder (by default src/risk/tools/), by id; a bad file is named with the field that is wrong. */
export function loadTools(folder = new URL('../tools/', import.meta.url)): Map<string, RiskTool> {
  const tools = new Map<string, RiskTool>()
  for (const name of readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()) {
    const parsed = toolSchema.safeParse(JSON.parse(readFileSync(new URL(name, folder), 'utf8')))
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new Error(`src/risk/tools/${name}, ${issue.path.join('.')}: ${issue.message}`)
    }
    const tool = parsed.data
    if (tools.has(tool.id)) throw new Error(`src/risk/tools/${name}: the tool id "${tool.id}" is used twice`)
    const ids = new Set(tool.questions.map((question) => question.id))
    if (ids.size !== tool.questions.length) throw new Error(`src/risk/tools/${name}: a question id is used twice`)
    tools.set(tool.id, tool)
  }
  return tools
}

export interface AssessmentInput {
  answers: Record<string, { answer: string; comment: string }>
  rationale: string
  riskLevel: RiskLevel
}

/** The form's fields (q1.., q1-comment.., rationale, riskLevel) checked against a tool: the input, or errors by field. */
export function parseAssessment(
  tool: RiskTool,
  body: Record<string, unknown>,
): { ok: true; value: AssessmentInput } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const answers: AssessmentInput['answers'] = {}
  const allowed = tool.answers.map((answer) => ANSWER_LABELS[answer].toLowerCase())
  const choices = `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`
  tool.questions.forEach((question, index) => {
    const raw = body[question.id]
    const note = body[`${question.id}-comment`]
    const comment = typeof note === 'string' ? note.trim() : ''
    if (typeof raw !== 'string' || !(tool.answers as string[]).includes(raw)) {
      errors[question.id] = `Answer question ${index + 1}: ${choices}`
    } else if (comment.length > 2000) {
      errors[question.id] = `The note on question ${index + 1} must be 2000 characters or fewer`
    } else answers[question.id] = { answer: raw, comment }
  })
  const rationale = typeof body.rationale === 'string' ? body.rationale.trim() : ''
  if (!rationale) errors.rationale = 'Enter why you judge the risk at this level, in your own words'
  else if (rationale.length > 5000) errors.rationale = 'The rationale must be 5000 characters or fewer'
  const riskLevel = body.riskLevel
  if (typeof riskLevel !== 'string' || !(RISK_LEVELS as readonly string[]).includes(riskLevel)) {
    errors.riskLevel = 'Choose the risk level you judge it to be: standard, medium or high'
  }
  if (Object.keys(errors).length) return { ok: false, errors }
  return { ok: true, value: { answers, rationale, riskLevel: riskLevel as RiskLevel } }
}

export function yesCount(answers: AssessmentInput['answers']): number {
  return Object.values(answers).filter((entry) => entry.answer === 'yes').length
}

export function answerLabel(answer: string): string {
  return ANSWER_LABELS[answer] ?? answer
}
