import { describe, expect, it } from 'vitest'
import { forceCodeOf } from './data/forces.ts'
import { POLICE_FORCES } from './policeForces.ts'

describe('POLICE_FORCES', () => {
  it('holds the 43 territorial forces of England and Wales (39 and 4) and British Transport Police', () => {
    const territorial = POLICE_FORCES.filter((f) => f.kind === 'territorial')
    expect(territorial).toHaveLength(43)
    expect(territorial.filter((f) => f.country === 'England')).toHaveLength(39)
    expect(territorial.filter((f) => f.country === 'Wales').map((f) => f.name)).toEqual([
      'Dyfed-Powys Police',
      'Gwent Police',
      'North Wales Police',
      'South Wales Police',
    ])
    expect(POLICE_FORCES.filter((f) => f.kind === 'special').map((f) => f.name)).toEqual(['British Transport Police'])
  })

  it('gives each force the code its name gives, so an import that names it finds the same force; names and codes are unique', () => {
    for (const force of POLICE_FORCES) {
      expect(force.code).toBe(forceCodeOf(force.name))
    }
    expect(new Set(POLICE_FORCES.map((f) => f.code)).size).toBe(POLICE_FORCES.length)
    expect(new Set(POLICE_FORCES.map((f) => f.name)).size).toBe(POLICE_FORCES.length)
    // An alias's code never names another force.
    for (const force of POLICE_FORCES) {
      for (const alias of force.aliases ?? []) {
        expect(POLICE_FORCES.filter((f) => f !== force).map((f) => f.code)).not.toContain(forceCodeOf(alias))
      }
    }
  })
})
