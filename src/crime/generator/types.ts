import type { CrimeRecordInput } from '../model.ts'

/** What the generator knows to be true about a record: the labels evaluations are scored against. */
export interface GroundTruth {
  /** The record is part of a stalking course of conduct (whatever it was recorded as). */
  stalking: boolean
  /** Id shared by every record of the same course of conduct; null when the record stands alone. */
  courseOfConductId: string | null
  /** The generator put stalking behaviour in the narrative (following, contact, monitoring, loitering, ...). */
  narrativeHasStalkingBehaviour: boolean
  /** How stalking was recorded: as principal 8Q, as an included 8Q, or not at all. */
  stalkingRecordedAs: 'principal' | 'included' | 'unrecorded' | null
  /** Generator's person ids for the parties, in the same order as record.parties: the true identities. */
  partyPersonIds: string[]
}

export interface GeneratedRecord {
  record: CrimeRecordInput
  truth: GroundTruth
}

export interface GenerateOptions {
  crimes: number
  seed: number
  /** Force name written into the files; default 'Demoshire Police'. */
  force?: string
  /** Last reported date, 'YYYY-MM-DD'; records spread over the preceding 3 years. Default '2026-10-31'. */
  endDate?: string
}
