// Searching and reading crime records and people. Every read of a crime or person record, and every search and
// export (which read many), is written to the audit log in the same transaction as the read.
import type { Transaction } from 'kysely'
import type { CrimeDatabase as Database } from '../data/tables.ts'
import type { AuditService } from '../../platform/services/auditService.ts'
import { ForbiddenError } from '../../platform/services/permissions.ts'
import type { CrimeQuery, CrimeRepository, PersonCriteria } from '../data/crimeRepository.ts'
import type { CrimeRow, PersonRow } from '../data/tables.ts'
import type { ClassificationCatalogue } from './classifications.ts'
import { nextDay, normaliseIdentifier, normaliseName } from './normalise.ts'
import type { CrimeSearch, Flag } from './searchFilters.ts'
import { checkViewer, type FieldInputError, type Viewer } from '../../platform/services/viewer.ts'

export type { Viewer }

export interface CrimeSummary {
  id: number
  reference: string
  kind: 'crime' | 'intelligence'
  reportedAt: string
  principal: { code: string; name: string } | null
  included: { code: string; name: string }[]
  team: string | null
  officerInCase: string | null
  status: string | null
  outcome: { number: number; name: string } | null
  flags: Flag[]
}

export interface SearchResult {
  crimes: CrimeSummary[]
  /** Matches, counted up to COUNT_LIMIT: when totalCapped, there are more than total. */
  total: number
  totalCapped: boolean
  page: number
  pageSize: number
  pageCount: number
}

type FlagColumn = NonNullable<CrimeQuery['flags']>[number]

const FLAG_COLUMNS: Record<Flag, FlagColumn> = {
  domesticAbuse: 'domestic_abuse',
  online: 'online',
  repeatVictim: 'repeat_victim',
  stalking: 'stalking_flag',
}

/** Most rows one export writes. */
export const EXPORT_LIMIT = 100000

export function personCriteria(search: Pick<CrimeSearch, 'name' | 'dob' | 'identifier'>): PersonCriteria | undefined {
  const nameTokens = normaliseName(search.name).split(' ').filter(Boolean)
  const criteria: PersonCriteria = {
    ...(nameTokens.length ? { nameTokens } : {}),
    ...(search.dob ? { dateOfBirth: search.dob } : {}),
    ...(search.identifier ? { identifierNorm: normaliseIdentifier(search.identifier) } : {}),
  }
  return Object.keys(criteria).length ? criteria : undefined
}

/** What a page about work on a crime shows of the crime itself: its reference, date and principal classification. */
export function crimeHeading(
  crime: CrimeRow,
): Pick<CrimeRow, 'id' | 'force_id' | 'force_reference' | 'reported_at' | 'principal_code'> {
  const { id, force_id, force_reference, reported_at, principal_code } = crime
  return { id, force_id, force_reference, reported_at, principal_code }
}

export class CrimeService {
  constructor(
    private readonly repository: CrimeRepository,
    private readonly audit: AuditService,
    readonly catalogue: ClassificationCatalogue,
  ) {}

  /**
   * The crime, read in the caller's transaction, when the viewer may change its force's records (case:edit); an input
   * error of the caller's area, on the `crime` field, when there is no such crime. For the areas that record work on
   * a crime (safeguarding, victim care, investigation).
   */
  async editableCrime<DB extends Database>(
    viewer: Viewer,
    crimeId: number,
    trx: Transaction<DB>,
    InputError: new (errors: Record<string, string>) => FieldInputError,
  ): Promise<CrimeRow> {
    const crime = await this.repository.with(trx).crimeById(crimeId)
    if (!crime) throw new InputError({ crime: 'There is no such crime' })
    checkViewer(viewer, 'case:edit', crime.force_id)
    return crime
  }

  /** The repository query for a search, in the viewer's force. */
  toQuery(forceId: number, search: CrimeSearch): CrimeQuery {
    const keys: CrimeQuery['keys'] = []
    if (search.classification) {
      keys.push({ key: this.catalogue.canonical(search.classification) ?? search.classification, match: search.match })
    }
    if (search.group) keys.push({ key: search.group, match: search.classification ? 'either' : search.match })
    return {
      forceId,
      keys,
      ...(search.from ? { reportedFrom: search.from } : {}),
      ...(search.to ? { reportedBefore: nextDay(search.to) } : {}),
      ...(search.team ? { team: search.team } : {}),
      flags: search.flags.map((flag) => FLAG_COLUMNS[flag]),
      ...(search.outcome !== undefined ? { outcome: search.outcome } : {}),
      ...(search.kind ? { kind: search.kind } : {}),
      ...(personCriteria(search) ? { person: personCriteria(search) } : {}),
      ...(search.text ? { text: search.text } : {}),
      sort: search.sort,
      direction: search.order,
    }
  }

  summarise(row: CrimeRow & { included: string[] }): CrimeSummary {
    return {
      id: row.id,
      reference: row.force_reference,
      kind: row.kind,
      reportedAt: row.reported_at,
      principal: row.principal_code
        ? { code: row.principal_code, name: this.catalogue.name(row.principal_code) }
        : null,
      included: row.included.map((code) => ({ code, name: this.catalogue.name(code) })),
      team: row.team,
      officerInCase: row.officer_in_case,
      status: row.status,
      outcome: row.outcome === null ? null : { number: row.outcome, name: this.catalogue.outcomeName(row.outcome) },
      flags: (Object.keys(FLAG_COLUMNS) as Flag[]).filter((flag) => row[FLAG_COLUMNS[flag]] === 1),
    }
  }

  async search(viewer: Viewer, search: CrimeSearch): Promise<SearchResult> {
    viewer.permissions?.check('case:read')
    const query = this.toQuery(viewer.forceId, search)
    return this.repository.transaction(async (repository, trx) => {
      const offset = (search.page - 1) * search.pageSize
      const { ids, total, totalCapped } = await repository.searchCrimeIds(query, search.pageSize, offset)
      const rows = await repository.crimesWithIncluded(ids)
      await this.audit.record(trx, viewer.actor, {
        action: 'crime.searched',
        subjectType: 'crime-search',
        subjectId: null,
        details: { filters: describeSearch(search), total, totalCapped, shown: ids },
      })
      return {
        crimes: rows.map((row) => this.summarise(row)),
        total,
        totalCapped,
        page: search.page,
        pageSize: search.pageSize,
        pageCount: Math.max(1, Math.ceil(total / search.pageSize)),
      }
    })
  }

  /** Every matching crime (up to EXPORT_LIMIT) for an export, with the export audited. */
  async exportRows(viewer: Viewer, search: CrimeSearch, format: string): Promise<CrimeSummary[]> {
    viewer.permissions?.check('case:read')
    const query = this.toQuery(viewer.forceId, search)
    return this.repository.transaction(async (repository, trx) => {
      const crimes: CrimeSummary[] = []
      for await (const ids of repository.iterateCrimeIds(query, EXPORT_LIMIT)) {
        for (const row of await repository.crimesWithIncluded(ids)) crimes.push(this.summarise(row))
      }
      await this.audit.record(trx, viewer.actor, {
        action: 'crime.exported',
        subjectType: 'crime-search',
        subjectId: null,
        details: { filters: describeSearch(search), format, rows: crimes.length },
      })
      return crimes
    })
  }

  private checkForce(viewer: Viewer, forceId: number): void {
    if (viewer.permissions) viewer.permissions.check('case:read', forceId)
    else if (forceId !== viewer.forceId) throw new ForbiddenError('case:read', forceId)
  }

  /** A crime or intelligence report with everything on it, audited as read; undefined when there is no such record. */
  async crime(viewer: Viewer, id: number) {
    viewer.permissions?.check('case:read')
    return this.repository.transaction(async (repository, trx) => {
      const crime = await repository.crimeById(id)
      if (!crime) return undefined
      this.checkForce(viewer, crime.force_id)
      const [classifications, occurrences, parties, linked, intelligence] = await Promise.all([
        repository.classificationsOf(id),
        repository.occurrencesOf(id),
        repository.partiesOf(id),
        crime.kind === 'intelligence' ? repository.linkedCrimesOf(id) : Promise.resolve([]),
        repository.intelligenceLinkedTo(crime),
      ])
      await this.recordRead(trx, viewer, 'crime', id, { reference: crime.force_reference })
      return {
        crime,
        summary: this.summarise({
          ...crime,
          included: classifications.filter((c) => c.role === 'included').map((c) => c.code),
        }),
        classifications: classifications.map((entry) => ({ ...entry, name: this.catalogue.name(entry.code) })),
        occurrences,
        parties,
        linkedCrimes: linked,
        intelligence,
      }
    })
  }

  /** A person with their identifiers and every record they appear in (oldest first), audited as read. */
  async person(viewer: Viewer, id: number) {
    viewer.permissions?.check('case:read')
    return this.repository.transaction(async (repository, trx) => {
      const person = await repository.personById(id)
      if (!person) return undefined
      this.checkForce(viewer, person.force_id)
      const identifiers = await repository.identifiersOf(id)
      const records = await repository.recordsOfPerson(id)
      await this.recordRead(trx, viewer, 'person', id, { records: records.length })
      return {
        person,
        identifiers,
        records: records.map((record) => ({
          ...record,
          principalName: this.catalogue.name(record.principal_code),
        })),
      }
    })
  }

  /** People in the viewer's force matching a name, date of birth or identifier; the search is audited. */
  async searchPeople(
    viewer: Viewer,
    search: Pick<CrimeSearch, 'name' | 'dob' | 'identifier'>,
    limit = 50,
  ): Promise<{ people: (PersonRow & { records: number })[]; total: number; totalCapped: boolean }> {
    viewer.permissions?.check('case:read')
    const criteria = personCriteria(search)
    if (!criteria) return { people: [], total: 0, totalCapped: false }
    return this.repository.transaction(async (repository, trx) => {
      const result = await repository.searchPeople(viewer.forceId, criteria, limit)
      await this.audit.record(trx, viewer.actor, {
        action: 'person.searched',
        subjectType: 'person-search',
        subjectId: null,
        details: {
          filters: search,
          total: result.total,
          totalCapped: result.totalCapped,
          shown: result.people.map((person) => person.id),
        },
      })
      return result
    })
  }

  async teams(forceId: number): Promise<string[]> {
    return this.repository.teams(forceId)
  }

  private async recordRead(
    trx: Transaction<Database>,
    viewer: Viewer,
    subjectType: 'crime' | 'person',
    id: number,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record(trx, viewer.actor, { action: `${subjectType}.viewed`, subjectType, subjectId: id, details })
  }
}

/** A search's filters as the audit log keeps them: only those given. */
export function describeSearch(search: CrimeSearch): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(search).filter(
      ([key, value]) =>
        value !== undefined && !(Array.isArray(value) && value.length === 0) && !['page', 'pageSize'].includes(key),
    ),
  )
}
