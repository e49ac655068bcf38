// Evaluation of course-of-conduct linkage against the crime generator's ground truth.
//
// Measure: pairwise precision and recall over "these two records belong to the same course of conduct". A true pair
// is two records with the same truth.courseOfConductId; a found pair is two records in one found course (a record in
// several found courses counts each pair once). Person resolution is scored the same way over parties
// (truth.partyPersonIds) and reported in the detail.

import type { GeneratedRecord, GenerateOptions } from '../../crime/index.ts'
import { DEFAULT_CONDUCT_OPTIONS, LinkageIndex, type ConductOptions, type CourseOfConduct } from './conduct.ts'
import type { LinkageParty, LinkageRecord } from './types.ts'

export interface EvaluationResult {
  precision: number
  recall: number
  detail: string
}

export interface PairwiseScore {
  truePairs: number
  foundPairs: number
  correctPairs: number
  precision: number
  recall: number
}

/** Maps generated records onto linkage records: record id = position + 1, party ids numbered from 1 in order. */
export function toLinkageRecords(generated: readonly GeneratedRecord[]): {
  records: LinkageRecord[]
  courseOf: (string | null)[]
  personOf: Map<number, string>
} {
  const records: LinkageRecord[] = []
  const courseOf: (string | null)[] = []
  const personOf = new Map<number, string>()
  let partyId = 1
  generated.forEach(({ record, truth }, index) => {
    const parties: LinkageParty[] = record.parties.map((party, i) => {
      const id = partyId++
      const person = truth.partyPersonIds[i]
      if (person) personOf.set(id, person)
      return {
        partyId: id,
        role: party.role,
        forename: party.forename,
        surname: party.surname,
        dateOfBirth: party.dateOfBirth,
        identifiers: party.identifiers.map((identifier) => ({ kind: identifier.kind, value: identifier.value })),
      }
    })
    records.push({
      id: index + 1,
      kind: record.kind,
      reportedAt: record.reportedAt,
      principal: record.principal,
      included: record.included.map((classification) => classification.code),
      domesticAbuse: record.flags.domesticAbuse,
      parties,
    })
    courseOf.push(truth.courseOfConductId)
  })
  return { records, courseOf, personOf }
}

type GenerateDataset = (options: GenerateOptions) => unknown

/** Loads src/crime/generator/generate.ts at run time (written separately) and maps its output. */
export async function loadGeneratedRecords(options: { crimes: number; seed: number }) {
  const specifier = '../../crime/generator/generate.ts'
  let generateDataset: GenerateDataset | undefined
  try {
    const module = (await import(specifier)) as { generateDataset?: GenerateDataset }
    generateDataset = module.generateDataset
  } catch (error) {
    throw new Error(`cannot load the crime generator (src/crime/generator/generate.ts): ${(error as Error).message}`, {
      cause: error,
    })
  }
  if (typeof generateDataset !== 'function') {
    throw new Error('src/crime/generator/generate.ts does not export generateDataset({ crimes, seed })')
  }
  const output = (await generateDataset({ crimes: options.crimes, seed: options.seed })) as
    GeneratedRecord[] | { records: GeneratedRecord[] }
  const generated = Array.isArray(output) ? output : output?.records
  if (!Array.isArray(generated)) {
    throw new Error('generateDataset returned neither an array of generated records nor { records: [...] }')
  }
  return toLinkageRecords(generated)
}

/** Pairwise precision/recall of found courses against the true course id of each record (by record id). */
export function scoreCourses(
  courses: readonly CourseOfConduct[],
  truthCourseOf: ReadonlyMap<number, string | null>,
): PairwiseScore {
  const sizes = new Map<string, number>()
  for (const course of truthCourseOf.values()) if (course !== null) sizes.set(course, (sizes.get(course) ?? 0) + 1)
  let truePairs = 0
  for (const n of sizes.values()) truePairs += (n * (n - 1)) / 2
  const found = new Set<string>()
  let correctPairs = 0
  for (const course of courses) {
    const ids = [...course.recordIds].sort((a, b) => a - b)
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const key = `${ids[i]},${ids[j]}`
        if (found.has(key)) continue
        found.add(key)
        const truth = truthCourseOf.get(ids[i])
        if (truth != null && truth === truthCourseOf.get(ids[j])) correctPairs++
      }
    }
  }
  return ratios(truePairs, found.size, correctPairs)
}

/** Pairwise precision/recall of found person keys against true person ids (parties without a true id are skipped). */
export function scorePeople(found: ReadonlyMap<number, string>, truth: ReadonlyMap<number, string>): PairwiseScore {
  const truthSizes = new Map<string, number>()
  const foundSizes = new Map<string, number>()
  const bothSizes = new Map<string, number>()
  for (const [partyId, person] of truth) {
    const key = found.get(partyId)
    if (key === undefined) continue
    truthSizes.set(person, (truthSizes.get(person) ?? 0) + 1)
    foundSizes.set(key, (foundSizes.get(key) ?? 0) + 1)
    const both = `${key}\u0000${person}`
    bothSizes.set(both, (bothSizes.get(both) ?? 0) + 1)
  }
  const pairs = (sizes: Map<string, number>) => [...sizes.values()].reduce((sum, n) => sum + (n * (n - 1)) / 2, 0)
  return ratios(pairs(truthSizes), pairs(foundSizes), pairs(bothSizes))
}

function ratios(truePairs: number, foundPairs: number, correctPairs: number): PairwiseScore {
  return {
    truePairs,
    foundPairs,
    correctPairs,
    precision: foundPairs === 0 ? 1 : correctPairs / foundPairs,
    recall: truePairs === 0 ? 1 : correctPairs / truePairs,
  }
}

/** Runs linkage on prepared records and scores it; shared by evaluateLinkage and the tests. */
export function evaluateRecords(
  records: readonly LinkageRecord[],
  courseOf: readonly (string | null)[],
  personOf: ReadonlyMap<number, string>,
  options: ConductOptions = DEFAULT_CONDUCT_OPTIONS,
): EvaluationResult & { courses: PairwiseScore; people: PairwiseScore; seconds: number } {
  const started = performance.now()
  const index = new LinkageIndex(options)
  index.add(records)
  const found = index.courses()
  const seconds = (performance.now() - started) / 1000
  const truthCourseOf = new Map(records.map((record, i) => [record.id, courseOf[i]]))
  const courses = scoreCourses(found, truthCourseOf)
  const keys = new Map<number, string>()
  for (const partyId of personOf.keys()) {
    const key = index.personKeyOf(partyId)
    if (key !== undefined) keys.set(partyId, key)
  }
  const people = scorePeople(keys, personOf)
  const truthCourses = new Set(courseOf.filter((c) => c !== null)).size
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`
  const detail = [
    `${records.length} records, ${truthCourses} true courses of conduct, ${found.length} found ` +
      `(window ${options.windowDays} days, at least ${options.minIncidents} incidents); linkage took ${seconds.toFixed(1)} s`,
    `course pairs: precision ${pct(courses.precision)} (${courses.correctPairs} of ${courses.foundPairs} found pairs), ` +
      `recall ${pct(courses.recall)} (of ${courses.truePairs} true pairs)`,
    `person pairs: precision ${pct(people.precision)} (${people.correctPairs} of ${people.foundPairs}), ` +
      `recall ${pct(people.recall)} (of ${people.truePairs})`,
  ].join('\n')
  return { precision: courses.precision, recall: courses.recall, detail, courses, people, seconds }
}

/** Generates a dataset with the crime generator and scores the courses of conduct found against its ground truth. */
export async function evaluateLinkage(options: { crimes?: number; seed?: number } = {}): Promise<EvaluationResult> {
  const crimes = options.crimes ?? 20_000
  const seed = options.seed ?? 42
  const { records, courseOf, personOf } = await loadGeneratedRecords({ crimes, seed })
  const { precision, recall, detail } = evaluateRecords(records, courseOf, personOf)
  return { precision, recall, detail: `generator seed ${seed}\n${detail}` }
}
