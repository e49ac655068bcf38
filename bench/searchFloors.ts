// In-memory floors for the person and full-text searches: the same question answered by plain sorted arrays and maps
// in this process, loaded from the imported database (not timed). Person floors give exactly the repository's answer
// (the benchmark checks first pages and counts agree); the full-text floor matches whole lower-case words without
// stemming, so it answers a slightly narrower question and is not compared row for row.
import { sql, type Kysely } from 'kysely'
import type { Database } from '../src/compositionRoot.ts'

interface Person {
  id: number
  surname: string
  forename: string
  dob: string | null
}

const bySurname = (a: Person, b: Person) =>
  a.surname < b.surname
    ? -1
    : a.surname > b.surname
      ? 1
      : a.forename < b.forename
        ? -1
        : a.forename > b.forename
          ? 1
          : a.id - b.id
const byForename = (a: Person, b: Person) =>
  a.forename < b.forename
    ? -1
    : a.forename > b.forename
      ? 1
      : a.surname < b.surname
        ? -1
        : a.surname > b.surname
          ? 1
          : a.id - b.id

function lowerBound<T>(items: T[], key: (item: T) => string, target: string): number {
  let low = 0
  let high = items.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (key(items[middle]) < target) low = middle + 1
    else high = middle
  }
  return low
}

export interface FloorAnswer {
  ids: number[]
  total: number
  totalCapped: boolean
}

export class PeopleFloor {
  private surnames: Person[] = []
  private forenames: Person[] = []
  private readonly byBirth = new Map<string, Person[]>()
  private readonly byIdentifier = new Map<string, Person[]>()

  static async load(db: Kysely<Database>, forceId: number): Promise<PeopleFloor> {
    const floor = new PeopleFloor()
    const rows = await db
      .selectFrom('people')
      .select(['id', 'surname_norm', 'forename_norm', 'date_of_birth'])
      .where('force_id', '=', forceId)
      .execute()
    const byId = new Map<number, Person>()
    for (const row of rows) {
      const person = { id: row.id, surname: row.surname_norm, forename: row.forename_norm, dob: row.date_of_birth }
      byId.set(person.id, person)
      if (person.dob) floor.byBirth.set(person.dob, [...(floor.byBirth.get(person.dob) ?? []), person])
    }
    floor.surnames = [...byId.values()].sort(bySurname)
    floor.forenames = [...byId.values()].sort(byForename)
    const identifiers = await db
      .selectFrom('person_identifiers')
      .select(['person_id', 'value_norm'])
      .where('force_id', '=', forceId)
      .execute()
    for (const { person_id, value_norm } of identifiers) {
      const person = byId.get(person_id)
      if (!person) continue
      const list = floor.byIdentifier.get(value_norm) ?? []
      if (!list.includes(person)) list.push(person)
      floor.byIdentifier.set(value_norm, list)
    }
    return floor
  }

  /** One word: surnames then forenames starting with it, by the name matched (as CrimeRepository.searchPeople). */
  prefix(token: string, limit: number, countLimit: number): FloorAnswer {
    const upper = `${token}\uffff`
    const s0 = lowerBound(this.surnames, (p) => p.surname, token)
    const s1 = lowerBound(this.surnames, (p) => p.surname, upper)
    const f0 = lowerBound(this.forenames, (p) => p.forename, token)
    const f1 = lowerBound(this.forenames, (p) => p.forename, upper)
    const surnameMatch = (p: Person) => p.surname >= token && p.surname < upper
    const page: { name: string; person: Person }[] = []
    for (let i = s0; i < s1 && i < s0 + limit; i++)
      page.push({ name: this.surnames[i].surname, person: this.surnames[i] })
    let forenameCount = 0
    for (let i = f0; i < f1 && forenameCount <= countLimit; i++) {
      const person = this.forenames[i]
      if (surnameMatch(person)) continue
      if (forenameCount < limit) page.push({ name: person.forename, person })
      forenameCount++
    }
    page.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : bySurname(a.person, b.person)))
    const total = s1 - s0 + forenameCount
    return {
      ids: page.slice(0, limit).map((entry) => entry.person.id),
      total: Math.min(total, countLimit),
      totalCapped: total > countLimit,
    }
  }

  /** Forename and surname (each a prefix) with a date of birth. */
  nameAndBirth(forename: string, surname: string, dob: string, limit: number): FloorAnswer {
    const matches = (this.byBirth.get(dob) ?? [])
      .filter((p) => p.surname.startsWith(surname) && p.forename.startsWith(forename))
      .sort(bySurname)
    return { ids: matches.slice(0, limit).map((p) => p.id), total: matches.length, totalCapped: false }
  }

  identifier(valueNorm: string, limit: number): FloorAnswer {
    const matches = [...(this.byIdentifier.get(valueNorm) ?? [])].sort(bySurname)
    return { ids: matches.slice(0, limit).map((p) => p.id), total: matches.length, totalCapped: false }
  }
}

/** Postings (reported_at, id) of whole lower-case words, only for the words the benchmark asks about. */
export class TextFloor {
  private readonly postings = new Map<string, { dates: string[]; ids: number[]; set: Set<number> }>()

  static async load(db: Kysely<Database>, forceId: number, queries: string[]): Promise<TextFloor> {
    const floor = new TextFloor()
    const wanted = new Set(queries.flatMap((query) => TextFloor.words(query)))
    const gathered = new Map<string, { date: string; id: number }[]>()
    for (const word of wanted) gathered.set(word, [])
    let after = 0
    for (;;) {
      const rows = await sql<{ id: number; reported_at: string; narrative: string }>`select id, reported_at, narrative
        from crimes where force_id = ${forceId} and id > ${after} order by id limit 50000`.execute(db)
      if (rows.rows.length === 0) break
      for (const row of rows.rows) {
        for (const word of new Set(TextFloor.words(row.narrative))) {
          gathered.get(word)?.push({ date: row.reported_at, id: Number(row.id) })
        }
      }
      after = Number(rows.rows[rows.rows.length - 1].id)
    }
    for (const [word, list] of gathered) {
      list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id))
      const ids = list.map((entry) => entry.id)
      floor.postings.set(word, { dates: list.map((entry) => entry.date), ids, set: new Set(ids) })
    }
    return floor
  }

  private static words(text: string): string[] {
    return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) as string[]
  }

  /** Every word, in [from, before), newest first: first page and capped count. */
  query(text: string, from: string, before: string, limit: number, countLimit: number): FloorAnswer {
    const [driver, ...others] = TextFloor.words(text).map((word) => this.postings.get(word))
    if (!driver) return { ids: [], total: 0, totalCapped: false }
    const otherSets = others.map((entry) => entry?.set ?? new Set<number>())
    const low = lowerBound(driver.dates, (date) => date, from)
    const high = lowerBound(driver.dates, (date) => date, before)
    const ids: number[] = []
    let total = 0
    for (let position = high - 1; position >= low && total <= countLimit; position--) {
      const id = driver.ids[position]
      if (!otherSets.every((set) => set.has(id))) continue
      if (ids.length < limit) ids.push(id)
      total++
    }
    return { ids, total: Math.min(total, countLimit), totalCapped: total > countLimit }
  }
}
