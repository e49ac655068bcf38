import { describe, expect, it } from 'vitest'
import { canonicalForenames, forenameInfo, NameCache, nicknameCount, normaliseName, surnameInfo } from './names.ts'

describe('normaliseName', () => {
  it('folds case, accents and punctuation', () => {
    expect(normaliseName('  SEÁN  ')).toBe('sean')
    expect(normaliseName('Zoë')).toBe('zoe')
    expect(normaliseName('Łukasz')).toBe('lukasz')
    expect(normaliseName('Strauß')).toBe('strauss')
    expect(normaliseName('Jo.')).toBe('jo')
  })

  it('drops apostrophes inside names and splits on hyphens and spaces', () => {
    expect(normaliseName("O'Brien")).toBe('obrien')
    expect(normaliseName('O’Brien')).toBe('obrien')
    expect(normaliseName('Smith-Jones')).toBe('smith jones')
    expect(normaliseName('Mary  Jane')).toBe('mary jane')
  })

  it('gives an empty string for missing or letterless names', () => {
    expect(normaliseName(null)).toBe('')
    expect(normaliseName(undefined)).toBe('')
    expect(normaliseName(' - ')).toBe('')
  })
})

describe('nicknames', () => {
  it('has a table of about a hundred or more common UK nicknames', () => {
    expect(nicknameCount()).toBeGreaterThanOrEqual(100)
  })

  it('maps nicknames to canonical forenames, keeping the name itself', () => {
    expect(canonicalForenames('dave')).toEqual(['dave', 'david'])
    expect(canonicalForenames('bob')).toContain('robert')
    expect(canonicalForenames('kate')).toEqual(expect.arrayContaining(['katherine', 'catherine']))
    expect(canonicalForenames('chris')).toEqual(expect.arrayContaining(['christopher', 'christine']))
    expect(canonicalForenames('david')).toEqual(['david'])
  })
})

describe('forenameInfo and surnameInfo', () => {
  it('prepares a forename with canonical forms and phonetic initials', () => {
    const kate = forenameInfo('Kate')!
    expect(kate.first).toBe('kate')
    expect(kate.initials).toEqual(['K'])
    expect(forenameInfo('Catherine')!.initials).toEqual(['K'])
    expect(forenameInfo('J')!.initialOnly).toBe(true)
    expect(forenameInfo('Mary Jane')!.full).toBe('maryjane')
    expect(forenameInfo('  ')).toBeNull()
  })

  it('keeps the parts of a double-barrelled surname', () => {
    const s = surnameInfo('Smith-Jones')!
    expect(s.full).toBe('smithjones')
    expect(s.parts).toEqual(['smith', 'jones'])
    expect(s.partPhonetics).toHaveLength(2)
    expect(surnameInfo("O'Brien")!.full).toBe('obrien')
    expect(surnameInfo('Smith')!.partPhonetics).toEqual([])
  })

  it('shares one info object per raw name through the cache', () => {
    const cache = new NameCache()
    expect(cache.forename('Dave')).toBe(cache.forename('Dave'))
    expect(cache.surname('Smith')).toBe(cache.surname('Smith'))
    expect(cache.surname(null)).toBeNull()
  })
})
