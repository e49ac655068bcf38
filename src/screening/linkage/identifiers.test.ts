import { describe, expect, it } from 'vitest'
import {
  displayPhone,
  identifierKey,
  normaliseEmail,
  normaliseIdentifier,
  normalisePhone,
  normaliseSocial,
  normaliseVehicle,
} from './identifiers.ts'

describe('normalisePhone', () => {
  it('brings UK international forms to the national 0 form', () => {
    expect(normalisePhone('07700 900123')).toBe('07700900123')
    expect(normalisePhone('+44 7700 900123')).toBe('07700900123')
    expect(normalisePhone('+44 (0)7700 900123')).toBe('07700900123')
    expect(normalisePhone('0044 7700-900-123')).toBe('07700900123')
    expect(normalisePhone('447700900123')).toBe('07700900123')
    expect(normalisePhone('7700900123')).toBe('07700900123')
    expect(normalisePhone('020 7946 0000')).toBe('02079460000')
  })

  it('keeps foreign numbers with their country code', () => {
    expect(normalisePhone('+353 87 123 4567')).toBe('+353871234567')
  })

  it('rejects numbers that cannot identify anybody', () => {
    expect(normalisePhone('999')).toBeNull()
    expect(normalisePhone('00000000000')).toBeNull()
    expect(normalisePhone('07777777777')).toBeNull()
    expect(normalisePhone('unknown')).toBeNull()
  })

  it('displays mobiles as 5+6 digits', () => {
    expect(displayPhone('07700900123')).toBe('07700 900123')
  })
})

describe('normaliseEmail', () => {
  it('lower-cases and trims', () => {
    expect(normaliseEmail('  Jo.Bloggs@Example.ORG ')).toBe('jo.bloggs@example.org')
  })

  it('ignores dots and +tags for Gmail only', () => {
    expect(normaliseEmail('Jo.Bloggs+work@gmail.com')).toBe('jobloggs@gmail.com')
    expect(normaliseEmail('jo.bloggs@googlemail.com')).toBe('jobloggs@gmail.com')
    expect(normaliseEmail('jo.bloggs+x@outlook.com')).toBe('jo.bloggs+x@outlook.com')
  })

  it('rejects values that are not addresses', () => {
    expect(normaliseEmail('not an email')).toBeNull()
    expect(normaliseEmail('@example.org')).toBeNull()
    expect(normaliseEmail('jo@')).toBeNull()
  })
})

describe('social handles and vehicles', () => {
  it('strips @ and profile URLs', () => {
    expect(normaliseSocial('@Jo_Bloggs')).toBe('jo_bloggs')
    expect(normaliseSocial('https://www.instagram.com/jo.bloggs/')).toBe('jo.bloggs')
    expect(normaliseSocial('https://tiktok.com/@jo.bloggs?lang=en')).toBe('jo.bloggs')
    expect(normaliseSocial('@')).toBeNull()
  })

  it('removes spaces from a VRM', () => {
    expect(normaliseVehicle('ab12 cde')).toBe('AB12CDE')
    expect(normaliseVehicle('AB12-CDE')).toBe('AB12CDE')
  })
})

describe('normaliseIdentifier', () => {
  it('makes equal keys for equivalent values and distinguishes kinds', () => {
    const a = normaliseIdentifier('phone', '+44 7700 900123')!
    const b = normaliseIdentifier('phone', '07700900123')!
    expect(identifierKey(a)).toBe(identifierKey(b))
    expect(a.display).toBe('07700 900123')
    expect(normaliseIdentifier('pnc', ' 19/123456a ')!.value).toBe('19/123456A')
    expect(normaliseIdentifier('passport', ' AB 123 ')).toEqual({ kind: 'other', value: 'ab 123', display: 'ab 123' })
    expect(normaliseIdentifier('phone', 'n/k')).toBeNull()
  })
})
