import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  ReferenceDataError,
  loadOffenceClasses,
  loadOutcomeTypes,
  loadReference,
  offenceClass,
  offenceGroups,
  outcomeType,
  reference,
  stalkingRelatedCodes,
  watchedCodes,
} from './index.ts'

function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'threadline-ref-'))
  const file = join(dir, name)
  writeFileSync(file, content)
  return file
}

describe('offence classes', () => {
  it('finds classes by code, case-insensitive and trimmed', () => {
    expect(offenceClass('8Q')?.name).toBe('Stalking')
    expect(offenceClass(' 8q ')?.code).toBe('8Q')
    expect(offenceClass('105a')?.name).toBe('Assault without injury')
    expect(offenceClass('4/1')?.code).toBe('4.1')
    expect(offenceClass('ZZ9')).toBeUndefined()
  })

  it('has the stalking and harassment subgroup with only 8Q as stalking', () => {
    const subgroup = reference()
      .classes.filter((entry) => entry.subgroup === 'Stalking and harassment' && entry.level === 'class')
      .map((entry) => entry.code)
    expect(subgroup).toEqual(['8L', '8M', '8Q', '8R', '8U'])
    expect(reference().stalkingCodes()).toEqual(['8Q'])
  })

  it('watches harassment, communications, breaches and coercive control by default, not stalking itself', () => {
    const watched = watchedCodes()
    for (const code of ['8L', '8M', '8R', '8U', '8L-BRO', '8L-SPO', '8L-NMO']) expect(watched).toContain(code)
    expect(watched).not.toContain('8Q')
    expect(watched).not.toContain('46')
  })

  it('marks the classes stalking hides behind as stalking-related', () => {
    const related = stalkingRelatedCodes()
    for (const code of ['8Q', '8L', '58C', '105A', '8N', '3B', '9A', '28E', 'NFIB52A']) expect(related).toContain(code)
    expect(related).not.toContain('46')
    expect(related).not.toContain('92E')
  })

  it('says where breach codes are uncertain instead of inventing Home Office codes', () => {
    for (const code of ['8L-BRO', '8L-SPO', '8L-NMO']) {
      const entry = offenceClass(code)
      expect(entry?.level).toBe('local')
      expect(entry?.hoClass).toBe('8L')
      expect(entry?.note).toMatch(/not confirmed/)
    }
  })

  it('maps police.uk crime types to group-level pseudo codes', () => {
    expect(reference().openDataCode('Violence and sexual offences')).toBe('PUK-VSO')
    expect(reference().openDataCode(' shoplifting ')).toBe('PUK-SHO')
    expect(reference().openDataCode('Burglary')).toBe('PUK-BUR')
    expect(reference().openDataCode('Nonsense')).toBeUndefined()
  })

  it('lists groups with their subgroups in file order', () => {
    const groups = offenceGroups()
    expect(groups[0].group).toBe('Violence against the person')
    expect(groups[0].subgroups).toContain('Stalking and harassment')
    expect(groups.map((g) => g.group)).toContain('Criminal damage and arson')
    expect(new Set(groups.map((g) => g.group)).size).toBe(groups.length)
  })

  it('names the source', () => {
    expect(reference().offenceSource.title).toMatch(/Counting Rules/)
  })
})

describe('outcome types', () => {
  it('has outcomes 1 to 22', () => {
    expect(reference().outcomes.map((o) => o.number)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1))
    expect(outcomeType(1)?.name).toBe('Charged/Summonsed')
    expect(outcomeType(18)?.name).toMatch(/no suspect identified/)
    expect(outcomeType(23)).toBeUndefined()
  })
})

describe('validation errors', () => {
  it('names the file and the field', () => {
    const good = loadOffenceClasses()
    const bad = structuredClone(good) as unknown as { classes: Record<string, unknown>[] }
    bad.classes[3].stalkingRelated = 'yes'
    const file = tempFile('offence-classes.json', JSON.stringify(bad))
    expect(() => loadOffenceClasses(file)).toThrow(ReferenceDataError)
    expect(() => loadOffenceClasses(file)).toThrow(/offence-classes\.json, field "classes\[3\]\.stalkingRelated"/)
  })

  it('rejects invalid JSON with the file name', () => {
    const file = tempFile('outcome-types.json', '{ nope')
    expect(() => loadOutcomeTypes(file)).toThrow(/outcome-types\.json: not valid JSON/)
  })

  it('rejects a missing outcome number', () => {
    const good = loadOutcomeTypes()
    const file = tempFile('outcome-types.json', JSON.stringify({ ...good, outcomes: good.outcomes.slice(1) }))
    expect(() => loadOutcomeTypes(file)).toThrow(/field "outcomes": expected outcome numbers 1 to 22/)
  })

  it('rejects duplicate codes, even differing in case', () => {
    const good = loadOffenceClasses()
    const dup = {
      ...good,
      classes: [...good.classes, { ...good.classes[0], code: good.classes[0].code.toLowerCase() }],
    }
    const offences = tempFile('offence-classes.json', JSON.stringify(dup))
    const outcomes = tempFile('outcome-types.json', JSON.stringify(loadOutcomeTypes()))
    expect(() => loadReference({ offences, outcomes })).toThrow(/duplicate code/)
  })
})
