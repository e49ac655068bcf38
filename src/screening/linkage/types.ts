// Storage-independent inputs to linkage. The database layer maps crime records and their parties onto these.

export type LinkageRole = 'victim' | 'suspect' | 'witness'

export interface LinkageParty {
  /** Unique across all records given to one index. */
  partyId: number
  role: LinkageRole
  forename: string | null
  surname: string | null
  /** 'YYYY-MM-DD' or null. */
  dateOfBirth: string | null
  identifiers: { kind: string; value: string }[]
}

export interface LinkageRecord {
  /** Unique across all records given to one index. */
  id: number
  kind: 'crime' | 'intelligence'
  /** ISO date or date-time. */
  reportedAt: string
  /** Home Office code of the principal classification; null for an intelligence report. */
  principal: string | null
  /** Home Office codes of the included classifications. */
  included: string[]
  domesticAbuse: boolean
  parties: LinkageParty[]
}

/** Person keys are 'P' + the smallest party id in the person's cluster: stable and order-independent. */
export type PersonKey = string
