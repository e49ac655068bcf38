// The crime interchange model: what extract readers and the generator produce, and what the crime store accepts.
// Dates are ISO 'YYYY-MM-DD' (or full ISO date-times for reported times); no Date objects cross this boundary.

export const PARTY_ROLES = ['victim', 'suspect', 'witness'] as const
export type PartyRole = (typeof PARTY_ROLES)[number]

export const IDENTIFIER_KINDS = ['phone', 'email', 'social', 'vehicle', 'pnc', 'other'] as const
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number]

export interface PersonIdentifier {
  kind: IdentifierKind
  value: string
}

export interface PartyInput {
  role: PartyRole
  /** The records system's person reference, when the extract has one. */
  personRef: string | null
  forename: string | null
  surname: string | null
  /** 'YYYY-MM-DD' or null. */
  dateOfBirth: string | null
  identifiers: PersonIdentifier[]
}

export interface ClassificationInput {
  /** Home Office offence class code, e.g. '8Q'. */
  code: string
  addedBy: string | null
  /** ISO date or date-time. */
  addedAt: string | null
  reason: string | null
}

export interface OccurrenceInput {
  from: string
  /** Same as from for a single day; later for a range. */
  to: string
}

export interface CrimeRecordInput {
  /** Records-system crime number, unique within a force. */
  forceReference: string
  /** 'crime' or 'intelligence' (an intelligence report, Recommendation 7.2's interim measure). */
  kind: 'crime' | 'intelligence'
  reportedAt: string
  occurrences: OccurrenceInput[]
  /** Home Office code of the principal classification; null for an intelligence report. */
  principal: string | null
  included: ClassificationInput[]
  /** stalking: flagged stalking in the records system (intelligence reports, Recommendation 7.2); absent is false. */
  flags: { domesticAbuse: boolean; online: boolean; repeatVictim: boolean; stalking?: boolean }
  parties: PartyInput[]
  narrative: string
  team: string | null
  officerInCase: string | null
  status: string | null
  /** Home Office outcome type 1–22, or null when not finalised. */
  outcome: number | null
  /** Force references of crimes an intelligence report is linked to. */
  linkedCrimeRefs: string[]
  /** Free-text location (open data has one); null when the extract has none. */
  location: string | null
}

/** A problem found in an input file, naming file, line and field. */
export interface RowProblem {
  file: string
  line: number
  field: string | null
  message: string
}

export function describeProblem(problem: RowProblem): string {
  const where = [problem.file, `line ${problem.line}`, problem.field ? `field "${problem.field}"` : null]
    .filter(Boolean)
    .join(', ')
  return `${where}: ${shortened(problem.message)}`
}

/** Most characters of a problem shown: a message quoting a multi-megabyte bad cell would otherwise repeat all of it. */
export const MAX_PROBLEM_CHARACTERS = 300

function shortened(message: string): string {
  if (message.length <= MAX_PROBLEM_CHARACTERS) return message
  return `${message.slice(0, MAX_PROBLEM_CHARACTERS)}… (${message.length - MAX_PROBLEM_CHARACTERS} more characters)`
}
