import { describe, expect, it } from 'vitest'
import type { CourseOfConduct } from './conduct.ts'
import { evaluateLinkage, scoreCourses, scorePeople } from './evaluate.ts'

const course = (recordIds: number[]) => ({ recordIds }) as CourseOfConduct

describe('scoreCourses', () => {
  it('counts pairwise precision and recall over records in the same course', () => {
    // Truth: A = {1,2,3} (3 pairs), B = {4,5} (1 pair); 6 stands alone.
    const truth = new Map<number, string | null>([
      [1, 'A'],
      [2, 'A'],
      [3, 'A'],
      [4, 'B'],
      [5, 'B'],
      [6, null],
    ])
    // Found: {1,2} correct; {4,5,6}: (4,5) correct, (4,6) and (5,6) wrong; {1,2} again counts once.
    const score = scoreCourses([course([2, 1]), course([4, 5, 6]), course([1, 2])], truth)
    expect(score).toEqual({ truePairs: 4, foundPairs: 4, correctPairs: 2, precision: 0.5, recall: 0.5 })
    expect(scoreCourses([], truth).recall).toBe(0)
  })
})

describe('scorePeople', () => {
  it('counts pairwise precision and recall over parties of the same person', () => {
    const truth = new Map([
      [1, 'x'],
      [2, 'x'],
      [3, 'x'],
      [4, 'y'],
    ])
    const found = new Map([
      [1, 'P1'],
      [2, 'P1'],
      [3, 'P3'],
      [4, 'P3'],
    ])
    expect(scorePeople(found, truth)).toEqual({
      truePairs: 3,
      foundPairs: 2,
      correctPairs: 1,
      precision: 0.5,
      recall: 1 / 3,
    })
  })
})

describe('evaluateLinkage', () => {
  it('finds the generated courses of conduct with high precision', async () => {
    const result = await evaluateLinkage({ crimes: 3000, seed: 7 })
    expect(result.detail).toContain('course pairs: precision')
    expect(result.precision).toBeGreaterThan(0.9)
    expect(result.recall).toBeGreaterThan(0.5)
  }, 60_000)
})
