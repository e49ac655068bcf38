// A small seeded generator of linkage records with known truth, for property tests and speed measurement when the
// crime generator is not wanted (it produces whole crime records; this produces only what linkage reads).
// All people are invented from short name lists; no real personal data.

import type { LinkageParty, LinkageRecord } from './types.ts'

export interface SyntheticOptions {
  records: number
  seed: number
  /** Share of records that belong to a course of conduct; default 0.3. */
  courseShare?: number
}

export interface SyntheticDataset {
  records: LinkageRecord[]
  /** Course id of each record (same order), null when it stands alone. */
  courseOf: (string | null)[]
  /** True person id of each party id. */
  personOf: Map<number, number>
}

/** Mulberry32: small, fast, seeded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FORENAMES = [
  ['David', 'Dave', 'Davy'],
  ['Robert', 'Bob', 'Rob'],
  ['Elizabeth', 'Liz', 'Beth'],
  ['Katherine', 'Kate', 'Katie'],
  ['Michael', 'Mike'],
  ['James', 'Jim', 'Jimmy'],
  ['William', 'Bill', 'Will'],
  ['Thomas', 'Tom'],
  ['Sarah'],
  ['Emma'],
  ['Olivia'],
  ['Jennifer', 'Jenny', 'Jen'],
  ['Rebecca', 'Becky'],
  ['Daniel', 'Dan', 'Danny'],
  ['Anthony', 'Tony'],
  ['Aisha'],
  ['Mohammed'],
  ['Priya'],
  ['Grace'],
  ['Connor'],
]
const SURNAMES = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  "O'Brien",
  'Smith-Jones',
  'Davies',
  'Evans',
  'Thomas',
  'Roberts',
  'Walker',
  'Wright',
  'Khan',
  'Patel',
  'Thompson',
  'White',
  'Hughes',
  'Edwards',
  'Green',
  'Hall',
  'Wood',
  'Harris',
  'Clarke',
  'Jackson',
  'Turner',
  'Hill',
  'Moore',
]
const ROLES_CLASSES = ['8L', '8M', '8Q', '5D', '195', '196', '105A', '58A']

interface Person {
  id: number
  forms: string[]
  surname: string
  dob: string
  phone: string
  email: string
}

function typo(word: string, random: () => number): string {
  if (word.length < 4) return word
  const i = 1 + Math.floor(random() * (word.length - 2))
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2)
}

export function syntheticDataset(options: SyntheticOptions): SyntheticDataset {
  const random = seededRandom(options.seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]
  const courseShare = options.courseShare ?? 0.3
  const start = Date.parse('2023-11-01T00:00:00Z')
  const span = 3 * 365 * 86_400_000
  const people: Person[] = []
  const population = Math.max(50, Math.floor(options.records * 1.5))
  const newPerson = (): Person => {
    const id = people.length
    const year = 1950 + Math.floor(random() * 55)
    const month = 1 + Math.floor(random() * 12)
    const dayOfMonth = 1 + Math.floor(random() * 28)
    const person: Person = {
      id,
      forms: pick(FORENAMES),
      surname: pick(SURNAMES),
      dob: `${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`,
      phone: `07700 ${String(100000 + id).padStart(6, '0')}`,
      email: `person${id}@example.org`,
    }
    people.push(person)
    return person
  }
  const personAt = (): Person => (people.length < population ? newPerson() : pick(people))

  const records: LinkageRecord[] = []
  const courseOf: (string | null)[] = []
  const personOf = new Map<number, number>()
  let partyId = 1
  const party = (person: Person | null, role: LinkageParty['role']): LinkageParty => {
    const id = partyId++
    if (person === null) {
      return { partyId: id, role, forename: null, surname: null, dateOfBirth: null, identifiers: [] }
    }
    personOf.set(id, person.id)
    const roll = random()
    // Ways a person is recorded: full, nickname, typo, phone only, name only without DOB.
    if (roll < 0.45) {
      return {
        partyId: id,
        role,
        forename: person.forms[0],
        surname: person.surname,
        dateOfBirth: person.dob,
        identifiers: random() < 0.5 ? [{ kind: 'phone', value: person.phone }] : [],
      }
    }
    if (roll < 0.6) {
      return {
        partyId: id,
        role,
        forename: pick(person.forms).toUpperCase(),
        surname: person.surname,
        dateOfBirth: person.dob,
        identifiers: [],
      }
    }
    if (roll < 0.7) {
      return {
        partyId: id,
        role,
        forename: person.forms[0],
        surname: typo(person.surname, random),
        dateOfBirth: person.dob,
        identifiers: random() < 0.5 ? [{ kind: 'email', value: person.email.toUpperCase() }] : [],
      }
    }
    if (roll < 0.85) {
      return {
        partyId: id,
        role,
        forename: null,
        surname: null,
        dateOfBirth: null,
        identifiers: [{ kind: 'phone', value: person.phone.replace(/^0/, '+44 ') }],
      }
    }
    return {
      partyId: id,
      role,
      forename: pick(person.forms),
      surname: person.surname,
      dateOfBirth: null,
      identifiers: [],
    }
  }

  let courseNumber = 0
  while (records.length < options.records) {
    const inCourse = random() < courseShare
    const suspect = personAt()
    let victim = personAt()
    if (victim.id === suspect.id) victim = newPerson()
    const incidents = inCourse ? 2 + Math.floor(random() * 5) : 1
    const courseId = inCourse ? `C${++courseNumber}` : null
    let time = start + random() * span
    for (let n = 0; n < incidents && records.length < options.records; n++) {
      const parties = [party(victim, 'victim'), party(suspect, 'suspect')]
      if (random() < 0.2) parties.push(party(personAt(), 'witness'))
      const kind = random() < 0.1 ? 'intelligence' : 'crime'
      records.push({
        id: records.length + 1,
        kind,
        reportedAt: new Date(time).toISOString(),
        principal: kind === 'crime' ? pick(ROLES_CLASSES) : null,
        included: random() < 0.3 ? ['8Q'] : [],
        domesticAbuse: random() < 0.4,
        parties,
      })
      courseOf.push(courseId)
      time += (1 + random() * 60) * 86_400_000
    }
  }
  return { records, courseOf, personOf }
}
