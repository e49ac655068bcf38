// The evaluation engine: from the areas' answers (ObligationSource, set-based) to each stalking case's obligations
// with their due days, kept in case_obligations and refreshed incrementally. Every read a user makes first refreshes
// what changed since the last look (the areas' cursors), so a page never shows an obligation stale after a change.
import type { Insertable } from 'kysely'
import type { DuePeriod, EventOccurrence, ObligationDefinition, ObligationSource } from '../../platform/obligations.ts'
import type { CaseRepository } from '../data/caseRepository.ts'
import {
  RISK_RANK,
  type CaseObligationRow,
  type CaseObligationsTable,
  type CaseRisk,
  type CaseRow,
  type CasesTable,
  type CaseSettingsRow,
} from '../data/tables.ts'
import type { Catalogue } from './catalogue.ts'
import { dueOn, londonDayOf, type BankHolidays } from './workingDays.ts'

/** The crime details a case keeps (from the crime area). */
export interface CaseCrime {
  id: number
  force_reference: string
  reported_at: string
  team: string | null
}

/**
 * Events whose latest value is the case's risk, in order of preference: the risk area's latest judgement (an
 * assessment or its review), else the latest S-DASH's, else the allocation's.
 */
export const RISK_EVENTS = ['risk.assessed', 'screening.sdash_completed', 'investigation.allocated'] as const

const FULL = '*'

export interface RefreshSummary {
  cases: number
  obligations: number
  written: number
  removed: number
}

/** The periods in force for a version: the catalogue's defaults overlaid with the version's. */
export function periodsOf(catalogue: Catalogue, version: CaseSettingsRow | undefined): Map<string, DuePeriod> {
  const periods = new Map(catalogue.obligations.map((obligation) => [obligation.id, obligation.due]))
  if (version) {
    const saved = JSON.parse(version.periods) as Record<string, DuePeriod>
    for (const [id, period] of Object.entries(saved)) if (periods.has(id)) periods.set(id, period)
  }
  return periods
}

/** The columns of an obligation a refresh compares, to write only what changed. */
type ObligationState = Pick<
  CaseObligationRow,
  | 'crime_id'
  | 'obligation_id'
  | 'started_at'
  | 'due_on'
  | 'settings_version'
  | 'state'
  | 'met_at'
  | 'met_by'
  | 'team'
  | 'risk_rank'
  | 'assigned_user_id'
>

/** Obligations per crime in the numeric keys (crime id × KEY_SPACE + the obligation's place in the catalogue). */
const KEY_SPACE = 64

export class CaseEngine {
  private readonly events: string[]
  private readonly obligationIndex: Map<string, number>

  constructor(
    private readonly catalogue: Catalogue,
    private readonly sources: readonly ObligationSource[],
    private readonly holidays: BankHolidays,
    private readonly crimes: (forceId: number, crimeIds: readonly number[]) => Promise<CaseCrime[]>,
  ) {
    const wanted = new Set<string>(RISK_EVENTS)
    for (const obligation of catalogue.obligations) {
      for (const event of [...obligation.appliesWhen, ...obligation.metBy]) wanted.add(event)
    }
    this.events = [...wanted]
    if (catalogue.obligations.length > KEY_SPACE) throw new Error(`At most ${KEY_SPACE} obligations in the catalogue`)
    this.obligationIndex = new Map(catalogue.obligations.map((obligation, index) => [obligation.id, index]))
  }

  /**
   * Brings the force's cases up to date with what changed in any area since the last refresh (everything, the first
   * time). Returns how many crimes were looked at again.
   */
  async refreshChanged(repository: CaseRepository, forceId: number): Promise<number> {
    const cursors = await repository.cursors(forceId)
    if (!cursors.has(FULL)) {
      const summary = await this.refreshAll(repository, forceId)
      return summary.cases
    }
    const changed = new Set<number>()
    const next: [string, string][] = []
    for (const source of this.sources) {
      const { crimeIds, cursor } = await source.changedSince(forceId, cursors.get(source.area) ?? null)
      for (const id of crimeIds) changed.add(id)
      if (cursor !== cursors.get(source.area)) next.push([source.area, cursor])
    }
    if (changed.size === 0 && next.length === 0) return 0
    await this.refresh(repository, forceId, changed.size > 0 ? [...changed] : [], next)
    return changed.size
  }

  /** Every case of the force worked out again from the areas' records. */
  async refreshAll(repository: CaseRepository, forceId: number): Promise<RefreshSummary> {
    // Cursors first: anything recorded while this runs is looked at again next time.
    const cursors: [string, string][] = []
    for (const source of this.sources) cursors.push([source.area, (await source.changedSince(forceId, null)).cursor])
    cursors.push([FULL, new Date().toISOString()])
    return this.refresh(repository, forceId, undefined, cursors)
  }

  /** The crimes worked out again (after a change this area made itself: an exemption). */
  async refreshCrimes(repository: CaseRepository, forceId: number, crimeIds: readonly number[]) {
    return this.refresh(repository, forceId, crimeIds, [])
  }

  private async occurrences(forceId: number, crimeIds: readonly number[] | undefined) {
    const byCrime = new Map<number, Map<string, EventOccurrence>>()
    for (const source of this.sources) {
      const events = source.events.map((event) => event.id).filter((id) => this.events.includes(id))
      if (events.length === 0) continue
      const found = await source.occurrences({ forceId, events, ...(crimeIds ? { crimeIds } : {}) })
      for (const occurrence of found) {
        let map = byCrime.get(occurrence.crimeId)
        if (!map) byCrime.set(occurrence.crimeId, (map = new Map()))
        map.set(occurrence.event, occurrence)
      }
    }
    return byCrime
  }

  /**
   * Reads everything first (the areas answer on their own connections; on SQLite a read inside this area's
   * transaction would wait for it), then writes the changed rows and the new cursors in one transaction.
   */
  private async refresh(
    repository: CaseRepository,
    forceId: number,
    crimeIds: readonly number[] | undefined,
    cursors: [string, string][],
  ): Promise<RefreshSummary> {
    if (crimeIds && crimeIds.length === 0) {
      const now = new Date().toISOString()
      await repository.transaction(async (writer) => {
        for (const [area, cursor] of cursors) await writer.saveCursor(forceId, area, cursor, now)
      })
      return { cases: 0, obligations: 0, written: 0, removed: 0 }
    }
    const occurrences = await this.occurrences(forceId, crimeIds)
    const versions = await repository.settingsVersions(forceId)
    const versionPeriods = new Map(versions.map((version) => [version.version, periodsOf(this.catalogue, version)]))
    const defaults = periodsOf(this.catalogue, undefined)
    const [existingCases, existingObligations, exemptions] = await Promise.all([
      repository.casesOf(forceId, crimeIds),
      repository.obligationStatesOf(forceId, crimeIds),
      repository.exemptionsOf(forceId, crimeIds),
    ])
    const caseOf = new Map<number, CaseRow>(existingCases.map((row) => [row.crime_id, row]))
    // Numbers, not strings, as keys: a full refresh keeps hundreds of thousands of them.
    const obligationKey = (crimeId: number, id: string) => crimeId * KEY_SPACE + (this.obligationIndex.get(id) ?? 0)
    const existing = new Map<number, ObligationState>(
      existingObligations.map((row) => [obligationKey(row.crime_id, row.obligation_id), row]),
    )
    const exempt = new Set(exemptions.map((row) => obligationKey(row.crime_id, row.obligation_id)))

    // The crimes that are cases: any obligation applies.
    const caseCrimes: number[] = []
    for (const [crimeId, events] of occurrences) {
      if (this.catalogue.obligations.some((obligation) => obligation.appliesWhen.some((event) => events.has(event)))) {
        caseCrimes.push(crimeId)
      }
    }
    const details = new Map((await this.crimes(forceId, caseCrimes)).map((crime) => [crime.id, crime]))
    const now = new Date().toISOString()
    const caseRows: Insertable<CasesTable>[] = []
    const obligationRows: Insertable<CaseObligationsTable>[] = []
    const keep = new Set<number>()
    let obligationCount = 0
    for (const crimeId of caseCrimes) {
      const crime = details.get(crimeId)
      if (!crime) continue
      const events = occurrences.get(crimeId) as Map<string, EventOccurrence>
      const risk = (RISK_EVENTS.map((event) => events.get(event)?.value).find(Boolean) ?? null) as CaseRisk | null
      const riskRank = risk ? (RISK_RANK[risk] ?? 0) : 0
      const current = caseOf.get(crimeId)
      const assigned = current?.assigned_user_id ?? null
      let nextDue: string | null = null
      let open = 0
      for (const obligation of this.catalogue.obligations) {
        const key = obligationKey(crimeId, obligation.id)
        const row = this.evaluate(obligation, events, versions, versionPeriods, defaults, exempt.has(key))
        if (!row) continue
        obligationCount++
        keep.add(key)
        if (row.state === 'open') {
          open++
          if (nextDue === null || row.due_on < nextDue) nextDue = row.due_on
        }
        const full: Insertable<CaseObligationsTable> = {
          ...row,
          force_id: forceId,
          crime_id: crimeId,
          obligation_id: obligation.id,
          team: crime.team,
          risk_rank: riskRank,
          assigned_user_id: assigned,
        }
        if (!sameObligation(existing.get(key), full)) obligationRows.push(full)
      }
      const caseRow: Insertable<CasesTable> = {
        crime_id: crimeId,
        force_id: forceId,
        reference: crime.force_reference,
        reported_at: crime.reported_at,
        team: crime.team,
        risk,
        risk_rank: riskRank,
        assigned_user_id: assigned,
        assigned_by: current?.assigned_by ?? null,
        assigned_at: current?.assigned_at ?? null,
        next_due_on: nextDue,
        open_count: open,
        refreshed_at: now,
      }
      if (!sameCase(current, caseRow)) caseRows.push(caseRow)
    }
    const gone = existingObligations
      .filter(
        (row) =>
          !keep.has(obligationKey(row.crime_id, row.obligation_id)) || !this.obligationIndex.has(row.obligation_id),
      )
      .map((row) => ({ crime_id: row.crime_id, obligation_id: row.obligation_id }))
    const caseSet = new Set(caseCrimes)
    const goneCases = existingCases.filter((row) => !caseSet.has(row.crime_id)).map((row) => row.crime_id)
    await repository.transaction(async (writer) => {
      await writer.upsertCases(caseRows)
      await writer.upsertObligations(obligationRows)
      await writer.deleteObligations(gone.filter((row) => caseSet.has(row.crime_id)))
      await writer.deleteCases(goneCases)
      if (caseRows.length + obligationRows.length + gone.length + goneCases.length > 0) {
        await writer.markWritten(forceId, now)
      }
      for (const [area, cursor] of cursors) await writer.saveCursor(forceId, area, cursor, now)
    })
    return {
      cases: caseCrimes.length,
      obligations: obligationCount,
      written: caseRows.length + obligationRows.length,
      removed: gone.length + goneCases.length,
    }
  }

  /** One obligation on one crime, or null when it does not apply. */
  evaluate(
    obligation: ObligationDefinition,
    events: Map<string, EventOccurrence>,
    versions: CaseSettingsRow[],
    versionPeriods: Map<number, Map<string, DuePeriod>>,
    defaults: Map<string, DuePeriod>,
    exempt: boolean,
  ) {
    let started: EventOccurrence | undefined
    for (const event of obligation.appliesWhen) {
      const found = events.get(event)
      if (found && (!started || found.at < started.at)) started = found
    }
    if (!started) return null
    let met: EventOccurrence | undefined
    for (const event of obligation.metBy) {
      const found = events.get(event)
      if (found && (!met || found.at < met.at)) met = found
    }
    // The settings in force when it started: the newest version saved at or before then (versions newest first).
    const version = versions.find((candidate) => candidate.changed_at <= started.at)
    const period = (version ? versionPeriods.get(version.version) : defaults)?.get(obligation.id) ?? obligation.due
    const startedOn = londonDayOf(started.at)
    return {
      started_at: started.at,
      started_on: startedOn,
      due_on: dueOn(startedOn, period, this.holidays),
      settings_version: version?.version ?? 0,
      state: met ? ('met' as const) : exempt ? ('not_applicable' as const) : ('open' as const),
      met_at: met?.at ?? null,
      met_on: met ? londonDayOf(met.at) : null,
      met_by: met?.by ?? null,
      met_event: met?.event ?? null,
    }
  }
}

function sameObligation(before: ObligationState | undefined, after: Insertable<CaseObligationsTable>): boolean {
  if (!before) return false
  return (
    before.started_at === after.started_at &&
    before.due_on === after.due_on &&
    before.settings_version === after.settings_version &&
    before.state === after.state &&
    before.met_at === after.met_at &&
    before.met_by === after.met_by &&
    before.team === after.team &&
    before.risk_rank === after.risk_rank &&
    before.assigned_user_id === after.assigned_user_id
  )
}

function sameCase(before: CaseRow | undefined, after: Insertable<CasesTable>): boolean {
  if (!before) return false
  return (
    before.reference === after.reference &&
    before.team === after.team &&
    before.risk === after.risk &&
    before.next_due_on === after.next_due_on &&
    before.open_count === after.open_count &&
    before.reported_at === after.reported_at
  )
}
