// The seeded synthetic crime generator. Records come out in crime-number order, one at a time: courses of conduct
// and intelligence reports are scheduled ahead into a small queue keyed by record position, and people are derived
// from their number (people.ts), so memory stays flat however many records are asked for.

import type { ClassificationInput, CrimeRecordInput, PartyInput, PersonIdentifier } from '../model.ts'
import { appearance, fakeHandle, newMobile, personFor, type Person } from './people.ts'
import { Random, Weighted } from '../../platform/random.ts'
import {
  BEHAVIOUR_KINDS,
  courseNarrative,
  intelligenceNarrative,
  ordinaryNarrative,
  place,
  type Family,
  type Slots,
} from './narratives.ts'
import type { GeneratedRecord, GenerateOptions, GroundTruth } from './types.ts'

export type { GeneratedRecord, GenerateOptions, GroundTruth } from './types.ts'

interface Kind {
  code: string
  family: Family
  /** Chance a suspect is named. */
  suspect: number
  /** Chance the domestic abuse flag is set. */
  da: number
  online?: boolean
  /** Included classifications sometimes added, with their chance. */
  included?: readonly (readonly [string, number])[]
}

/** Ordinary (non-course) records, weighted roughly like a force's recorded crime mix. */
const ORDINARY = new Weighted<Kind>([
  [{ code: '105A', family: 'assault', suspect: 0.75, da: 0.3, included: [['9A', 0.05]] }, 11],
  [{ code: '105A', family: 'domesticAssault', suspect: 1, da: 1, included: [['8U', 0.06]] }, 4],
  [{ code: '8N', family: 'assaultInjury', suspect: 0.7, da: 0.25 }, 6],
  [{ code: '8N', family: 'domesticAssault', suspect: 1, da: 1, included: [['8U', 0.08]] }, 2.5],
  [{ code: '5D', family: 'assaultInjury', suspect: 0.6, da: 0.15 }, 0.6],
  [{ code: '104', family: 'assault', suspect: 1, da: 0 }, 0.8],
  [{ code: '105B', family: 'assault', suspect: 0.7, da: 0 }, 0.6],
  [{ code: '3B', family: 'threats', suspect: 0.85, da: 0.3 }, 0.9],
  [{ code: '8L', family: 'neighbour', suspect: 1, da: 0 }, 2],
  [{ code: '8R', family: 'maliciousComms', suspect: 0.8, da: 0.1, online: true }, 4.5],
  [{ code: '8M', family: 'publicOrder', suspect: 0.6, da: 0 }, 0.4],
  [{ code: '8U', family: 'coercive', suspect: 1, da: 1 }, 1.2],
  [{ code: '8L-BRO', family: 'breach', suspect: 1, da: 0.5 }, 0.5],
  [{ code: '8L-NMO', family: 'breach', suspect: 1, da: 1 }, 0.3],
  [{ code: '9A', family: 'publicOrder', suspect: 0.7, da: 0.05 }, 6],
  [{ code: '9B', family: 'publicOrder', suspect: 0.6, da: 0 }, 0.8],
  [{ code: '66', family: 'publicOrder', suspect: 0.8, da: 0 }, 0.5],
  [{ code: '46', family: 'shoplifting', suspect: 0.45, da: 0 }, 8],
  [{ code: '49', family: 'theftOther', suspect: 0.1, da: 0 }, 8],
  [{ code: '45', family: 'theftFromVehicle', suspect: 0.05, da: 0 }, 3],
  [{ code: '48', family: 'vehicleTaken', suspect: 0.05, da: 0 }, 1.5],
  [{ code: '126', family: 'theftFromVehicle', suspect: 0.1, da: 0 }, 0.4],
  [{ code: '44', family: 'bicycle', suspect: 0.03, da: 0 }, 1.5],
  [{ code: '39', family: 'theftPerson', suspect: 0.05, da: 0 }, 1.2],
  [{ code: '28E', family: 'burglary', suspect: 0.1, da: 0, included: [['58A', 0.1]] }, 3],
  [{ code: '28F', family: 'burglary', suspect: 0.1, da: 0 }, 0.5],
  [{ code: '30C', family: 'burglaryBusiness', suspect: 0.05, da: 0 }, 1.3],
  [{ code: '34B', family: 'robbery', suspect: 0.3, da: 0, included: [['8N', 0.1]] }, 1],
  [{ code: '58A', family: 'damage', suspect: 0.25, da: 0.1 }, 2.5],
  [{ code: '58B', family: 'damage', suspect: 0.15, da: 0 }, 1.2],
  [{ code: '58C', family: 'damageVehicle', suspect: 0.15, da: 0.05 }, 3],
  [{ code: '58D', family: 'damage', suspect: 0.15, da: 0 }, 2],
  [{ code: '56B', family: 'arson', suspect: 0.1, da: 0 }, 0.6],
  [{ code: '20A', family: 'sexual', suspect: 0.7, da: 0.15 }, 1.4],
  [{ code: '19C', family: 'sexual', suspect: 0.9, da: 0.3 }, 0.9],
  [{ code: '92E', family: 'drugs', suspect: 1, da: 0 }, 2.2],
  [{ code: '92D', family: 'drugs', suspect: 1, da: 0 }, 0.8],
  [{ code: '92A', family: 'drugs', suspect: 1, da: 0 }, 0.5],
  [{ code: '10D', family: 'weapons', suspect: 1, da: 0 }, 0.9],
  [{ code: '10C', family: 'weapons', suspect: 1, da: 0 }, 0.3],
  [{ code: 'NFIB52A', family: 'hacking', suspect: 0.05, da: 0, online: true }, 0.3],
  [{ code: '802', family: 'driving', suspect: 1, da: 0 }, 0.3],
  [{ code: '33', family: 'misc', suspect: 1, da: 0 }, 0.2],
  [{ code: '99', family: 'misc', suspect: 0.5, da: 0 }, 0.3],
])

/** Principal classification of a stalking incident that is not recorded as principal 8Q. */
const COURSE_PRINCIPAL = new Weighted<string>([
  ['8L', 26],
  ['8R', 24],
  ['58C', 9],
  ['58A', 4],
  ['105A', 9],
  ['8N', 3],
  ['9A', 4],
  ['3B', 3],
  ['28E', 2],
  ['NFIB52A', 2],
  ['8L-BRO', 8],
  ['8L-NMO', 4],
  ['8L-SPO', 2],
])
const ONLINE_CODES = new Set(['8R', 'NFIB52A'])
const RELATIONSHIPS = new Weighted<string>([
  ['ex-partner', 55],
  ['former partner', 15],
  ['ex-husband', 6],
  ['acquaintance', 10],
  ['former colleague', 6],
  ['neighbour', 3],
  ['stranger', 5],
])
const INTIMATE = new Set(['ex-partner', 'former partner', 'ex-husband'])

const TEAMS: Record<string, readonly string[]> = {
  volume: [
    'Response Team A',
    'Response Team B',
    'Response Team C',
    'Volume Crime Unit',
    'Neighbourhood North',
    'Neighbourhood South',
  ],
  serious: ['CID', 'Serious Crime Unit', 'Public Protection Unit'],
  da: ['Domestic Abuse Investigation Unit', 'Safeguarding Hub', 'Public Protection Unit'],
  stalking: [
    'Domestic Abuse Investigation Unit',
    'Stalking Clinic',
    'Public Protection Unit',
    'Response Team B',
    'Neighbourhood North',
  ],
  intel: ['Force Intelligence Bureau', 'Local Intelligence Unit'],
}
const RANKS = ['PC', 'PC', 'PC', 'DC', 'DC', 'DS', 'PS', 'PCSO']

const OUTCOMES: Record<'theft' | 'violence' | 'drugs' | 'stalking', Weighted<number>> = {
  theft: new Weighted([
    [18, 60],
    [14, 14],
    [16, 6],
    [15, 5],
    [1, 7],
    [8, 3],
    [3, 2],
    [20, 1],
    [21, 2],
  ]),
  violence: new Weighted([
    [16, 34],
    [15, 22],
    [14, 10],
    [1, 14],
    [8, 6],
    [3, 4],
    [10, 2],
    [21, 2],
    [22, 2],
    [9, 1],
    [18, 3],
  ]),
  drugs: new Weighted([
    [1, 35],
    [7, 25],
    [3, 12],
    [8, 8],
    [6, 5],
    [22, 5],
    [15, 10],
  ]),
  stalking: new Weighted([
    [16, 35],
    [15, 25],
    [1, 22],
    [14, 6],
    [9, 3],
    [8, 2],
    [21, 4],
    [3, 3],
  ]),
}
const THEFT_FAMILIES = new Set<Family>([
  'shoplifting',
  'theftOther',
  'theftFromVehicle',
  'vehicleTaken',
  'bicycle',
  'theftPerson',
  'burglary',
  'burglaryBusiness',
  'robbery',
  'damage',
  'damageVehicle',
  'arson',
  'hacking',
])

const DAY_MS = 86_400_000
const SPAN_DAYS = 1096

interface Course {
  id: string
  stalking: boolean
  victim: number
  suspect: number
  rel: string
  /** Total incidents planned and how many have been emitted. */
  planned: number
  done: number
  refs: string[]
  fakeHandles: string[]
  burner: string | null
  withOrder: boolean
}

type Pending = { type: 'course'; course: Course } | { type: 'intel'; course: Course | null; refs: string[] }

const dayCache = new Map<number, string>()

function isoDay(ms: number): string {
  const day = Math.floor(ms / DAY_MS)
  let text = dayCache.get(day)
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10)
    if (dayCache.size > 20_000) dayCache.clear()
    dayCache.set(day, text)
  }
  return text
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

function isoMinute(ms: number): string {
  const inDay = ms - Math.floor(ms / DAY_MS) * DAY_MS
  const minutes = Math.floor(inDay / 60_000)
  return `${isoDay(ms)}T${two(Math.floor(minutes / 60))}:${two(minutes % 60)}:00`
}

function parseEnd(endDate: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(endDate)
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN
  if (Number.isNaN(ms)) throw new Error(`generator endDate must be 'YYYY-MM-DD', got "${endDate}"`)
  return ms
}

/** Streams `options.crimes` records (crimes plus a few per cent intelligence reports), in crime-number order. */
export function* generateRecords(options: GenerateOptions): Generator<GeneratedRecord> {
  const total = Math.max(0, Math.floor(options.crimes))
  if (!Number.isFinite(options.seed)) throw new Error('generator seed must be a number')
  const seed = options.seed >>> 0
  const random = new Random(seed)
  const end = parseEnd(options.endDate ?? '2026-10-31') + DAY_MS - 1
  const start = end - SPAN_DAYS * DAY_MS
  const perDay = total / SPAN_DAYS
  const population = Math.max(40, Math.round(total * 0.85))
  const frequent = Math.max(5, Math.round(population * 0.02))
  const personCache = new Map<number, Person>()
  const person = (n: number): Person => {
    let found = personCache.get(n)
    if (!found) {
      found = personFor(seed, n)
      if (personCache.size > 5000) personCache.clear()
      personCache.set(n, found)
    }
    return found
  }
  const anyone = (): number => (random.chance(0.18) ? random.int(frequent) : random.int(population))
  const pending = new Map<number, Pending[]>()
  const schedule = (at: number, item: Pending) => {
    const list = pending.get(at)
    if (list) list.push(item)
    else pending.set(at, [item])
  }
  const recent: string[] = []
  let courseCount = 0
  let crimeSeq = 0
  let intelSeq = 0

  const slotsFor = (victim: Person, suspect: Person | null, rel: string): Slots => ({
    rel,
    sname: suspect ? suspect.forenames[suspect.forenames.length > 1 && random.chance(0.5) ? 1 : 0] : 'the suspect',
    veh: suspect?.vehicle ?? victim.vehicle ?? 'unknown vehicle',
  })

  let index = 0
  let reportedMs = start
  let year = 0
  for (index = 0; index < total; index++) {
    const dayMs = start + Math.floor(((index + random.next()) / Math.max(total, 1)) * SPAN_DAYS) * DAY_MS
    const hour = random.chance(0.75) ? random.between(8, 23) : random.between(0, 7)
    reportedMs = Math.min(end, dayMs + hour * 3_600_000 + random.between(0, 59) * 60_000)
    year = Number(isoDay(reportedMs).slice(2, 4))
    const queue = pending.get(index)
    let item: Pending | undefined
    if (queue) {
      pending.delete(index)
      item = queue.shift()
      if (queue.length > 0) {
        if (index + 1 < total) pending.set(index + 1, [...queue, ...(pending.get(index + 1) ?? [])])
      }
    }

    let result: GeneratedRecord
    if (item?.type === 'intel') {
      result = intelligence(item.course, item.refs)
    } else if (item?.type === 'course') {
      result = courseIncident(item.course)
    } else if (random.chance(0.028) && recent.length > 0) {
      result = intelligence(null, [random.pick(recent)])
    } else if (random.chance(0.012)) {
      result = startCourse(true)
    } else if (random.chance(0.004)) {
      result = startCourse(false)
    } else {
      result = ordinary()
    }
    if (result.record.kind === 'crime') {
      recent.push(result.record.forceReference)
      if (recent.length > 200) recent.shift()
    }
    yield result
  }

  // ---- record builders (closures over index, reportedMs, year) ----
  function nextCrimeRef(): string {
    crimeSeq++
    return `DS/${String(crimeSeq).padStart(7, '0')}/${String(year).padStart(2, '0')}`
  }

  function officer(): string {
    return `${random.pick(RANKS)} ${random.between(1000, 9999)}`
  }

  function finalise(
    kind: 'theft' | 'violence' | 'drugs' | 'stalking',
    suspectNamed: boolean,
  ): { status: string; outcome: number | null } {
    const ageDays = (end - reportedMs) / DAY_MS
    if (ageDays < 45 && random.chance(0.8 - ageDays / 60)) {
      return { status: random.pick(['Under investigation', 'Allocated', 'Awaiting CPS decision']), outcome: null }
    }
    let outcome = OUTCOMES[kind].sample(random)
    if (!suspectNamed && outcome !== 18 && outcome !== 14) outcome = random.chance(0.8) ? 18 : 14
    return { status: 'Finalised', outcome }
  }

  function included(codes: string[], reason: string | null): ClassificationInput[] {
    return codes.map((code) => ({
      code,
      addedBy: random.chance(0.6) ? officer() : 'FCR',
      addedAt: isoDay(Math.min(end, reportedMs + random.between(0, 10) * DAY_MS)),
      reason,
    }))
  }

  function occurrence(): { from: string; to: string }[] {
    const from = reportedMs - random.between(0, 2) * DAY_MS
    const to = random.chance(0.3) ? Math.min(reportedMs, from + random.between(0, 1) * DAY_MS) : from
    return [{ from: isoDay(from), to: isoDay(to) }]
  }

  function ordinary(): GeneratedRecord {
    const kind = ORDINARY.sample(random)
    const victimN = anyone()
    const victim = person(victimN)
    const parties: PartyInput[] = [appearance(random, victim, { role: 'victim' })]
    const ids = [victim.id]
    let suspect: Person | null = null
    if (random.chance(kind.suspect)) {
      let suspectN = anyone()
      if (suspectN === victimN) suspectN = (suspectN + 1) % population
      suspect = person(suspectN)
      parties.push(appearance(random, suspect, { role: 'suspect' }))
      ids.push(suspect.id)
    }
    if (random.chance(0.12)) {
      const witness = person(random.int(population))
      parties.push(appearance(random, witness, { role: 'witness' }))
      ids.push(witness.id)
    }
    const extra = (kind.included ?? []).filter(([, p]) => random.chance(p)).map(([code]) => code)
    const da = random.chance(kind.da)
    const family = kind.family
    const outcomeKind = THEFT_FAMILIES.has(family) ? 'theft' : family === 'drugs' ? 'drugs' : 'violence'
    const { status, outcome } = finalise(outcomeKind, suspect !== null)
    const team = random.pick(
      da ? TEAMS.da : outcomeKind === 'theft' ? TEAMS.volume : random.chance(0.2) ? TEAMS.serious : TEAMS.volume,
    )
    const record: CrimeRecordInput = {
      forceReference: nextCrimeRef(),
      kind: 'crime',
      reportedAt: isoMinute(reportedMs),
      occurrences: occurrence(),
      principal: kind.code,
      included: included(extra, null),
      flags: {
        domesticAbuse: da,
        online: kind.online === true,
        repeatVictim: victimN < frequent && random.chance(0.6),
      },
      parties,
      narrative: ordinaryNarrative(random, family, slotsFor(victim, suspect, 'partner')),
      team,
      officerInCase: officer(),
      status,
      outcome,
      linkedCrimeRefs: [],
      location: place(random),
    }
    const truth: GroundTruth = {
      stalking: false,
      courseOfConductId: null,
      narrativeHasStalkingBehaviour: false,
      stalkingRecordedAs: null,
      partyPersonIds: ids,
    }
    return { record, truth }
  }

  function startCourse(stalking: boolean): GeneratedRecord {
    courseCount++
    const victim = anyone()
    let suspect = random.int(population)
    if (suspect === victim) suspect = (suspect + 1) % population
    const planned = random.between(2, 8)
    const course: Course = {
      id: `COC-${seed.toString(16)}-${String(courseCount).padStart(6, '0')}`,
      stalking,
      victim,
      suspect,
      rel: stalking ? RELATIONSHIPS.sample(random) : 'neighbour',
      planned,
      done: 0,
      refs: [],
      fakeHandles: [],
      burner: null,
      withOrder: random.chance(0.3),
    }
    // Incidents spread over weeks: gaps of 2 to 21 days, converted to record positions.
    let at = index
    for (let k = 1; k < planned; k++) {
      at += Math.max(1, Math.round(random.between(2, 21) * perDay))
      if (at >= total) break
      schedule(at, { type: 'course', course })
    }
    return courseIncident(course)
  }

  function courseIncident(course: Course): GeneratedRecord {
    const k = course.done++
    const victim = person(course.victim)
    const suspect = person(course.suspect)
    const slots = slotsFor(victim, suspect, course.rel)
    let principal: string
    let includedCodes: string[] = []
    let recordedAs: GroundTruth['stalkingRecordedAs'] = null
    let behaviours: string[] = []
    let narrative: string
    if (course.stalking) {
      const roll = random.next()
      if (roll < 0.2 && k > 0) {
        principal = '8Q'
        recordedAs = 'principal'
      } else {
        principal = COURSE_PRINCIPAL.sample(random)
        if (principal.startsWith('8L-') && !course.withOrder) principal = random.chance(0.5) ? '8L' : '8R'
        recordedAs = roll < 0.38 && k > 0 ? 'included' : 'unrecorded'
        if (recordedAs === 'included') includedCodes = ['8Q']
      }
      const withBehaviour = principal === '8Q' || random.chance(0.8)
      if (withBehaviour) {
        const count = random.between(1, 3)
        const kinds = new Set<string>()
        while (kinds.size < count) kinds.add(random.pick(BEHAVIOUR_KINDS))
        behaviours = [...kinds]
      }
      if (INTIMATE.has(course.rel) && random.chance(0.15) && principal !== '8U') includedCodes.push('8U')
      narrative = courseNarrative(random, principal, behaviours, slots, k === 0)
    } else {
      principal = random.pick(['8L', '8L', '9A', '58D', '105A'])
      narrative = ordinaryNarrative(random, 'neighbour', slots)
    }
    const extra: PersonIdentifier[] = []
    if (
      course.stalking &&
      (behaviours.includes('fakeAccounts') || (ONLINE_CODES.has(principal) && random.chance(0.5)))
    ) {
      if (course.fakeHandles.length === 0 || random.chance(0.5)) course.fakeHandles.push(fakeHandle(random))
      extra.push({ kind: 'social', value: course.fakeHandles[course.fakeHandles.length - 1] })
    }
    if (course.stalking && random.chance(0.2)) {
      course.burner ??= newMobile(random)
      extra.push({ kind: 'phone', value: course.burner })
    }
    const parties = [
      appearance(random, victim, { role: 'victim' }),
      appearance(random, suspect, { role: 'suspect', extra, noise: 1.4 }),
    ]
    const ids = [victim.id, suspect.id]
    const { status, outcome } = finalise(course.stalking ? 'stalking' : 'violence', true)
    const ref = nextCrimeRef()
    course.refs.push(ref)
    const intimate = INTIMATE.has(course.rel)
    const record: CrimeRecordInput = {
      forceReference: ref,
      kind: 'crime',
      reportedAt: isoMinute(reportedMs),
      occurrences: occurrence(),
      principal,
      included: included(includedCodes, recordedAs === 'included' ? 'Stalking identified on review' : null),
      flags: {
        domesticAbuse: course.stalking && intimate ? random.chance(0.85) : false,
        online: ONLINE_CODES.has(principal) || behaviours.includes('fakeAccounts'),
        repeatVictim: k > 0 && random.chance(0.7),
      },
      parties,
      narrative,
      team: random.pick(course.stalking ? TEAMS.stalking : TEAMS.volume),
      officerInCase: officer(),
      status,
      outcome,
      linkedCrimeRefs: [],
      location: random.chance(0.7) ? place(random) : null,
    }
    if (course.stalking && k >= 1 && random.chance(0.25)) {
      const at = index + Math.max(1, Math.round(random.between(1, 7) * perDay))
      if (at < total) schedule(at, { type: 'intel', course, refs: [...course.refs] })
    }
    return {
      record,
      truth: {
        stalking: course.stalking,
        courseOfConductId: course.id,
        narrativeHasStalkingBehaviour: behaviours.length > 0,
        stalkingRecordedAs: course.stalking ? recordedAs : null,
        partyPersonIds: ids,
      },
    }
  }

  function intelligence(course: Course | null, refs: string[]): GeneratedRecord {
    intelSeq++
    const subjectN = course ? course.suspect : anyone()
    const subject = person(subjectN)
    const parties: PartyInput[] = [appearance(random, subject, { role: 'suspect', noise: 1.5 })]
    const ids = [subject.id]
    let victim: Person | null = null
    if (course) {
      victim = person(course.victim)
      if (random.chance(0.7)) {
        parties.unshift(appearance(random, victim, { role: 'victim' }))
        ids.unshift(victim.id)
      }
    }
    const slots = slotsFor(victim ?? subject, subject, course?.rel ?? 'associate')
    const record: CrimeRecordInput = {
      forceReference: `INT/${String(intelSeq).padStart(7, '0')}/${String(year).padStart(2, '0')}`,
      kind: 'intelligence',
      reportedAt: isoMinute(reportedMs),
      occurrences: [{ from: isoDay(reportedMs), to: isoDay(reportedMs) }],
      principal: null,
      included: [],
      flags: { domesticAbuse: course ? INTIMATE.has(course.rel) : false, online: false, repeatVictim: false },
      parties,
      narrative: intelligenceNarrative(random, course !== null, slots),
      team: random.pick(TEAMS.intel),
      officerInCase: null,
      status: random.pick(['Disseminated', 'Actioned', 'Filed']),
      outcome: null,
      linkedCrimeRefs: refs,
      location: null,
    }
    return {
      record,
      truth: {
        stalking: course?.stalking ?? false,
        courseOfConductId: course?.id ?? null,
        narrativeHasStalkingBehaviour: course !== null,
        stalkingRecordedAs: null,
        partyPersonIds: ids,
      },
    }
  }
}

/** The whole dataset as an array (use generateRecords to stream large ones). */
export function generateDataset(options: GenerateOptions): GeneratedRecord[] {
  return [...generateRecords(options)]
}
