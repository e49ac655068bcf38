// Person resolution: which parties, across records, are the same person.
//
// Scoring (scorePair): additive evidence, clamped to 0..1. Weights, and why:
//   shared phone / email / PNC id   +0.70  one is enough on its own for an otherwise unnamed party (an "unknown
//                                           suspect" known only by the number that keeps texting).
//   shared social handle            +0.65  as strong, but handles collide across platforms more often.
//   shared vehicle / other          +0.30  households share cars; only supports a name match.
//   same date of birth              +0.40  near (day/month swapped, or one digit different): +0.25;
//                                           different: -0.40 (a firm contradiction).
//   same surname                    +0.20  similar (edit distance 1, 2 for long names, or same phonetic key): +0.15;
//                                           one part of a double-barrelled name: +0.12; different: -0.15 (small,
//                                           because surnames change on marriage).
//   same forename                   +0.20  nickname (Dave / David): +0.18; similar: +0.12; initial only: +0.05;
//                                           different: -0.35 (so a shared landline or family email does not merge
//                                           two members of one household).
// SAME_PERSON_THRESHOLD = 0.65: a shared phone/email/PNC/handle alone merges (0.70, 0.65); forename + surname + date of
// birth merges (0.80), as do nickname or one-letter typos with the same date of birth (0.72-0.78) and exact names with
// a near date of birth (0.65); name alone (0.40), date of birth alone (0.40), a vehicle alone (0.30) and a shared phone
// with a different forename (at most 0.55) do not.
//
// Clustering (PersonResolver): candidate pairs come only from blocks (parties sharing a blocking key); pairs scoring at
// or above the threshold are edges, and a person is a connected component of edges. Blocking keys follow from the
// weights: without a shared identifier, a pair can only reach the threshold with the same date of birth and both names
// agreeing, or a near date of birth with the same surname and first forename. So the keys are (an earlier version
// used the forename initial, whose blocks grew with the data and made the run quadratic):
//   every normalised identifier;  date of birth + phonetic surname (each part of a double-barrelled one);  date of
//   birth + phonetic forename (of each canonical form, so Kate and Catherine share K365);  surname + forename
//   + month-day (a slip in the year);  + year-month (a slip in the day);  + year and the unordered day/month pair
//   (a swap). A slip in the month digit is only found through another key.
// Name-only blocks are not needed: a name alone can never reach the threshold. Keys are hashed to 30-bit integers
// (blockHash) to save memory; a collision only adds a pair to score. A block that grows past MAX_BLOCK_SIZE parties is
// "saturated" (a placeholder phone number, a police station email, a very common name on a common birthday): it stops
// producing pairs, and the edges it alone supported are withdrawn. Saturation depends only on how many parties ever
// shared the key, not on the order they came in, so an incremental build and a full build end with the same edges and
// therefore the same people. Work per party is bounded by (keys x MAX_BLOCK_SIZE), so the whole run is linear.

import { distance } from 'fastest-levenshtein'
import { NameCache, type ForenameInfo, type SurnameInfo } from './names.ts'
import { identifierKey, normaliseIdentifier, parseIdentifierKey, type NormalisedKind } from './identifiers.ts'
import type { LinkageParty, PersonKey } from './types.ts'

export const SAME_PERSON_THRESHOLD = 0.65
const SATURATED: number[] = []
export const MAX_BLOCK_SIZE = 200

export const WEIGHTS = {
  identifier: { phone: 0.7, email: 0.7, pnc: 0.7, social: 0.65, vehicle: 0.3, other: 0.3 } satisfies Record<
    NormalisedKind,
    number
  >,
  dob: { same: 0.4, near: 0.25, different: -0.4 },
  surname: { same: 0.2, similar: 0.15, part: 0.12, different: -0.15 },
  forename: { same: 0.2, nickname: 0.18, similar: 0.12, initial: 0.05, different: -0.35 },
} as const

/** A party prepared for comparison. */
export interface PartyFeatures {
  partyId: number
  forename: ForenameInfo | null
  surname: SurnameInfo | null
  dob: string | null
  /** identifierKey of each distinct usable identifier ('phone:07700900123'). */
  idKeys: readonly string[]
}

const DOB_PATTERN = /^\d{4}-\d{2}-\d{2}$/
const NO_KEYS: readonly string[] = Object.freeze([])

const sharedCache = new NameCache()

// Identifier values are mostly distinct across parties, so they are normalised directly: a memo keyed by the raw value
// was measured slower (hashing each new raw string into a map of millions costs more than normalising it).
export function partyFeatures(party: LinkageParty, cache: NameCache = sharedCache): PartyFeatures {
  let idKeys = NO_KEYS
  for (const identifier of party.identifiers ?? []) {
    const id = normaliseIdentifier(identifier.kind, identifier.value)
    if (id === null) continue
    const key = identifierKey(id)
    if (idKeys === NO_KEYS) idKeys = [key]
    else if (!idKeys.includes(key)) (idKeys as string[]).push(key)
  }
  const dob = party.dateOfBirth ? party.dateOfBirth.slice(0, 10) : null
  return {
    partyId: party.partyId,
    forename: cache.forename(party.forename),
    surname: cache.surname(party.surname),
    dob: dob !== null && DOB_PATTERN.test(dob) ? dob : null,
    idKeys,
  }
}

function similarSpelling(a: string, b: string): number | null {
  const shorter = Math.min(a.length, b.length)
  if (shorter < 3) return null
  const limit = shorter >= 7 ? 2 : 1
  if (Math.abs(a.length - b.length) > limit) return null
  const d = distance(a, b)
  return d <= limit ? d : null
}

function compareForenames(a: ForenameInfo, b: ForenameInfo, reasons: string[] | null): number {
  const w = WEIGHTS.forename
  if (a.full === b.full || a.first === b.first) {
    if (a.initialOnly) {
      reasons?.push(`same forename initial ${a.first.toUpperCase()}`)
      return w.initial
    }
    reasons?.push(`same forename ${a.display}`)
    return w.same
  }
  if (a.initialOnly || b.initialOnly) {
    if (a.first[0] === b.first[0]) {
      const [initial, name] = a.initialOnly ? [a, b] : [b, a]
      reasons?.push(`forename initial ${initial.first.toUpperCase()} fits ${name.display}`)
      return w.initial
    }
    reasons?.push(`different forenames ${a.display} and ${b.display}`)
    return w.different
  }
  if (a.canonical.includes(b.first)) {
    reasons?.push(`forename ${a.display} is a nickname of ${b.display}`)
    return w.nickname
  }
  if (b.canonical.includes(a.first)) {
    reasons?.push(`forename ${b.display} is a nickname of ${a.display}`)
    return w.nickname
  }
  for (const name of a.canonical) {
    if (b.canonical.includes(name)) {
      reasons?.push(`forenames ${a.display} and ${b.display} are both forms of ${capitalise(name)}`)
      return w.nickname
    }
  }
  const d = similarSpelling(a.first, b.first)
  if (d !== null) {
    reasons?.push(`forename ${a.display} ~ ${b.display} (edit distance ${d})`)
    return w.similar
  }
  if (a.phonetic === b.phonetic) {
    reasons?.push(`forename ${a.display} sounds like ${b.display}`)
    return w.similar
  }
  reasons?.push(`different forenames ${a.display} and ${b.display}`)
  return w.different
}

function compareSurnames(a: SurnameInfo, b: SurnameInfo, reasons: string[] | null): number {
  const w = WEIGHTS.surname
  if (a.full === b.full) {
    reasons?.push(`same surname ${a.display}`)
    return w.same
  }
  const d = similarSpelling(a.full, b.full)
  if (d !== null) {
    reasons?.push(`surname ${a.display} ~ ${b.display} (edit distance ${d})`)
    return w.similar
  }
  if (a.phonetic === b.phonetic) {
    reasons?.push(`surname ${a.display} sounds like ${b.display}`)
    return w.similar
  }
  if (a.parts.length > 1 || b.parts.length > 1) {
    for (const part of a.parts) {
      if (part.length > 1 && b.parts.includes(part)) {
        reasons?.push(`surnames ${a.display} and ${b.display} share ${capitalise(part)}`)
        return w.part
      }
    }
  }
  reasons?.push(`different surnames ${a.display} and ${b.display}`)
  return w.different
}

/** Day and month swapped, or exactly one digit different. Inputs are valid 'YYYY-MM-DD'. */
export function nearDates(a: string, b: string): 'swap' | 'digit' | null {
  if (a.slice(0, 4) === b.slice(0, 4) && a.slice(5, 7) === b.slice(8, 10) && a.slice(8, 10) === b.slice(5, 7)) {
    return 'swap'
  }
  let differences = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differences++
  return differences === 1 ? 'digit' : null
}

function compareDates(a: string, b: string, reasons: string[] | null): number {
  const w = WEIGHTS.dob
  if (a === b) {
    reasons?.push(`same date of birth ${a}`)
    return w.same
  }
  const near = nearDates(a, b)
  if (near === 'swap') {
    reasons?.push(`dates of birth ${a} and ${b} differ by a day/month swap`)
    return w.near
  }
  if (near === 'digit') {
    reasons?.push(`dates of birth ${a} and ${b} differ by one digit`)
    return w.near
  }
  reasons?.push(`different dates of birth ${a} and ${b}`)
  return w.different
}

/** WEIGHTS.identifier of an identifier key's kind, read from the key's first letters without parsing it. */
function identifierWeight(key: string): number {
  const w = WEIGHTS.identifier
  switch (key.charCodeAt(0)) {
    case 0x65: // email
      return w.email
    case 0x73: // social
      return w.social
    case 0x76: // vehicle
      return w.vehicle
    case 0x6f: // other
      return w.other
    case 0x70: // phone or pnc
      return key.charCodeAt(1) === 0x68 ? w.phone : w.pnc
    default:
      return WEIGHTS.identifier[parseIdentifierKey(key).kind]
  }
}

/** The same-person score of two prepared parties; pushes the reasons in words when `reasons` is given. */
export function scoreFeatures(a: PartyFeatures, b: PartyFeatures, reasons: string[] | null = null): number {
  let score = 0
  if (a.idKeys.length > 0 && b.idKeys.length > 0) {
    for (const key of a.idKeys) {
      if (!b.idKeys.includes(key)) continue
      if (reasons === null) {
        score += identifierWeight(key)
        continue
      }
      const id = parseIdentifierKey(key)
      score += WEIGHTS.identifier[id.kind]
      reasons.push(`same ${id.kind === 'other' ? 'identifier' : id.kind} ${id.display}`)
    }
  }
  if (a.dob !== null && b.dob !== null) score += compareDates(a.dob, b.dob, reasons)
  if (a.surname !== null && b.surname !== null) score += compareSurnames(a.surname, b.surname, reasons)
  if (a.forename !== null && b.forename !== null) score += compareForenames(a.forename, b.forename, reasons)
  return score < 0 ? 0 : score > 1 ? 1 : Math.round(score * 1000) / 1000
}

/** How likely two parties are to be the same person (0..1), with the evidence in words. */
export function scorePair(a: LinkageParty, b: LinkageParty): { score: number; reasons: string[] } {
  const reasons: string[] = []
  const score = scoreFeatures(partyFeatures(a), partyFeatures(b), reasons)
  return { score, reasons }
}

/**
 * Blocking keys of a prepared party. Every pair that can reach the threshold shares at least one (see the header):
 * without a shared identifier a pair needs the same date of birth (and both names positive), or a near date of birth
 * with the same surname and the same first forename.
 */
export function blockingKeys(f: PartyFeatures): string[] {
  const keys: string[] = []
  for (const key of f.idKeys) keys.push('i' + key)
  if (f.dob !== null && f.forename !== null && f.surname !== null) {
    const dob = f.dob
    for (const sp of [f.surname.phonetic, ...f.surname.partPhonetics]) keys.push(`ds${dob}|${sp}`)
    for (const phonetic of f.forename.canonicalPhonetics) keys.push(`df${dob}|${phonetic}`)
    // Near dates of birth with the same names: a slip in the year, a slip in the day, a day/month swap.
    const name = `${f.surname.full}|${f.forename.first}|`
    const year = dob.slice(0, 4)
    const month = dob.slice(5, 7)
    const day = dob.slice(8, 10)
    keys.push(`ny${name}${month}-${day}`, `nd${name}${year}-${month}`)
    if (month !== day) keys.push(`ns${name}${year}|${month < day ? month + day : day + month}`)
  }
  return [...new Set(keys)]
}

/**
 * Block key hash: cyrb53 mixing folded to 30 bits, so that the hash is a small integer (a V8 "Smi"), which Map looks
 * up several times faster than a 53-bit double. A collision only merges two blocks: more candidate pairs to score,
 * never a wrong edge (edges still need the score), and it is deterministic, so incremental = full still holds.
 */
export function blockHash(text: string): number {
  hashStart()
  hashText(text)
  return hashEnd()
}

// Streaming form of blockHash: hashing the parts of a key one after another gives the hash of their concatenation,
// without building the string (blockHashes makes several keys per party, millions in a full run).
let h1 = 0
let h2 = 0

function hashStart(): void {
  h1 = 0xdeadbeef
  h2 = 0x41c6ce57
}

function hashText(text: string, from = 0, to = text.length): void {
  let a = h1
  let b = h2
  for (let i = from; i < to; i++) {
    const ch = text.charCodeAt(i)
    a = Math.imul(a ^ ch, 2654435761)
    b = Math.imul(b ^ ch, 1597334677)
  }
  h1 = a
  h2 = b
}

function hashChar(ch: number): void {
  h1 = Math.imul(h1 ^ ch, 2654435761)
  h2 = Math.imul(h2 ^ ch, 1597334677)
}

function hashEnd(): number {
  let a = h1
  let b = h2
  a = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909)
  b = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909)
  return (a ^ (b << 7)) & 0x3fffffff
}

const PIPE = 0x7c
const DASH = 0x2d
const CH_D = 0x64
const CH_S = 0x73
const CH_F = 0x66
const CH_N = 0x6e
const CH_Y = 0x79

/**
 * blockHash of each of blockingKeys(f), in the same order, appended to `out`; identifier keys' hashes come from
 * `idHashes` (a memo by identifier key). Builds no key strings: the keys are hashed part by part.
 */
export function blockHashes(f: PartyFeatures, out: number[], idHashes?: Map<string, number>): void {
  for (const key of f.idKeys) {
    let hash = idHashes?.get(key)
    if (hash === undefined) {
      hash = blockHash('i' + key)
      idHashes?.set(key, hash)
    }
    out.push(hash)
  }
  if (f.dob === null || f.forename === null || f.surname === null) return
  const dob = f.dob
  const surname = f.surname
  const forename = f.forename
  // ds{dob}|{phonetic}: the surname's phonetic key and each part's, without repeats (as blockingKeys' Set does).
  const parts = surname.partPhonetics
  for (let p = -1; p < parts.length; p++) {
    const sp = p < 0 ? surname.phonetic : parts[p]
    if (p >= 0 && (sp === surname.phonetic || parts.indexOf(sp) < p)) continue
    hashStart()
    hashChar(CH_D)
    hashChar(CH_S)
    hashText(dob)
    hashChar(PIPE)
    hashText(sp)
    out.push(hashEnd())
  }
  for (const phonetic of forename.canonicalPhonetics) {
    hashStart()
    hashChar(CH_D)
    hashChar(CH_F)
    hashText(dob)
    hashChar(PIPE)
    hashText(phonetic)
    out.push(hashEnd())
  }
  // ny{surname}|{first}|{MM}-{DD}, nd{surname}|{first}|{YYYY}-{MM}, ns{surname}|{first}|{YYYY}|{MMDD or DDMM}
  nameHashStart(CH_Y, surname.full, forename.first)
  hashText(dob, 5, 7)
  hashChar(DASH)
  hashText(dob, 8, 10)
  out.push(hashEnd())
  nameHashStart(CH_D, surname.full, forename.first)
  hashText(dob, 0, 7)
  out.push(hashEnd())
  const month = (dob.charCodeAt(5) << 8) | dob.charCodeAt(6)
  const day = (dob.charCodeAt(8) << 8) | dob.charCodeAt(9)
  if (month !== day) {
    nameHashStart(CH_S, surname.full, forename.first)
    hashText(dob, 0, 4)
    hashChar(PIPE)
    if (month < day) {
      hashText(dob, 5, 7)
      hashText(dob, 8, 10)
    } else {
      hashText(dob, 8, 10)
      hashText(dob, 5, 7)
    }
    out.push(hashEnd())
  }
}

/** Positions 0..n-1 ordered by hashes[position] (30-bit), stable: two 15-bit counting-sort passes. */
function radixSortByHash(hashes: Int32Array): Int32Array {
  const total = hashes.length
  let source = new Int32Array(total)
  for (let k = 0; k < total; k++) source[k] = k
  let target = new Int32Array(total)
  const counts = new Int32Array(RADIX + 1)
  for (const shift of [0, 15]) {
    counts.fill(0)
    for (let k = 0; k < total; k++) counts[((hashes[k] >>> shift) & (RADIX - 1)) + 1]++
    for (let d = 1; d <= RADIX; d++) counts[d] += counts[d - 1]
    for (let m = 0; m < total; m++) {
      const k = source[m]
      target[counts[(hashes[k] >>> shift) & (RADIX - 1)]++] = k
    }
    ;[source, target] = [target, source]
  }
  return source
}

const RADIX = 1 << 15

function nameHashStart(kind: number, surname: string, first: string): void {
  hashStart()
  hashChar(CH_N)
  hashChar(kind)
  hashText(surname)
  hashChar(PIPE)
  hashText(first)
  hashChar(PIPE)
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}

/**
 * Incremental person clustering. add() prepares parties, compares each with the members of its blocks, keeps the
 * edges at or above the threshold and recomputes the connected components the batch touched. The person of a party is
 * identified by the smallest party id in its component, so the result does not depend on the order of adding.
 *
 * Internally parties are numbered densely in the order added (their index), so per-party state lives in arrays.
 * The first add() to an empty resolver (a full run) takes a faster path with the same result: it first counts every
 * block's final size, so it knows which blocks end saturated and never forms their pairs, and then joins the edges with
 * a union-find over typed arrays. The blocks (sorted arrivals) and the edges with their support stay in typed arrays;
 * a later add() turns into maps only the blocks and parties it touches (block, linksOf), so a daily batch added to an
 * index of millions costs what the batch touches.
 */
export class PersonResolver {
  readonly threshold: number
  readonly maxBlockSize: number
  private readonly cache = new NameCache()
  /** blockHash('i' + identifier key) by identifier key. */
  private readonly idHashes = new Map<string, number>()
  /** Party id -> index. */
  private readonly indexOf = new Map<number, number>()
  /** By index: party id, prepared features, smallest party id of the component. */
  private readonly partyIds: number[] = []
  private readonly features: PartyFeatures[] = []
  private readonly component: number[] = []
  /** Members (indices, in the order added) of each block by key hash: one index, several, or SATURATED. */
  private readonly blocks = new Map<number, number | number[]>()
  /**
   * Edge support by index: adjacency[a].get(b) = number of unsaturated blocks a and b share, for pairs above the
   * threshold. After a full run the edges are first kept only in `pendingEdges` (a, b, support triples), then in
   * `fullRunEdges` (compact arrays by party); a party's map is made from them the first time an incremental add
   * touches it (linksOf), so adding a daily batch to a large index costs what the batch touches, not the index's size.
   */
  private readonly adjacency: (Map<number, number> | undefined)[] = []
  private pendingEdges: number[] | null = null
  /** The full run's edges by party (indices below `parties`): neighbours[start[i]..start[i + 1]) with their support. */
  private fullRunEdges: { parties: number; start: Int32Array; neighbours: Int32Array; support: Int32Array } | null =
    null
  /** Parties whose adjacency map has been made from fullRunEdges (from then on the map is authoritative). */
  private fromFullRun: Uint8Array | null = null
  /**
   * A full run's block arrivals sorted by hash (see addAll). An incremental add looks a block up here (binary search)
   * the first time it meets the block's hash and moves it into `blocks`, which is authoritative from then on.
   */
  private pendingBlocks: { hashes: Int32Array; order: Int32Array; members: Int32Array } | null = null

  constructor(options: { threshold?: number; maxBlockSize?: number } = {}) {
    this.threshold = options.threshold ?? SAME_PERSON_THRESHOLD
    this.maxBlockSize = options.maxBlockSize ?? MAX_BLOCK_SIZE
    if (!(this.threshold > 0 && this.threshold <= 1))
      throw new Error(`threshold must be in (0, 1] (got ${this.threshold})`)
    if (!Number.isInteger(this.maxBlockSize) || this.maxBlockSize < 2) {
      throw new Error(`maxBlockSize must be a whole number, 2 or more (got ${this.maxBlockSize})`)
    }
  }

  get size(): number {
    return this.features.length
  }

  has(partyId: number): boolean {
    return this.indexOf.has(partyId)
  }

  featuresOf(partyId: number): PartyFeatures | undefined {
    const index = this.indexOf.get(partyId)
    return index === undefined ? undefined : this.features[index]
  }

  /** Component id (smallest party id of the person), or undefined for an unknown party. */
  componentOf(partyId: number): number | undefined {
    const index = this.indexOf.get(partyId)
    return index === undefined ? undefined : this.component[index]
  }

  personKeyOf(partyId: number): PersonKey | undefined {
    const c = this.componentOf(partyId)
    return c === undefined ? undefined : `P${c}`
  }

  /** Whether two parties are directly linked (not just through others). */
  directlyLinked(a: number, b: number): boolean {
    const ia = this.indexOf.get(a)
    const ib = this.indexOf.get(b)
    if (ia === undefined || ib === undefined) return false
    return (this.linksOf(ia)?.get(ib) ?? 0) > 0
  }

  /**
   * Adds parties (party ids must be new) and returns the ids of the parties whose component id changed, including
   * the new parties themselves.
   */
  add(parties: Iterable<LinkageParty>): Set<number> {
    return this.features.length === 0 ? this.addAll(parties) : this.addIncrementally(parties)
  }

  /** Registers a new party and returns its index. */
  private register(party: LinkageParty): number {
    if (this.indexOf.has(party.partyId)) throw new Error(`party ${party.partyId} has already been added`)
    const f = partyFeatures(party, this.cache)
    const index = this.features.length
    this.indexOf.set(f.partyId, index)
    this.partyIds.push(f.partyId)
    this.features.push(f)
    this.component.push(NaN) // set by the caller's component pass, which reports it as changed
    return index
  }

  /** Full run into an empty resolver: same edges and components as addIncrementally, without withdrawing edges. */
  private addAll(parties: Iterable<LinkageParty>): Set<number> {
    // Pass 1: prepare every party and hash its blocking keys; then sort the (hash, party) arrivals by hash with a
    // stable radix sort, so each block is a run of its members in the order added and its final size is known.
    const hashList: number[] = []
    const offsets: number[] = [0]
    for (const party of parties) {
      const index = this.register(party)
      blockHashes(this.features[index], hashList, this.idHashes)
      offsets.push(hashList.length)
    }
    const n = this.features.length
    const total = hashList.length
    const hashes = Int32Array.from(hashList)
    hashList.length = 0
    const owner = new Int32Array(total)
    for (let i = 0; i < n; i++) owner.fill(i, offsets[i], offsets[i + 1])
    const order = radixSortByHash(hashes)
    /** Members of the blocks, block by block, and for each arrival k the run [runStart[k], runEnd[k]) of its block. */
    const members = new Int32Array(total)
    const runStart = new Int32Array(total)
    const runEnd = new Int32Array(total)
    for (let start = 0; start < total;) {
      const hash = hashes[order[start]]
      let end = start + 1
      while (end < total && hashes[order[end]] === hash) end++
      for (let m = start; m < end; m++) {
        const k = order[m]
        members[m] = owner[k]
        runStart[k] = start
        // Singleton and saturated blocks produce no pairs: an empty run.
        runEnd[k] = end - start >= 2 && end - start <= this.maxBlockSize ? end : start
      }
      start = end
    }
    this.pendingBlocks = { hashes, order, members }

    // Pass 2: each party against the members before it in its unsaturated blocks, each candidate scored once.
    const parent = new Int32Array(n)
    for (let i = 0; i < n; i++) parent[i] = i
    const find = (x: number): number => {
      while (parent[x] !== x) {
        parent[x] = parent[parent[x]]
        x = parent[x]
      }
      return x
    }
    const seenBy = new Int32Array(n).fill(-1)
    const shared = new Int32Array(n)
    const candidates: number[] = []
    const edges: number[] = []
    for (let i = 0; i < n; i++) {
      candidates.length = 0
      for (let k = offsets[i]; k < offsets[i + 1]; k++) {
        const end = runEnd[k]
        for (let m = runStart[k]; m < end; m++) {
          const other = members[m]
          if (other === i) break
          if (seenBy[other] === i) shared[other]++
          else {
            seenBy[other] = i
            shared[other] = 1
            candidates.push(other)
          }
        }
      }
      if (candidates.length === 0) continue
      const f = this.features[i]
      for (const other of candidates) {
        if (scoreFeatures(f, this.features[other]) < this.threshold) continue
        edges.push(i, other, shared[other])
        const a = find(i)
        const b = find(other)
        if (a !== b) parent[a < b ? b : a] = a < b ? a : b
      }
    }
    this.pendingEdges = edges

    const smallest = new Float64Array(n).fill(Infinity)
    for (let i = 0; i < n; i++) {
      const root = find(i)
      if (this.partyIds[i] < smallest[root]) smallest[root] = this.partyIds[i]
    }
    for (let i = 0; i < n; i++) this.component[i] = smallest[find(i)]
    return new Set(this.partyIds)
  }

  /**
   * The members of a block: from `blocks`, or else moved there from a full run's sorted arrivals (a binary search
   * over them), as one index, several, or SATURATED. Undefined for a hash no party has had.
   */
  private block(hash: number): number | number[] | undefined {
    const known = this.blocks.get(hash)
    if (known !== undefined || this.pendingBlocks === null) return known
    const { hashes, order, members } = this.pendingBlocks
    let low = 0
    let high = order.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (hashes[order[middle]] < hash) low = middle + 1
      else high = middle
    }
    let end = low
    while (end < order.length && hashes[order[end]] === hash) end++
    if (end === low) return undefined
    const found =
      end - low === 1
        ? members[low]
        : end - low > this.maxBlockSize
          ? SATURATED
          : Array.from(members.subarray(low, end))
    this.blocks.set(hash, found)
    return found
  }

  /** The full run's edges as compact arrays by party, made once from the flat triples. */
  private fullRunLinks(): NonNullable<PersonResolver['fullRunEdges']> | null {
    if (this.fullRunEdges !== null || this.pendingEdges === null) return this.fullRunEdges
    const edges = this.pendingEdges
    const parties = this.features.length
    const start = new Int32Array(parties + 1)
    for (let e = 0; e < edges.length; e += 3) {
      start[edges[e] + 1]++
      start[edges[e + 1] + 1]++
    }
    for (let i = 0; i < parties; i++) start[i + 1] += start[i]
    const next = start.slice(0, parties)
    const neighbours = new Int32Array(start[parties])
    const support = new Int32Array(start[parties])
    for (let e = 0; e < edges.length; e += 3) {
      const [a, b, count] = [edges[e], edges[e + 1], edges[e + 2]]
      neighbours[next[a]] = b
      support[next[a]++] = count
      neighbours[next[b]] = a
      support[next[b]++] = count
    }
    this.pendingEdges = null
    this.fromFullRun = new Uint8Array(parties)
    this.fullRunEdges = { parties, start, neighbours, support }
    return this.fullRunEdges
  }

  /** A party's adjacency map (undefined when it has no edge), made from the full run's edges the first time. */
  private linksOf(index: number): Map<number, number> | undefined {
    const full = this.fullRunLinks()
    if (full !== null && index < full.parties && this.fromFullRun![index] === 0) {
      this.fromFullRun![index] = 1
      const from = full.start[index]
      const to = full.start[index + 1]
      if (from < to) {
        const map = (this.adjacency[index] ??= new Map())
        for (let k = from; k < to; k++) map.set(full.neighbours[k], full.support[k])
      }
    }
    return this.adjacency[index]
  }

  /** A party's adjacency map, made when it has none. */
  private linksFor(index: number): Map<number, number> {
    return this.linksOf(index) ?? (this.adjacency[index] = new Map())
  }

  private addIncrementally(parties: Iterable<LinkageParty>): Set<number> {
    const dirty = new Set<number>()
    const counts = new Map<number, number>()
    const hashes: number[] = []
    for (const party of parties) {
      const index = this.register(party)
      const f = this.features[index]
      dirty.add(index)
      counts.clear()
      hashes.length = 0
      blockHashes(f, hashes, this.idHashes)
      for (const hash of hashes) {
        const members = this.block(hash)
        if (members === undefined) {
          this.blocks.set(hash, index)
        } else if (typeof members === 'number') {
          counts.set(members, (counts.get(members) ?? 0) + 1)
          this.blocks.set(hash, [members, index])
        } else if (members === SATURATED) {
          continue
        } else if (members.length >= this.maxBlockSize) {
          this.saturate(hash, members, dirty)
        } else {
          for (const other of members) counts.set(other, (counts.get(other) ?? 0) + 1)
          members.push(index)
        }
      }
      for (const [other, shared] of counts) {
        const score = scoreFeatures(f, this.features[other])
        if (score >= this.threshold) {
          this.linksFor(index).set(other, shared)
          this.linksFor(other).set(index, shared)
          dirty.add(other)
        }
      }
    }
    return this.recomputeComponents(dirty)
  }

  private saturate(hash: number, members: number[], dirty: Set<number>): void {
    this.blocks.set(hash, SATURATED)
    for (let i = 0; i < members.length; i++) {
      const a = this.linksOf(members[i])
      if (a === undefined) continue
      for (let j = i + 1; j < members.length; j++) {
        const support = a.get(members[j])
        if (support === undefined) continue
        if (support > 1) {
          a.set(members[j], support - 1)
          this.linksOf(members[j])!.set(members[i], support - 1)
        } else {
          a.delete(members[j])
          this.linksOf(members[j])!.delete(members[i])
          dirty.add(members[i])
          dirty.add(members[j])
        }
      }
    }
  }

  /** Recomputes the components of the dirty parties (indices); returns the party ids whose component changed. */
  private recomputeComponents(dirty: Set<number>): Set<number> {
    const changed = new Set<number>()
    const seen = new Set<number>()
    const stack: number[] = []
    const members: number[] = []
    for (const start of dirty) {
      if (seen.has(start)) continue
      members.length = 0
      stack.push(start)
      seen.add(start)
      let min = this.partyIds[start]
      while (stack.length > 0) {
        const node = stack.pop()!
        members.push(node)
        if (this.partyIds[node] < min) min = this.partyIds[node]
        const next = this.linksOf(node)
        if (next === undefined) continue
        for (const other of next.keys()) {
          if (!seen.has(other)) {
            seen.add(other)
            stack.push(other)
          }
        }
      }
      for (const node of members) {
        if (this.component[node] !== min) {
          this.component[node] = min
          changed.add(this.partyIds[node])
        }
      }
    }
    return changed
  }
}

/** Clusters parties into people: partyId -> person key ('P' + smallest party id of the person). */
export function resolvePeople(parties: Iterable<LinkageParty>): Map<number, PersonKey> {
  const resolver = new PersonResolver()
  const list = [...parties]
  resolver.add(list)
  const result = new Map<number, PersonKey>()
  for (const party of list) result.set(party.partyId, resolver.personKeyOf(party.partyId)!)
  return result
}
