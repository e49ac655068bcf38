// Checking a record and working out everything the writer needs from it (normal forms, search keys, person keys):
// pure work on one record, so a bulk import can do it on the reader's worker thread while the writer writes.
import { PARTY_ROLES, type CrimeRecordInput, type PartyInput, type RowProblem } from '../model.ts'
import type { ClassificationCatalogue } from './classifications.ts'
import { normaliseIdentifier, normaliseName, normaliseTimestamp } from './normalise.ts'

export interface RecordSource {
  file: string
  line: number
}

export type IndexRole = 'principal' | 'included' | 'both'

export interface PreparedParty {
  /** How the import recognises the same person again (see personKey). */
  key: string
  party: PartyInput
  forenameNorm: string
  surnameNorm: string
  identifiers: { kind: string; value: string; valueNorm: string }[]
}

/** A record that passed every check, with what the writer derives from it. */
export interface PreparedRecord {
  record: CrimeRecordInput
  source: RecordSource
  /** The force reference, trimmed. */
  reference: string
  reportedAt: string
  principal: string | null
  included: { code: string; addedBy: string | null; addedAt: string | null; reason: string | null }[]
  /** The classification search keys of the crime, each with how it matches. */
  indexKeys: { key: string; role: IndexRole }[]
  parties: PreparedParty[]
  firstOccurredOn: string | null
  lastOccurredOn: string | null
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

export function personKey(forceReference: string, index: number, party: PartyInput): string {
  if (party.personRef) return `ref:${party.personRef}`
  const surname = normaliseName(party.surname)
  if (party.dateOfBirth && surname) return `nd:${surname}|${normaliseName(party.forename)}|${party.dateOfBirth}`
  return `crime:${forceReference}:${index}`
}

/** Checks a record against the reference data; returns its problems (empty when good) or the prepared record. */
export function prepareRecord(
  catalogue: ClassificationCatalogue,
  record: CrimeRecordInput,
  source: RecordSource,
): RowProblem[] | PreparedRecord {
  const problems: RowProblem[] = []
  const problem = (field: string, message: string) => problems.push({ ...source, field, message })
  const reference = record.forceReference?.trim() ?? ''
  if (!reference) problem('forceReference', 'the crime reference is missing')
  const reportedAt = normaliseTimestamp(record.reportedAt ?? '')
  if (!reportedAt) problem('reportedAt', `"${record.reportedAt ?? ''}" is not a date`)
  let principal: string | null = null
  if (record.principal) {
    principal = catalogue.canonical(record.principal)
    if (!principal) problem('principal', `"${record.principal}" is not a known offence classification`)
  } else if (record.kind === 'crime') {
    problem('principal', 'a crime needs a principal classification')
  }
  const included: PreparedRecord['included'] = []
  record.included.forEach((entry, index) => {
    const code = catalogue.canonical(entry.code)
    if (!code) problem(`included[${index}]`, `"${entry.code}" is not a known offence classification`)
    else if (code !== principal && !included.some((other) => other.code === code)) included.push({ ...entry, code })
  })
  record.occurrences.forEach((occurrence, index) => {
    if (!DATE.test(occurrence.from) || !DATE.test(occurrence.to)) {
      problem(`occurrences[${index}]`, `"${occurrence.from}" to "${occurrence.to}" is not a date range`)
    } else if (occurrence.to < occurrence.from) {
      problem(`occurrences[${index}]`, `the range ends (${occurrence.to}) before it starts (${occurrence.from})`)
    }
  })
  if (record.outcome !== null && !(Number.isInteger(record.outcome) && record.outcome >= 1 && record.outcome <= 22)) {
    problem('outcome', `${record.outcome} is not a Home Office outcome type (1 to 22)`)
  }
  record.parties.forEach((party, index) => {
    if (!PARTY_ROLES.includes(party.role)) problem(`parties[${index}].role`, `"${party.role}" is not a party role`)
    if (party.dateOfBirth && !DATE.test(party.dateOfBirth)) {
      problem(`parties[${index}].dateOfBirth`, `"${party.dateOfBirth}" is not a date`)
    }
  })
  if (problems.length > 0 || !reportedAt) return problems

  const roles = new Map<string, IndexRole>()
  const addKeys = (code: string, role: 'principal' | 'included') => {
    for (const key of catalogue.searchKeys(code)) {
      const current = roles.get(key)
      roles.set(key, current && current !== role ? 'both' : role)
    }
  }
  if (principal) addKeys(principal, 'principal')
  for (const entry of included) addKeys(entry.code, 'included')

  const parties = record.parties.map((party, position): PreparedParty => {
    const identifiers: PreparedParty['identifiers'] = []
    for (const identifier of party.identifiers) {
      const valueNorm = normaliseIdentifier(identifier.value)
      if (valueNorm && !identifiers.some((other) => other.kind === identifier.kind && other.valueNorm === valueNorm)) {
        identifiers.push({ kind: identifier.kind, value: identifier.value, valueNorm })
      }
    }
    return {
      key: personKey(record.forceReference, position, party),
      party,
      forenameNorm: normaliseName(party.forename),
      surnameNorm: normaliseName(party.surname),
      identifiers,
    }
  })

  let firstOccurredOn: string | null = null
  let lastOccurredOn: string | null = null
  for (const { from, to } of record.occurrences) {
    if (firstOccurredOn === null || from < firstOccurredOn) firstOccurredOn = from
    if (lastOccurredOn === null || to > lastOccurredOn) lastOccurredOn = to
  }

  return {
    record,
    source,
    reference,
    reportedAt,
    principal,
    included,
    indexKeys: [...roles].map(([key, role]) => ({ key, role })),
    parties,
    firstOccurredOn,
    lastOccurredOn,
  }
}
