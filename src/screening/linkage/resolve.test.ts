import { describe, expect, it } from 'vitest'
import {
  blockingKeys,
  nearDates,
  partyFeatures,
  PersonResolver,
  resolvePeople,
  SAME_PERSON_THRESHOLD,
  scoreFeatures,
  scorePair,
} from './resolve.ts'
import type { LinkageParty } from './types.ts'

let nextId = 1
function party(overrides: Partial<LinkageParty> = {}): LinkageParty {
  return {
    partyId: nextId++,
    role: 'suspect',
    forename: null,
    surname: null,
    dateOfBirth: null,
    identifiers: [],
    ...overrides,
  }
}

describe('scorePair', () => {
  it('scores name and date of birth as strong, with reasons', () => {
    const { score, reasons } = scorePair(
      party({ forename: 'David', surname: 'Smith', dateOfBirth: '1990-04-12' }),
      party({ forename: 'David', surname: 'Smith', dateOfBirth: '1990-04-12' }),
    )
    expect(score).toBeGreaterThanOrEqual(SAME_PERSON_THRESHOLD)
    expect(reasons).toEqual(['same date of birth 1990-04-12', 'same surname Smith', 'same forename David'])
  })

  it('explains nicknames and near spellings', () => {
    const { score, reasons } = scorePair(
      party({ forename: 'Dave', surname: 'Smyth', dateOfBirth: '1990-04-12' }),
      party({ forename: 'David', surname: 'Smith', dateOfBirth: '1990-04-12' }),
    )
    expect(reasons).toContain('forename Dave is a nickname of David')
    expect(reasons).toContain('surname Smyth ~ Smith (edit distance 1)')
    expect(score).toBeGreaterThanOrEqual(SAME_PERSON_THRESHOLD)
  })

  it('explains two nicknames of one name', () => {
    const { reasons } = scorePair(party({ forename: 'Dave' }), party({ forename: 'Davy' }))
    expect(reasons).toEqual(['forenames Dave and Davy are both forms of David'])
  })

  it('treats a shared phone as strong on its own, in any written form', () => {
    const { score, reasons } = scorePair(
      party({ identifiers: [{ kind: 'phone', value: '+44 7700 900123' }] }),
      party({ identifiers: [{ kind: 'phone', value: '07700900123' }] }),
    )
    expect(reasons).toEqual(['same phone 07700 900123'])
    expect(score).toBeGreaterThanOrEqual(SAME_PERSON_THRESHOLD)
  })

  it('treats name alone as weak', () => {
    const { score } = scorePair(
      party({ forename: 'David', surname: 'Smith' }),
      party({ forename: 'David', surname: 'Smith' }),
    )
    expect(score).toBeGreaterThan(0)
    expect(score).toBeLessThan(SAME_PERSON_THRESHOLD)
  })

  it('does not merge household members who share a phone but not a forename', () => {
    const { score, reasons } = scorePair(
      party({ forename: 'Sarah', surname: 'Khan', identifiers: [{ kind: 'phone', value: '01632 960001' }] }),
      party({ forename: 'Aisha', surname: 'Khan', identifiers: [{ kind: 'phone', value: '01632 960001' }] }),
    )
    expect(reasons).toContain('different forenames Sarah and Aisha')
    expect(score).toBeLessThan(SAME_PERSON_THRESHOLD)
  })

  it('lets a conflicting date of birth outweigh a shared email', () => {
    const { score, reasons } = scorePair(
      party({ dateOfBirth: '1980-01-01', identifiers: [{ kind: 'email', value: 'a@example.org' }] }),
      party({ dateOfBirth: '1995-07-30', identifiers: [{ kind: 'email', value: 'A@example.org' }] }),
    )
    expect(reasons).toEqual(['same email a@example.org', 'different dates of birth 1980-01-01 and 1995-07-30'])
    expect(score).toBeLessThan(SAME_PERSON_THRESHOLD)
  })

  it('credits a day/month swap with exact names', () => {
    const { score, reasons } = scorePair(
      party({ forename: 'Emma', surname: 'Hall', dateOfBirth: '1990-04-12' }),
      party({ forename: 'Emma', surname: 'Hall', dateOfBirth: '1990-12-04' }),
    )
    expect(reasons[0]).toBe('dates of birth 1990-04-12 and 1990-12-04 differ by a day/month swap')
    expect(score).toBeGreaterThanOrEqual(SAME_PERSON_THRESHOLD)
  })

  it('scores a vehicle alone below the threshold and apostrophes, hyphens and initials sensibly', () => {
    expect(
      scorePair(
        party({ identifiers: [{ kind: 'vehicle', value: 'AB12 CDE' }] }),
        party({ identifiers: [{ kind: 'vehicle', value: 'ab12cde' }] }),
      ).score,
    ).toBeLessThan(SAME_PERSON_THRESHOLD)
    expect(scorePair(party({ surname: "O'Brien" }), party({ surname: 'OBRIEN' })).reasons).toEqual([
      "same surname O'Brien",
    ])
    expect(scorePair(party({ surname: 'Smith-Jones' }), party({ surname: 'Jones' })).reasons).toEqual([
      'surnames Smith-Jones and Jones share Jones',
    ])
    expect(scorePair(party({ forename: 'J' }), party({ forename: 'John' })).reasons).toEqual([
      'forename initial J fits John',
    ])
  })

  it('keeps the score within 0..1', () => {
    const everything = {
      forename: 'Tom',
      surname: 'Hill',
      dateOfBirth: '1970-01-01',
      identifiers: [
        { kind: 'phone', value: '07700900999' },
        { kind: 'email', value: 't@example.org' },
      ],
    }
    expect(scorePair(party(everything), party(everything)).score).toBe(1)
    expect(
      scorePair(
        party({ forename: 'Tom', surname: 'Hill', dateOfBirth: '1970-01-01' }),
        party({ forename: 'Grace', surname: 'Patel', dateOfBirth: '1999-09-09' }),
      ).score,
    ).toBe(0)
  })
})

describe('nearDates', () => {
  it('recognises swaps and single-digit slips only', () => {
    expect(nearDates('1990-04-12', '1990-12-04')).toBe('swap')
    expect(nearDates('1990-04-12', '1991-04-12')).toBe('digit')
    expect(nearDates('1990-04-12', '1990-05-13')).toBeNull()
  })
})

describe('blockingKeys', () => {
  it('blocks on identifiers, and on date of birth with surname sound or forename initial', () => {
    const keys = blockingKeys(
      partyFeatures(
        party({
          forename: 'Kate',
          surname: 'Smith',
          dateOfBirth: '1990-04-12',
          identifiers: [{ kind: 'phone', value: '07700 900123' }],
        }),
      ),
    )
    expect(keys).toEqual([
      'iphone:07700900123',
      'ds1990-04-12|S53',
      'df1990-04-12|K3',
      'df1990-04-12|K365',
      'nysmith|kate|04-12',
      'ndsmith|kate|1990-04',
      'nssmith|kate|1990|0412',
    ])
  })

  it('does not block on a name without a date of birth, or a date of birth without both names', () => {
    expect(blockingKeys(partyFeatures(party({ forename: 'Kate', surname: 'Smith' })))).toEqual([])
    expect(blockingKeys(partyFeatures(party({ surname: 'Smith', dateOfBirth: '1990-04-12' })))).toEqual([])
  })

  it('gives every pair at or above the threshold a shared key', () => {
    const variants: Partial<LinkageParty>[] = [
      { forename: 'Emma', surname: 'Hall', dateOfBirth: '1990-04-12' },
      { forename: 'Emma', surname: 'Hall', dateOfBirth: '1990-12-04' },
      { forename: 'Emma', surname: 'Hall', dateOfBirth: '1991-04-12' },
      { forename: 'Emma', surname: 'Hall', dateOfBirth: '1990-04-13' },
      { forename: 'Emma', surname: 'Hal', dateOfBirth: '1990-04-12' },
      { forename: 'Em', surname: 'Hall', dateOfBirth: '1990-04-12' },
      { forename: 'E', surname: 'Hall', dateOfBirth: '1990-04-12' },
      { forename: 'Emma', surname: 'Hall-Green', dateOfBirth: '1990-04-12' },
      { forename: 'Kate', surname: 'Thompson', dateOfBirth: '1985-06-01' },
      { forename: 'Catherine', surname: 'Thomson', dateOfBirth: '1985-06-01' },
      { forename: 'Kathryn', surname: 'Thompson', dateOfBirth: '1985-06-01' },
      { identifiers: [{ kind: 'phone', value: '07700 900123' }] },
      { forename: 'Kate', identifiers: [{ kind: 'phone', value: '+44 7700 900123' }] },
      { identifiers: [{ kind: 'social', value: '@emma_h' }] },
    ]
    const features = variants.map((v) => partyFeatures(party(v)))
    let linked = 0
    for (let i = 0; i < features.length; i++) {
      for (let j = i + 1; j < features.length; j++) {
        const a = new Set(blockingKeys(features[i]))
        const shared = blockingKeys(features[j]).some((key) => a.has(key))
        if (scoreFeatures(features[i], features[j]) >= SAME_PERSON_THRESHOLD) {
          linked++
          expect(shared, `${JSON.stringify(variants[i])} / ${JSON.stringify(variants[j])}`).toBe(true)
        }
      }
    }
    expect(linked).toBeGreaterThanOrEqual(12)
  })
})

describe('resolvePeople', () => {
  it('clusters parties transitively and keys each person by the smallest party id', () => {
    const a = party({ partyId: 101, forename: 'Dave', surname: 'Smith', dateOfBirth: '1990-04-12' })
    const b = party({
      partyId: 102,
      forename: 'David',
      surname: 'Smith',
      dateOfBirth: '1990-04-12',
      identifiers: [{ kind: 'phone', value: '07700 900123' }],
    })
    const c = party({ partyId: 103, identifiers: [{ kind: 'phone', value: '+447700900123' }] })
    const d = party({ partyId: 104, forename: 'David', surname: 'Smith', dateOfBirth: '1985-01-01' })
    const e = party({ partyId: 105 })
    const people = resolvePeople([c, a, e, d, b])
    expect(people.get(101)).toBe('P101')
    expect(people.get(102)).toBe('P101')
    expect(people.get(103)).toBe('P101')
    expect(people.get(104)).toBe('P104')
    expect(people.get(105)).toBe('P105')
  })

  it('does not merge people on name alone', () => {
    const people = resolvePeople([
      party({ partyId: 201, forename: 'John', surname: 'Smith' }),
      party({ partyId: 202, forename: 'John', surname: 'Smith' }),
    ])
    expect(people.get(201)).not.toBe(people.get(202))
  })

  it('rejects a party id given twice', () => {
    const resolver = new PersonResolver()
    resolver.add([party({ partyId: 301 })])
    expect(() => resolver.add([party({ partyId: 301 })])).toThrow('party 301 has already been added')
  })

  it('stops linking through a saturated block, whatever the order of adding', () => {
    const shared = [{ kind: 'phone', value: '01632 960000' }]
    const parties = Array.from({ length: 6 }, (_, i) => party({ partyId: 400 + i, identifiers: shared }))
    const small = new PersonResolver({ maxBlockSize: 5 })
    small.add(parties.slice(0, 3))
    expect(small.personKeyOf(402)).toBe('P400')
    const changed = small.add(parties.slice(3))
    expect([...changed].sort()).toEqual([401, 402, 403, 404, 405])
    for (let i = 0; i < 6; i++) expect(small.personKeyOf(400 + i)).toBe(`P${400 + i}`)

    const big = new PersonResolver({ maxBlockSize: 6 })
    big.add(parties)
    for (let i = 0; i < 6; i++) expect(big.personKeyOf(400 + i)).toBe('P400')
  })

  it('keeps an edge supported by another block when one block saturates', () => {
    const resolver = new PersonResolver({ maxBlockSize: 2 })
    const common = { kind: 'email', value: 'info@example.org' }
    resolver.add([
      party({ partyId: 501, identifiers: [common, { kind: 'phone', value: '07700 900501' }] }),
      party({ partyId: 502, identifiers: [common, { kind: 'phone', value: '07700 900501' }] }),
      party({ partyId: 503, identifiers: [common] }),
    ])
    expect(resolver.personKeyOf(502)).toBe('P501')
    expect(resolver.personKeyOf(503)).toBe('P503')
  })
})
