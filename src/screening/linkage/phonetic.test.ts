import { describe, expect, it } from 'vitest'
import { phoneticKey, respell } from './phonetic.ts'

describe('phoneticKey', () => {
  it('codes spelling variants of the same sound alike', () => {
    expect(phoneticKey('Smith')).toBe(phoneticKey('Smyth'))
    expect(phoneticKey('Catherine')).toBe(phoneticKey('Katherine'))
    expect(phoneticKey('Philips')).toBe(phoneticKey('Filips'))
    expect(phoneticKey('Knight')).toBe(phoneticKey('Night'))
    expect(phoneticKey('MacDonald')).toBe(phoneticKey('McDonald'))
    expect(phoneticKey('Wright')).toBe(phoneticKey('Right'))
    expect(phoneticKey('Stephen')).toBe(phoneticKey('Steven'))
    expect(phoneticKey('Zoe')).toBe(phoneticKey('Soe'))
  })

  it('keeps different names apart', () => {
    expect(phoneticKey('Smith')).not.toBe(phoneticKey('Jones'))
    expect(phoneticKey('Taylor')).not.toBe(phoneticKey('Turner'))
    expect(phoneticKey('Brown')).not.toBe(phoneticKey('Green'))
  })

  it('follows Soundex for plain names: first letter then up to four digits, no padding', () => {
    expect(phoneticKey('Robert')).toBe('R163')
    expect(phoneticKey('Rupert')).toBe('R163')
    expect(phoneticKey('Ashcraft')).toBe('A2613') // h does not separate s and c
    expect(phoneticKey('Lee')).toBe('L')
    expect(phoneticKey('Tymczak')).toBe('T522')
  })

  it('folds accents, case and punctuation first, and gives an empty key for no letters', () => {
    expect(phoneticKey("O'Brien")).toBe(phoneticKey('obrien'))
    expect(phoneticKey('Zoë')).toBe(phoneticKey('ZOE'))
    expect(phoneticKey('  ')).toBe('')
    expect(phoneticKey('123')).toBe('')
  })

  it('respells only at the start where the rule is positional', () => {
    expect(respell('knox')).toBe('nox')
    expect(respell('dickens')).toBe('dikens')
    expect(respell('xavier')).toBe('savier')
    expect(respell('alex')).toBe('alex')
  })
})
