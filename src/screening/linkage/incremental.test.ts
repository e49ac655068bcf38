import { describe, expect, it } from 'vitest'
import { findCoursesOfConduct, LinkageIndex } from './conduct.ts'
import { seededRandom, syntheticDataset } from './synthetic.ts'

describe('incremental linkage equals full linkage', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`gives the same courses and people for any batching and order (seed ${seed})`, () => {
      const { records } = syntheticDataset({ records: 400, seed })
      const options = { windowDays: 90, minIncidents: 2 }
      const full = findCoursesOfConduct(records, options)
      expect(full.length).toBeGreaterThan(10)

      const random = seededRandom(seed * 7919)
      const shuffled = [...records]
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1))
        ;[shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]]
      }
      // Small saturation limit so that saturation (withdrawn edges) happens mid-way too.
      const incremental = new LinkageIndex({ ...options, maxBlockSize: 4 })
      const fullSmall = new LinkageIndex({ ...options, maxBlockSize: 4 })
      fullSmall.add(records)
      const live = new Map<string, string>()
      let at = 0
      while (at < shuffled.length) {
        const size = 1 + Math.floor(random() * 40)
        const { changedCourses, removedCourseIds } = incremental.add(shuffled.slice(at, at + size))
        for (const id of removedCourseIds) live.delete(id)
        for (const course of changedCourses) live.set(course.id, JSON.stringify(course))
        at += size
      }
      expect(incremental.courses()).toEqual(fullSmall.courses())
      // The stream of changes alone reconstructs the final state.
      expect([...live.keys()].sort()).toEqual(
        fullSmall
          .courses()
          .map((c) => c.id)
          .sort(),
      )
      for (const course of fullSmall.courses()) expect(live.get(course.id)).toBe(JSON.stringify(course))
      for (const record of records) {
        for (const party of record.parties) {
          expect(incremental.personKeyOf(party.partyId)).toBe(fullSmall.personKeyOf(party.partyId))
        }
      }

      const incrementalDefault = new LinkageIndex(options)
      for (let i = 0; i < shuffled.length; i += 97) incrementalDefault.add(shuffled.slice(i, i + 97))
      expect(incrementalDefault.courses()).toEqual(full)
    })
  }

  for (const seed of [6, 7, 8]) {
    it(`gives the same courses and people when daily batches follow a large full run (seed ${seed})`, () => {
      // A full run (the first add, into an empty index) keeps its blocks and edges in typed arrays; later adds turn into
      // maps only what they touch, including blocks that saturate after the full run (edges withdrawn).
      const { records } = syntheticDataset({ records: 400, seed })
      for (const maxBlockSize of [4, 200]) {
        const options = { windowDays: 90, minIncidents: 2, maxBlockSize }
        const full = new LinkageIndex(options)
        full.add(records)
        const daily = new LinkageIndex(options)
        daily.add(records.slice(0, 300))
        const live = new Map(daily.courses().map((course) => [course.id, JSON.stringify(course)]))
        for (let at = 300; at < records.length; at += 25) {
          const { changedCourses, removedCourseIds } = daily.add(records.slice(at, at + 25))
          for (const id of removedCourseIds) live.delete(id)
          for (const course of changedCourses) live.set(course.id, JSON.stringify(course))
        }
        expect(daily.courses()).toEqual(full.courses())
        expect(new Map(full.courses().map((course) => [course.id, JSON.stringify(course)]))).toEqual(live)
        for (const record of records) {
          for (const party of record.parties)
            expect(daily.personKeyOf(party.partyId)).toBe(full.personKeyOf(party.partyId))
        }
      }
    })
  }
})
