// The platform's obligation contract (types only). An obligation is a promise the recommendations make about every
// stalking case ("an S-DASH on every stalking crime within a day"): it starts when an event happens on a crime (the
// crime is recorded as stalking; an S-DASH says high risk; an order is granted), is met by another event (the area's
// own record: the S-DASH completed, the SPO consideration recorded), and is due a period after it started.
//
// Areas declare the events they can answer, and may declare obligations of their own, through an ObligationSource;
// the case work area (src/cases/) keeps the catalogue, works out what is due and shows it. The platform names no area.

/** Calendar days, or working days (Monday to Friday, not a bank holiday in England and Wales). */
export type DayKind = 'calendar' | 'working'

/** How long after it starts an obligation is due. A force may change `days` and `kind` in its settings. */
export interface DuePeriod {
  days: number
  kind: DayKind
}

/** An obligation, as data (the case work catalogue, or an area's own list). */
export interface ObligationDefinition {
  /** Stable id, lower case with underscores: what settings, exemptions and measures refer to. */
  id: string
  /** What must be done, as a task list names it ("Complete the stalking risk assessment (S-DASH)"). */
  wording: string
  /** The recommendation it answers ("12.1"), and the action plan evidence items it is a figure for. */
  recommendation: string
  evidence: string[]
  /** Where the promise comes from: the report, paragraph or guidance, in words. */
  source: string
  /** It applies to a crime when any of these events has happened; it starts at the earliest of them. */
  appliesWhen: string[]
  /** It is met by the earliest of these events (an area's own record), at or after it started or before. */
  metBy: string[]
  /** The default period; a force's settings may change it for obligations that start after the change. */
  due: DuePeriod
  /** The form that meets it: a path with `{crimeId}` in it, and the words of the link. */
  action: { href: string; text: string }
}

/** An event an area can answer for: e.g. `screening.sdash_completed`, `safeguarding.order_granted`. */
export interface ObligationEventDefinition {
  /** `<area>.<what>`, unique across areas. */
  id: string
  /** In words, past tense: "S-DASH completed". */
  label: string
}

/** The first time an event happened on a crime (and, where the event carries one, its latest value). */
export interface EventOccurrence {
  crimeId: number
  event: string
  /** ISO date-time in UTC (a day 'YYYY-MM-DD' is read as its midnight). */
  at: string
  /** Who recorded it, as shown to users; null when an import or the system did. */
  by: string | null
  byId: number | null
  /** A value the latest record carries, where the event has one (an S-DASH's risk level). */
  value?: string | null
}

/** One entry on a case's timeline. */
export interface TimelineEntry {
  at: string
  area: string
  title: string
  detail?: string
  by: string | null
  href?: string
}

/** Crimes a case belongs with (a course of conduct): a title and the other crimes, in time order. */
export interface RelatedCrimes {
  title: string
  detail?: string
  crimes: { crimeId: number; reference: string; reportedAt: string }[]
}

/**
 * A task an area gives one named user rather than a case's assignee (a daily management meeting's action to its
 * owner): shown in that user's My work until the area says it is done.
 */
export interface PersonalTask {
  crimeId: number
  reference: string
  /** What to do, as the area recorded it. */
  text: string
  /** Where it came from, in words ("Daily management meeting, 4 March 2025"). */
  from: string
  dueOn: string
  /** Where it is done or marked done. */
  href: string
}

/** Which crimes, in one force; `crimeIds` omitted means every crime of the force that has the events. */
export interface OccurrenceQuery {
  forceId: number
  events: readonly string[]
  crimeIds?: readonly number[]
}

/**
 * What an area implements, in its own folder (e.g. src/safeguarding/obligations.ts), reading its own tables through
 * its own repository. Every method is set-based: one query (or one per event) for any number of crimes, never one per
 * crime.
 */
export interface ObligationSource {
  /** The area's name, as its folder is named. */
  area: string
  /** The events it answers for. */
  events: readonly ObligationEventDefinition[]
  /** Obligations the area adds to the catalogue (areas added later declare theirs here). */
  obligations?: readonly ObligationDefinition[]
  /** For each crime and asked event that happened: the first occurrence, who recorded it and the latest value. */
  occurrences(query: OccurrenceQuery): Promise<EventOccurrence[]>
  /**
   * The crimes whose answers may have changed since a cursor this method returned before, and the new cursor. Lets the
   * case work area refresh only what changed; a cursor is opaque to the caller. Given null, it returns the cursor as of
   * now and no crimes (the caller has just looked at everything).
   */
  changedSince(forceId: number, cursor: string | null): Promise<{ crimeIds: number[]; cursor: string }>
  /** A crime's records as timeline entries (one crime: the case page). */
  timeline?(forceId: number, crimeId: number): Promise<TimelineEntry[]>
  /** Tasks given to one user by name, not yet done (My work). */
  tasks?(forceId: number, userId: number): Promise<PersonalTask[]>
  /** The groups of crimes a crime belongs with (one crime: the case page). */
  related?(forceId: number, crimeId: number): Promise<RelatedCrimes[]>
}
