import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readCrimeExtracts } from '../import/read.ts'
import type { CrimeRecordInput } from '../model.ts'
import { offenceClass } from '../reference/index.ts'
import { generateDataset, generateRecords } from './generate.ts'
import { mulberry32 } from '../../platform/random.ts'
import { writeImportFiles } from './write.ts'

const hashFile = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

describe('mulberry32', () => {
  it('gives the same sequence for the same seed and a different one otherwise', () => {
    const a = mulberry32(1)
    const b = mulberry32(1)
    const c = mulberry32(2)
    const first = [a(), a(), a()]
    expect([b(), b(), b()]).toEqual(first)
    expect(c()).not.toBe(first[0])
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true)
  })
})

describe('generateDataset', () => {
  const data = generateDataset({ crimes: 4000, seed: 11 })

  it('produces the number of records asked for, in crime-number order with unique references', () => {
    expect(data).toHaveLength(4000)
    expect(new Set(data.map((d) => d.record.forceReference)).size).toBe(4000)
    const reported = data.map((d) => d.record.reportedAt.slice(0, 10))
    expect(reported[0] >= '2023-10-31').toBe(true)
    expect(reported[reported.length - 1] <= '2026-10-31').toBe(true)
  })

  it('uses only known classifications and outcomes, with narratives of 300-600 characters', () => {
    for (const { record } of data) {
      if (record.kind === 'crime') expect(offenceClass(record.principal!), record.principal!).toBeDefined()
      else expect(record.principal).toBeNull()
      for (const c of record.included) expect(offenceClass(c.code)).toBeDefined()
      expect(record.narrative.length).toBeGreaterThanOrEqual(300)
      expect(record.narrative.length).toBeLessThanOrEqual(600)
      if (record.outcome !== null) expect(record.outcome).toBeGreaterThanOrEqual(1)
    }
  })

  it('has a force-like mix, intelligence linked to crimes, and party truth aligned with parties', () => {
    const count = (code: string) => data.filter((d) => d.record.principal === code).length
    expect(count('105A')).toBeGreaterThan(count('8Q'))
    expect(count('46')).toBeGreaterThan(100)
    const intel = data.filter((d) => d.record.kind === 'intelligence')
    expect(intel.length).toBeGreaterThan(40)
    const refs = new Set(data.map((d) => d.record.forceReference))
    for (const { record } of intel) {
      expect(record.linkedCrimeRefs.length).toBeGreaterThan(0)
      for (const ref of record.linkedCrimeRefs) expect(refs.has(ref)).toBe(true)
    }
    for (const { record, truth } of data) expect(truth.partyPersonIds).toHaveLength(record.parties.length)
  })

  it('builds courses of conduct of 2-8 records between one victim and one suspect, recorded in several ways', () => {
    const courses = new Map<string, typeof data>()
    for (const d of data) {
      if (!d.truth.courseOfConductId || d.record.kind !== 'crime') continue
      courses.set(d.truth.courseOfConductId, [...(courses.get(d.truth.courseOfConductId) ?? []), d])
    }
    expect(courses.size).toBeGreaterThan(20)
    const recordedAs = new Set<string | null>()
    const principals = new Set<string | null>()
    for (const members of courses.values()) {
      expect(members.length).toBeLessThanOrEqual(8)
      const victims = new Set(members.map((m) => m.truth.partyPersonIds[0]))
      const suspects = new Set(members.map((m) => m.truth.partyPersonIds[1]))
      expect(victims.size).toBe(1)
      expect(suspects.size).toBe(1)
      for (const m of members) {
        if (m.truth.stalking) recordedAs.add(m.truth.stalkingRecordedAs)
        principals.add(m.record.principal)
        const has8Q = m.record.principal === '8Q' || m.record.included.some((c) => c.code === '8Q')
        expect(has8Q).toBe(m.truth.stalkingRecordedAs === 'principal' || m.truth.stalkingRecordedAs === 'included')
      }
    }
    expect(recordedAs).toEqual(new Set(['principal', 'included', 'unrecorded']))
    for (const code of ['8L', '8R', '8Q']) expect(principals.has(code)).toBe(true)
    const multi = [...courses.values()].filter((m) => m.length >= 2)
    expect(multi.length).toBeGreaterThan(courses.size / 2)
  })

  it('varies how the same person is recorded', () => {
    const byPerson = new Map<string, CrimeRecordInput['parties']>()
    for (const { record, truth } of data) {
      truth.partyPersonIds.forEach((id, i) => byPerson.set(id, [...(byPerson.get(id) ?? []), record.parties[i]]))
    }
    const repeated = [...byPerson.values()].filter((p) => p.length >= 3)
    expect(repeated.length).toBeGreaterThan(20)
    const varied = repeated.filter((p) => new Set(p.map((x) => `${x.forename}|${x.surname}|${x.dateOfBirth}`)).size > 1)
    expect(varied.length / repeated.length).toBeGreaterThan(0.5)
  })

  it('marks stalking behaviour in narratives only where the truth says so (spot check on key words)', () => {
    const behaviour =
      /followed IP|tracking device|fake profile|turned up at|sitting in a car|from different numbers|location sharing|blocked SUSP/i
    for (const { record, truth } of data) {
      if (record.kind === 'crime' && !truth.stalking)
        expect(behaviour.test(record.narrative), record.narrative).toBe(false)
    }
    const marked = data.filter((d) => d.truth.narrativeHasStalkingBehaviour && d.record.kind === 'crime')
    expect(marked.filter((d) => behaviour.test(d.record.narrative)).length / marked.length).toBeGreaterThan(0.4)
  })

  it('is deterministic: same seed, same records; another seed, other records', () => {
    expect(generateDataset({ crimes: 4000, seed: 11 })).toEqual(data)
    expect(generateDataset({ crimes: 50, seed: 12 })[0]).not.toEqual(data[0])
  })

  it('streams lazily', () => {
    const iterator = generateRecords({ crimes: 10_000_000, seed: 1 })[Symbol.iterator]()
    expect(iterator.next().value?.record.forceReference).toMatch(/^DS\/0000001\//)
  })
})

describe('writeImportFiles', () => {
  it('writes byte-identical files for the same seed', async () => {
    const a = mkdtempSync(join(tmpdir(), 'threadline-gen-'))
    const b = mkdtempSync(join(tmpdir(), 'threadline-gen-'))
    const one = await writeImportFiles(generateRecords({ crimes: 1500, seed: 5 }), a, { layout: 'split' })
    const two = await writeImportFiles(generateRecords({ crimes: 1500, seed: 5 }), b, { layout: 'split' })
    expect(one.files.map(hashFile)).toEqual(two.files.map(hashFile))
    expect(hashFile(one.truth)).toBe(hashFile(two.truth))
    expect(readFileSync(one.truth, 'utf8').trim().split('\n')).toHaveLength(1500)
  })

  for (const layout of ['single', 'split'] as const) {
    it(`round-trips through the extract reader (${layout} layout)`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `threadline-${layout}-`))
      const records = generateDataset({ crimes: 1500, seed: 9 })
      const written = await writeImportFiles(records, dir, { layout })
      const read: CrimeRecordInput[] = []
      for await (const result of readCrimeExtracts(written.files)) {
        if ('problem' in result) throw new Error(JSON.stringify(result.problem))
        read.push(result.record)
      }
      const expected = records.map(({ record }) =>
        layout === 'split'
          ? record
          : {
              ...record,
              included: record.included.map((c) => ({ code: c.code, addedBy: null, addedAt: null, reason: null })),
            },
      )
      expect(read).toEqual(expected)
    })
  }
})
