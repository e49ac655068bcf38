// Course of conduct: separate incidents between the same (resolved) suspect and the same (resolved) victim, linked
// into one course (Recommendation 23 of the 2024 stalking super-complaint).
//
// Rule: for each suspect-victim pair of people (a record with several suspects or victims belongs to every pair it
// names), sort the pair's records by reportedAt (then id) and cut the sequence wherever the gap between consecutive
// records is more than `windowDays` days. Each piece with at least `minIncidents` records is a course of conduct.
// A chain, not a fixed window: incidents every six months for three years form one course, because stalking is often
// a long series of intermittently reported incidents and the law (Protection from Harassment Act 1997) asks about the
// course as a whole, not about a calendar window. The gap is inclusive: exactly windowDays apart still links.
// Defaults: windowDays 365, minIncidents 2 ("on at least two occasions", s.7 PHA 1997).
//
// LinkageIndex is incremental: add() resolves the new parties, re-evaluates only the records whose suspect or victim
// changed person (and the new ones), and recomputes only the pairs those records belong to. A full run is a new index
// plus add(all), so both paths run the same code; the result does not depend on batch boundaries or order.

import { PersonResolver, scoreFeatures } from './resolve.ts'
import type { LinkageParty, LinkageRecord, PersonKey } from './types.ts'

export interface ConductOptions {
  /** Largest gap, in days, between consecutive incidents of one course (inclusive). */
  windowDays: number
  /** Fewest incidents that make a course. */
  minIncidents: number
}

export const DEFAULT_CONDUCT_OPTIONS: ConductOptions = { windowDays: 365, minIncidents: 2 }

export interface CourseIncident {
  recordId: number
  reportedAt: string
  kind: 'crime' | 'intelligence'
  principal: string | null
  included: string[]
  domesticAbuse: boolean
  /** This record's parties that resolved to the course's suspect / victim. */
  suspectPartyIds: number[]
  victimPartyIds: number[]
}

export interface CourseOfConduct {
  /** `${suspect}>${victim}@${first record id}`: stable while the people and the first incident stay the same. */
  id: string
  suspect: PersonKey
  victim: PersonKey
  /** Record ids in time order. */
  recordIds: number[]
  incidents: CourseIncident[]
  firstReportedAt: string
  lastReportedAt: string
  /** Longest gap in days between consecutive incidents. */
  longestGapDays: number
  /** Principal classification of each incident, in time order (null for an intelligence report). */
  principals: (string | null)[]
  /** Every classification code across the course, principal and included, sorted. */
  classifications: string[]
  /** Why these records are one course: timing, classifications, and how the suspect and victim were linked. */
  reasons: string[]
}

export interface LinkageIndexOptions extends Partial<ConductOptions> {
  /** Same-person score threshold; default SAME_PERSON_THRESHOLD. */
  threshold?: number
  /** Blocks larger than this stop producing candidate pairs; default MAX_BLOCK_SIZE. */
  maxBlockSize?: number
}

interface StoredRecord {
  id: number
  time: number
  reportedAt: string
  kind: 'crime' | 'intelligence'
  principal: string | null
  included: string[]
  domesticAbuse: boolean
  suspects: number[]
  victims: number[]
}

const DAY_MS = 86_400_000
const NO_PAIRS: string[] = []

function validateOptions(options: ConductOptions): void {
  if (!Number.isFinite(options.windowDays) || options.windowDays < 0) {
    throw new Error(`windowDays must be a number of days, 0 or more (got ${String(options.windowDays)})`)
  }
  if (!Number.isInteger(options.minIncidents) || options.minIncidents < 2) {
    throw new Error(`minIncidents must be a whole number, 2 or more (got ${String(options.minIncidents)})`)
  }
}

export class LinkageIndex {
  readonly options: ConductOptions
  private readonly resolver: PersonResolver
  private readonly records = new Map<number, StoredRecord>()
  /** Suspect and victim party id -> record id. */
  private readonly recordOfParty = new Map<number, number>()
  private readonly pairsOfRecord = new Map<number, string[]>()
  private readonly recordsOfPair = new Map<string, number[]>()
  private readonly coursesOfPair = new Map<string, CourseOfConduct[]>()

  constructor(options: LinkageIndexOptions = {}) {
    this.options = {
      windowDays: options.windowDays ?? DEFAULT_CONDUCT_OPTIONS.windowDays,
      minIncidents: options.minIncidents ?? DEFAULT_CONDUCT_OPTIONS.minIncidents,
    }
    validateOptions(this.options)
    this.resolver = new PersonResolver({ threshold: options.threshold, maxBlockSize: options.maxBlockSize })
  }

  /**
   * Adds a batch of new records. Returns the courses that are new or changed, and the ids of courses that no longer
   * exist (a course's id changes when its people merge or its first incident changes).
   */
  add(records: Iterable<LinkageRecord>): { changedCourses: CourseOfConduct[]; removedCourseIds: string[] } {
    const batch = [...records]
    const wasEmpty = this.records.size === 0
    const seenIds = new Set<number>()
    const seenParties = new Set<number>()
    const times: number[] = []
    for (const record of batch) {
      if (this.records.has(record.id) || seenIds.has(record.id)) {
        throw new Error(`record ${record.id} has already been added`)
      }
      seenIds.add(record.id)
      const time = Date.parse(record.reportedAt)
      if (Number.isNaN(time)) {
        throw new Error(`record ${record.id}: reportedAt "${record.reportedAt}" is not an ISO date`)
      }
      times.push(time)
      for (const party of record.parties) {
        if (this.resolver.has(party.partyId) || seenParties.has(party.partyId)) {
          throw new Error(`record ${record.id}: party ${party.partyId} has already been added`)
        }
        seenParties.add(party.partyId)
      }
    }

    const parties: LinkageParty[] = []
    for (let r = 0; r < batch.length; r++) {
      const record = batch[r]
      const stored: StoredRecord = {
        id: record.id,
        time: times[r],
        reportedAt: record.reportedAt,
        kind: record.kind,
        principal: record.principal,
        included: [...record.included],
        domesticAbuse: record.domesticAbuse,
        suspects: [],
        victims: [],
      }
      for (const party of record.parties) {
        parties.push(party)
        if (party.role === 'suspect') stored.suspects.push(party.partyId)
        else if (party.role === 'victim') stored.victims.push(party.partyId)
        else continue
        this.recordOfParty.set(party.partyId, record.id)
      }
      this.records.set(record.id, stored)
    }

    const changedParties = this.resolver.add(parties)
    // Into an empty index every changed party is in the batch, so the batch's records are exactly the dirty ones.
    const dirtyRecords = seenIds
    if (!wasEmpty) {
      for (const partyId of changedParties) {
        const recordId = this.recordOfParty.get(partyId)
        if (recordId !== undefined) dirtyRecords.add(recordId)
      }
    }

    const dirtyPairs = new Set<string>()
    for (const recordId of dirtyRecords) {
      const old = this.pairsOfRecord.get(recordId)
      const next = this.pairsFor(this.records.get(recordId)!)
      if (old !== undefined && sameStrings(old, next)) continue
      for (const pair of old ?? []) {
        const list = this.recordsOfPair.get(pair)!
        list.splice(list.indexOf(recordId), 1)
        if (list.length === 0) this.recordsOfPair.delete(pair)
        dirtyPairs.add(pair)
      }
      for (const pair of next) {
        const list = this.recordsOfPair.get(pair)
        if (list === undefined) this.recordsOfPair.set(pair, [recordId])
        else list.push(recordId)
        dirtyPairs.add(pair)
      }
      if (next.length > 0) this.pairsOfRecord.set(recordId, next)
      else this.pairsOfRecord.delete(recordId)
    }

    const changedCourses: CourseOfConduct[] = []
    const removedCourseIds: string[] = []
    for (const pair of dirtyPairs) {
      const before = this.coursesOfPair.get(pair) ?? []
      const after = this.coursesFor(pair)
      if (after.length > 0) this.coursesOfPair.set(pair, after)
      else this.coursesOfPair.delete(pair)
      if (before.length === 0) {
        changedCourses.push(...after)
        continue
      }
      const beforeById = new Map(before.map((course) => [course.id, course]))
      const afterIds = new Set(after.map((course) => course.id))
      for (const course of after) {
        const old = beforeById.get(course.id)
        if (old === undefined || !sameCourse(old, course)) changedCourses.push(course)
      }
      for (const course of before) if (!afterIds.has(course.id)) removedCourseIds.push(course.id)
    }
    sortCourses(changedCourses)
    removedCourseIds.sort()
    return { changedCourses, removedCourseIds }
  }

  /** Every course of conduct, ordered by first incident then id. */
  courses(): CourseOfConduct[] {
    const all: CourseOfConduct[] = []
    for (const list of this.coursesOfPair.values()) all.push(...list)
    return sortCourses(all)
  }

  personKeyOf(partyId: number): PersonKey | undefined {
    return this.resolver.personKeyOf(partyId)
  }

  get recordCount(): number {
    return this.records.size
  }

  private pairsFor(record: StoredRecord): string[] {
    if (record.suspects.length === 0 || record.victims.length === 0) return NO_PAIRS
    if (record.suspects.length === 1 && record.victims.length === 1) {
      const suspect = this.resolver.componentOf(record.suspects[0])!
      const victim = this.resolver.componentOf(record.victims[0])!
      return suspect === victim ? NO_PAIRS : [`${suspect}>${victim}`]
    }
    const pairs = new Set<string>()
    for (const s of record.suspects) {
      const suspect = this.resolver.componentOf(s)!
      for (const v of record.victims) {
        const victim = this.resolver.componentOf(v)!
        if (suspect !== victim) pairs.add(`${suspect}>${victim}`)
      }
    }
    return [...pairs].sort()
  }

  private coursesFor(pair: string): CourseOfConduct[] {
    const ids = this.recordsOfPair.get(pair)
    if (ids === undefined || ids.length < this.options.minIncidents) return []
    const records = ids.map((id) => this.records.get(id)!).sort((a, b) => a.time - b.time || a.id - b.id)
    const [suspect, victim] = pair.split('>').map(Number)
    const windowMs = this.options.windowDays * DAY_MS
    const courses: CourseOfConduct[] = []
    let start = 0
    for (let i = 1; i <= records.length; i++) {
      if (i === records.length || records[i].time - records[i - 1].time > windowMs) {
        if (i - start >= this.options.minIncidents) courses.push(this.course(suspect, victim, records.slice(start, i)))
        start = i
      }
    }
    return courses
  }

  private course(suspect: number, victim: number, records: StoredRecord[]): CourseOfConduct {
    const of = (ids: number[], person: number) => ids.filter((id) => this.resolver.componentOf(id) === person)
    const incidents: CourseIncident[] = records.map((r) => ({
      recordId: r.id,
      reportedAt: r.reportedAt,
      kind: r.kind,
      principal: r.principal,
      included: [...r.included],
      domesticAbuse: r.domesticAbuse,
      suspectPartyIds: of(r.suspects, suspect),
      victimPartyIds: of(r.victims, victim),
    }))
    let longestGap = 0
    for (let i = 1; i < records.length; i++) longestGap = Math.max(longestGap, records[i].time - records[i - 1].time)
    const longestGapDays = Math.round((longestGap / DAY_MS) * 10) / 10
    const codes = new Set<string>()
    for (const r of records) {
      if (r.principal) codes.add(r.principal)
      for (const code of r.included) codes.add(code)
    }
    const first = records[0]
    const last = records[records.length - 1]
    const reasons = [
      `${records.length} incidents between the same suspect and victim from ${day(first.reportedAt)} to ` +
        `${day(last.reportedAt)}, each within ${this.options.windowDays} days of the one before ` +
        `(longest gap ${longestGapDays} days)`,
      ...this.classificationReasons(records),
      ...this.linkReasons('suspect', incidents, (i) => i.suspectPartyIds),
      ...this.linkReasons('victim', incidents, (i) => i.victimPartyIds),
    ]
    return {
      id: `P${suspect}>P${victim}@${first.id}`,
      suspect: `P${suspect}`,
      victim: `P${victim}`,
      recordIds: records.map((r) => r.id),
      incidents,
      firstReportedAt: first.reportedAt,
      lastReportedAt: last.reportedAt,
      longestGapDays,
      principals: records.map((r) => r.principal),
      classifications: [...codes].sort(),
      reasons,
    }
  }

  private classificationReasons(records: StoredRecord[]): string[] {
    const reasons: string[] = []
    const principals = new Map<string, number[]>()
    const included = new Map<string, number[]>()
    const intelligence: number[] = []
    let domestic = 0
    for (const r of records) {
      if (r.kind === 'intelligence') intelligence.push(r.id)
      if (r.principal) push(principals, r.principal, r.id)
      for (const code of r.included) push(included, code, r.id)
      if (r.domesticAbuse) domestic++
    }
    const describe = (map: Map<string, number[]>) =>
      [...map].map(([code, ids]) => `${code} (${ids.length === 1 ? 'record' : 'records'} ${ids.join(', ')})`).join('; ')
    if (principals.size > 1)
      reasons.push(`recorded under ${principals.size} principal classifications: ${describe(principals)}`)
    else if (principals.size === 1) reasons.push(`principal classification ${describe(principals)}`)
    if (included.size > 0) reasons.push(`included classifications: ${describe(included)}`)
    if (intelligence.length > 0) reasons.push(`intelligence reports: ${intelligence.join(', ')}`)
    if (domestic > 0) reasons.push(`domestic abuse flagged on ${domestic} of ${records.length} incidents`)
    return reasons
  }

  /** For each consecutive pair of incidents: the evidence that the suspect (or victim) in both is one person. */
  private linkReasons(role: string, incidents: CourseIncident[], partiesOf: (i: CourseIncident) => number[]): string[] {
    const reasons: string[] = []
    for (let i = 1; i < incidents.length; i++) {
      let best: { score: number; reasons: string[] } | null = null
      for (const a of partiesOf(incidents[i - 1])) {
        for (const b of partiesOf(incidents[i])) {
          const words: string[] = []
          const score = scoreFeatures(this.resolver.featuresOf(a)!, this.resolver.featuresOf(b)!, words)
          if (best === null || score > best.score) best = { score, reasons: words }
        }
      }
      const where = `${role} in records ${incidents[i - 1].recordId} and ${incidents[i].recordId}`
      if (best !== null && best.score >= this.resolver.threshold) {
        reasons.push(`${where}: ${best.reasons.join('; ')} (score ${best.score.toFixed(2)})`)
      } else {
        reasons.push(`${where}: linked through other records of the same person`)
      }
    }
    return reasons
  }
}

function push(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [id])
  else if (!list.includes(id)) list.push(id)
}

function day(iso: string): string {
  return iso.slice(0, 10)
}

function sameStrings(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i])
}

function sameCourse(a: CourseOfConduct, b: CourseOfConduct): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function sortCourses(courses: CourseOfConduct[]): CourseOfConduct[] {
  const time = new Map(courses.map((course) => [course, Date.parse(course.firstReportedAt)]))
  return courses.sort((a, b) => time.get(a)! - time.get(b)! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** Full run: every course of conduct in a set of records. */
export function findCoursesOfConduct(records: Iterable<LinkageRecord>, options: ConductOptions): CourseOfConduct[] {
  validateOptions(options)
  const index = new LinkageIndex(options)
  index.add(records)
  return index.courses()
}
