// Why a crime enters the screening queue, in words a screener can check against the record. Pure: the service feeds it
// the crime, the force's settings, the narrative's indicators and the courses of conduct the crime is in.
import { describeCarriedBy, type NarrativeExplanation } from '../indicators/index.ts'

export type ReasonKind = 'classification' | 'former_partners' | 'narrative' | 'course'

export const REASON_LABELS: Record<ReasonKind, string> = {
  classification: 'Watched classification',
  former_partners: 'Domestic abuse between former partners',
  narrative: 'Narrative indicators',
  course: 'Course of conduct',
}

export interface ScreeningSettings {
  watched: ReadonlySet<string>
  stalkingCodes: ReadonlySet<string>
  watchFormerPartners: boolean
}

export interface CrimeFacts {
  kind: 'crime' | 'intelligence'
  /** An intelligence report already flagged stalking (from the extract or by a screener). */
  stalkingFlag?: boolean
  principal: string | null
  included: readonly string[]
  domesticAbuse: boolean
  narrative: string
  /**
   * formerPartnersMatch(narrative), when the caller has already worked it out (a full run judges each narrative as it
   * reads it and keeps only what the verdict needs); read from the narrative when undefined.
   */
  formerPartners?: string | null
}

export interface CourseFacts {
  /** Incidents in the course, this one included. */
  incidents: number
  firstReportedAt: string
  /** Every classification across the course. */
  classifications: readonly string[]
}

export interface ScreeningVerdict {
  /** The crime needs a screener: queued. */
  eligible: boolean
  /** Already recorded as stalking (principal or included, or intelligence flagged stalking): never queued. */
  recordedAsStalking: boolean
  reasons: string[]
  kinds: ReasonKind[]
  suggestsStalking: boolean
}

/** Words in a narrative that say the suspect and victim were partners once. */
const FORMER_PARTNERS =
  /\b(?:ex[- ]?(?:partner|husband|wife|boyfriend|girlfriend|fianc[eé]e?)|former (?:partner|husband|wife|boyfriend|girlfriend)|previous partner|(?:were|was) in a relationship|since the relationship ended|relationship (?:ended|is over|broke down)|separated from)\b/i

export function formerPartnersMatch(narrative: string): string | null {
  return FORMER_PARTNERS.exec(narrative)?.[0] ?? null
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text
}

function quote(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim()
  return `'${clean.length > 80 ? `${clean.slice(0, 77)}...` : clean}'`
}

/** "Narrative mentions: repeated contact ('sent over 40 messages'), loitering ('waiting outside her work')". */
export function indicatorReason(explanation: NarrativeExplanation): string | null {
  if (explanation.indicators.length === 0) return null
  const byLabel = new Map<string, string[]>()
  for (const hit of explanation.indicators) {
    const matches = byLabel.get(hit.label) ?? []
    if (!matches.some((match) => match.toLowerCase() === hit.match.toLowerCase())) matches.push(hit.match)
    byLabel.set(hit.label, matches)
  }
  const parts = [...byLabel].map(
    ([label, matches]) => `${lowerFirst(label)} (${matches.slice(0, 2).map(quote).join(', ')})`,
  )
  const together = explanation.suggestsStalking
    ? `. Together these suggest stalking (score ${explanation.score.toFixed(2)}, threshold ${explanation.threshold.toFixed(2)}; carried by ${describeCarriedBy(explanation)})`
    : ''
  return `Narrative mentions: ${parts.join(', ')}${together}`
}

export function courseReason(course: CourseFacts, name: (code: string) => string): string {
  const others = course.incidents - 1
  const codes = course.classifications.map((code) => `${code} ${name(code)}`.trim())
  return (
    `Linked to ${others} other ${others === 1 ? 'incident' : 'incidents'} between the same suspect and victim since ` +
    `${course.firstReportedAt.slice(0, 10)}${codes.length ? ` (recorded as ${codes.join(', ')})` : ''}`
  )
}

export function screeningVerdict(
  crime: CrimeFacts,
  settings: ScreeningSettings,
  explanation: NarrativeExplanation,
  courses: readonly CourseFacts[],
  name: (code: string) => string,
): ScreeningVerdict {
  const codes = [crime.principal, ...crime.included].filter((code): code is string => Boolean(code))
  const recordedAsStalking = codes.some((code) => settings.stalkingCodes.has(code)) || crime.stalkingFlag === true
  const reasons: string[] = []
  const kinds: ReasonKind[] = []
  if (crime.principal && settings.watched.has(crime.principal)) {
    reasons.push(`Principal classification ${crime.principal} ${name(crime.principal)} is watched`)
    kinds.push('classification')
  }
  for (const code of crime.included) {
    if (settings.watched.has(code) && code !== crime.principal) {
      reasons.push(`Included classification ${code} ${name(code)} is watched`)
      if (!kinds.includes('classification')) kinds.push('classification')
    }
  }
  if (settings.watchFormerPartners && crime.domesticAbuse) {
    const match = crime.formerPartners !== undefined ? crime.formerPartners : formerPartnersMatch(crime.narrative)
    if (match) {
      reasons.push(`Flagged as domestic abuse, and the narrative describes former partners (${quote(match)})`)
      kinds.push('former_partners')
    }
  }
  for (const course of courses) {
    reasons.push(courseReason(course, name))
    if (!kinds.includes('course')) kinds.push('course')
  }
  // Every crime and intelligence report is screened: watched classifications, former partners and courses of conduct
  // always queue; any other record is queued when its narrative suggests stalking.
  const eligible = !recordedAsStalking && (kinds.length > 0 || explanation.suggestsStalking)
  const narrative = indicatorReason(explanation)
  if (narrative) {
    reasons.push(narrative)
    kinds.push('narrative')
  }
  return { eligible, recordedAsStalking, reasons, kinds, suggestsStalking: explanation.suggestsStalking }
}

/** The narrative cut into plain and highlighted pieces (overlapping matches merged), for <mark> in the page. */
export function highlightSegments(
  text: string,
  indicators: readonly { start: number; end: number; label: string }[],
): { text: string; labels: string[] | null }[] {
  const spans = [...indicators].sort((a, b) => a.start - b.start || b.end - a.end)
  const merged: { start: number; end: number; labels: string[] }[] = []
  for (const span of spans) {
    const last = merged[merged.length - 1]
    if (last && span.start < last.end) {
      last.end = Math.max(last.end, span.end)
      if (!last.labels.includes(span.label)) last.labels.push(span.label)
    } else {
      merged.push({ start: span.start, end: span.end, labels: [span.label] })
    }
  }
  const out: { text: string; labels: string[] | null }[] = []
  let at = 0
  for (const span of merged) {
    if (span.start > at) out.push({ text: text.slice(at, span.start), labels: null })
    out.push({ text: text.slice(span.start, span.end), labels: span.labels })
    at = span.end
  }
  if (at < text.length) out.push({ text: text.slice(at), labels: null })
  return out
}
