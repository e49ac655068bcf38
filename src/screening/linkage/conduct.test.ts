import { describe, expect, it } from 'vitest'
import { DEFAULT_CONDUCT_OPTIONS, findCoursesOfConduct, LinkageIndex } from './conduct.ts'
import type { LinkageParty, LinkageRecord } from './types.ts'

const VICTIM = { forename: 'Emma', surname: 'Hall', dateOfBirth: '1992-03-14', identifiers: [] }
const SUSPECT = {
  forename: 'Robert',
  surname: 'Green',
  dateOfBirth: '1988-11-02',
  identifiers: [{ kind: 'phone', value: '07700 900777' }],
}

let nextParty = 1
function record(
  id: number,
  reportedAt: string,
  options: {
    principal?: string | null
    included?: string[]
    kind?: 'crime' | 'intelligence'
    suspect?: Partial<LinkageParty> | null
    victim?: Partial<LinkageParty> | null
  } = {},
): LinkageRecord {
  const parties: LinkageParty[] = []
  const suspect = options.suspect === undefined ? SUSPECT : options.suspect
  const victim = options.victim === undefined ? VICTIM : options.victim
  const blank = { forename: null, surname: null, dateOfBirth: null, identifiers: [] }
  if (victim) parties.push({ ...blank, ...victim, partyId: nextParty++, role: 'victim' })
  if (suspect) parties.push({ ...blank, ...suspect, partyId: nextParty++, role: 'suspect' })
  return {
    id,
    kind: options.kind ?? 'crime',
    reportedAt,
    principal: options.principal === undefined ? '8L' : options.principal,
    included: options.included ?? [],
    domesticAbuse: false,
    parties,
  }
}

describe('findCoursesOfConduct', () => {
  it('links incidents between the same resolved suspect and victim, in time order, across classifications', () => {
    const records = [
      record(3, '2025-03-01T10:00:00Z', {
        principal: '5D',
        suspect: { identifiers: [{ kind: 'phone', value: '+447700900777' }] },
      }),
      record(1, '2025-01-10T09:00:00Z', { principal: '8L' }),
      record(2, '2025-02-01T09:00:00Z', {
        principal: '195',
        included: ['8Q'],
        suspect: { ...SUSPECT, forename: 'Bob' },
      }),
      record(4, '2025-02-15', {
        principal: null,
        kind: 'intelligence',
        suspect: { forename: 'Someone', surname: 'Else', dateOfBirth: '1970-01-01' },
      }),
    ]
    const courses = findCoursesOfConduct(records, DEFAULT_CONDUCT_OPTIONS)
    expect(courses).toHaveLength(1)
    const [course] = courses
    expect(course.recordIds).toEqual([1, 2, 3])
    expect(course.principals).toEqual(['8L', '195', '5D'])
    expect(course.classifications).toEqual(['195', '5D', '8L', '8Q'])
    expect(course.firstReportedAt).toBe('2025-01-10T09:00:00Z')
    expect(course.reasons[0]).toBe(
      '3 incidents between the same suspect and victim from 2025-01-10 to 2025-03-01, each within 365 days of the one before (longest gap 28 days)',
    )
    expect(course.reasons).toContain(
      'recorded under 3 principal classifications: 8L (record 1); 195 (record 2); 5D (record 3)',
    )
    expect(course.reasons).toContain('included classifications: 8Q (record 2)')
    expect(course.reasons.find((r) => r.startsWith('suspect in records 1 and 2'))).toContain(
      'forename Bob is a nickname of Robert',
    )
    expect(course.reasons.find((r) => r.startsWith('suspect in records 2 and 3'))).toBe(
      'suspect in records 2 and 3: same phone 07700 900777 (score 0.70)',
    )
    expect(course.reasons.find((r) => r.startsWith('victim in records 1 and 2'))).toContain(
      'same date of birth 1992-03-14',
    )
    expect(course.id).toBe(`${course.suspect}>${course.victim}@1`)
  })

  it('links consecutive incidents exactly windowDays apart and splits one day beyond', () => {
    const records = [
      record(1, '2025-01-01'),
      record(2, '2025-01-31'), // 30 days after 1
      record(3, '2025-03-03'), // 31 days after 2
      record(4, '2025-04-02'), // 30 days after 3
    ]
    const courses = findCoursesOfConduct(records, { windowDays: 30, minIncidents: 2 })
    expect(courses.map((c) => c.recordIds)).toEqual([
      [1, 2],
      [3, 4],
    ])
  })

  it('chains incidents: each within the window of the previous, not of the first', () => {
    const records = [record(1, '2025-01-01'), record(2, '2025-01-25'), record(3, '2025-02-18'), record(4, '2025-03-14')]
    const courses = findCoursesOfConduct(records, { windowDays: 30, minIncidents: 2 })
    expect(courses.map((c) => c.recordIds)).toEqual([[1, 2, 3, 4]])
    expect(courses[0].longestGapDays).toBe(24)
  })

  it('needs minIncidents incidents', () => {
    const records = [
      record(1, '2025-01-01'),
      record(2, '2025-01-05'),
      record(3, '2025-06-01'),
      record(4, '2025-06-02'),
      record(5, '2025-06-03'),
    ]
    expect(findCoursesOfConduct(records, { windowDays: 30, minIncidents: 3 }).map((c) => c.recordIds)).toEqual([
      [3, 4, 5],
    ])
    expect(findCoursesOfConduct(records, { windowDays: 30, minIncidents: 2 })).toHaveLength(2)
    expect(findCoursesOfConduct(records.slice(0, 1), { windowDays: 30, minIncidents: 2 })).toEqual([])
  })

  it('does not link a different victim, an unknown suspect or a name-only match', () => {
    const records = [
      record(1, '2025-01-01'),
      record(2, '2025-01-02', { victim: { forename: 'Priya', surname: 'Patel', dateOfBirth: '1990-01-01' } }),
      record(3, '2025-01-03', { suspect: null }),
      record(4, '2025-01-04', { suspect: { forename: 'Robert', surname: 'Green' } }),
    ]
    expect(findCoursesOfConduct(records, DEFAULT_CONDUCT_OPTIONS)).toEqual([])
  })

  it('rejects bad options and bad records with clear messages', () => {
    expect(() => findCoursesOfConduct([], { windowDays: -1, minIncidents: 2 })).toThrow('windowDays must be')
    expect(() => findCoursesOfConduct([], { windowDays: 30, minIncidents: 1 })).toThrow('minIncidents must be')
    expect(() => findCoursesOfConduct([record(9, 'yesterday')], DEFAULT_CONDUCT_OPTIONS)).toThrow(
      'record 9: reportedAt "yesterday" is not an ISO date',
    )
    const r = record(10, '2025-01-01')
    expect(() => findCoursesOfConduct([r, r], DEFAULT_CONDUCT_OPTIONS)).toThrow('record 10 has already been added')
  })
})

describe('LinkageIndex', () => {
  it('reports new, changed and removed courses as batches arrive', () => {
    const index = new LinkageIndex({ windowDays: 60, minIncidents: 2 })
    expect(index.add([record(1, '2025-01-01')]).changedCourses).toEqual([])

    const second = index.add([record(2, '2025-02-01')])
    expect(second.changedCourses.map((c) => c.recordIds)).toEqual([[1, 2]])
    const firstId = second.changedCourses[0].id

    const third = index.add([
      record(3, '2025-02-20'),
      record(50, '2024-01-01', { victim: { forename: 'Grace', surname: 'Wood', dateOfBirth: '2000-02-02' } }),
    ])
    expect(third.changedCourses.map((c) => [c.id, c.recordIds])).toEqual([[firstId, [1, 2, 3]]])
    expect(third.removedCourseIds).toEqual([])

    // An earlier incident joins the front of the course: the course's id changes, the old one is removed.
    const fourth = index.add([record(0, '2024-12-15')])
    expect(fourth.changedCourses.map((c) => c.recordIds)).toEqual([[0, 1, 2, 3]])
    expect(fourth.removedCourseIds).toEqual([firstId])
    expect(index.courses()).toEqual(fourth.changedCourses)
  })

  it('links earlier records when a later party bridges two identities', () => {
    const index = new LinkageIndex()
    // Suspect known only by phone in one record and only by name and DOB in another.
    index.add([
      record(1, '2025-01-01', { suspect: { identifiers: [{ kind: 'phone', value: '07700 900888' }] } }),
      record(2, '2025-02-01', { suspect: { forename: 'Tom', surname: 'Hill', dateOfBirth: '1980-05-05' } }),
    ])
    expect(index.courses()).toEqual([])
    const { changedCourses } = index.add([
      record(3, '2025-03-01', {
        suspect: {
          forename: 'Thomas',
          surname: 'Hill',
          dateOfBirth: '1980-05-05',
          identifiers: [{ kind: 'phone', value: '07700900888' }],
        },
      }),
    ])
    expect(changedCourses.map((c) => c.recordIds)).toEqual([[1, 2, 3]])
    const suspectKeys = changedCourses[0].incidents.map((i) => index.personKeyOf(i.suspectPartyIds[0]))
    expect(new Set(suspectKeys).size).toBe(1)
  })
})
