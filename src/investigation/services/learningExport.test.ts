import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { courseForTitle, learningDate, loadCourses, LearningExportError, readLearningExport } from './learningExport.ts'

const courses = loadCourses()
const read = (text: string, name = 'export.csv') => readLearningExport(Buffer.from(text), name, courses)
const refusal = (text: string) => {
  try {
    read(text)
  } catch (error) {
    expect(error).toBeInstanceOf(LearningExportError)
    return (error as Error).message
  }
  throw new Error('not refused')
}

describe('a learning system export', () => {
  it('finds each column by its header, reads statuses and dates, and sets other courses aside', () => {
    const result = readLearningExport(readFileSync('test/fixtures/training/lms-ncalt.csv'), 'lms-ncalt.csv', courses)
    expect(result.records.map((r) => [r.line, r.officer, r.courseId, r.completedOn, r.frontline])).toEqual([
      [2, 'Alex CARTER (7001)', 'stalking_elearning', '2025-03-27', true],
      [3, 'Sam OKAFOR (7002)', 'stalking_elearning', null, false],
      [4, 'Sam OKAFOR (7002)', 'stalking_investigation', '2025-01-14', false],
      [5, 'Jo WHITFIELD (7003)', 'spo_training', '2025-02-03', false],
      [7, 'Jamie FROST (7004)', 'stalking_elearning', null, true],
    ])
    expect(result.records[0]).toMatchObject({ numberKey: '7001', nameKey: 'alex carter', role: 'Police Constable' })
    expect(result.otherCourses).toEqual([{ title: 'Fire safety awareness', rows: 1 }])
  })

  it('reads a semicolon export with only a name, a course and a date passed', () => {
    const result = readLearningExport(readFileSync('test/fixtures/training/lms-semicolon.csv'), 'x.csv', courses)
    expect(result.records).toEqual([
      {
        line: 2,
        officer: 'DC Jo Whitfield',
        numberKey: null,
        nameKey: 'dc jo whitfield',
        courseId: 'online_stalking',
        completedOn: '2025-06-12',
        role: null,
        frontline: null,
      },
    ])
  })

  it('refuses a file naming where: the file, the line and the column', () => {
    expect(refusal('Name,Status,Date\nA,Completed,1/1/2025')).toBe(
      'export.csv, line 1: no column names the course (a column headed "Course", "Course title", "Module" or "Learning item")',
    )
    expect(refusal('Course,Status\nStalking e-learning,Completed')).toContain('no column names the officer')
    expect(refusal('Name,Course\nA,Stalking e-learning')).toContain('no column says whether the course was completed')
    expect(refusal('Name,Course,Status,Completed\nA,Stalking e-learning,Completed,31/02/2025')).toBe(
      'export.csv, line 2, column "Completed": "31/02/2025" is not a date (for example 27/03/2025 or 2025-03-27)',
    )
    expect(refusal('Name,Course,Status,Completed\nA,Stalking e-learning,Completed,')).toBe(
      'export.csv, line 2, column "Completed": the course is completed but no completion date is given',
    )
    expect(refusal('Name,Course,Status,Completed\nA,Stalking e-learning,Waitlisted,')).toContain(
      'line 2, column "Status": "Waitlisted" is not a status Threadline knows',
    )
    expect(refusal('Name,Course,Completed\n,Stalking e-learning,1/1/2025')).toBe(
      'export.csv, line 2: the officer is blank (no name)',
    )
    expect(refusal('')).toBe('export.csv is empty')
    expect(() => readLearningExport(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), 'x.xlsx', courses)).toThrow(
      'x.xlsx is not a CSV file',
    )
  })

  it('matches a course title by its longest phrase, in whole words', () => {
    const id = (title: string) => courseForTitle(title, courses)?.id
    expect(id('Stalking Protection Orders – supervisors')).toBe('spo_training')
    expect(id('SPO refresher')).toBe('spo_training')
    expect(id('Responding to SPOTS and hotspots')).toBeUndefined()
    expect(id('Stalking investigators course 2025')).toBe('stalking_investigation')
    expect(id('Stalking specialist SPOC development day')).toBe('stalking_specialist')
    expect(id('Cyberstalking awareness')).toBe('online_stalking')
  })

  it('reads the dates learning systems write, and only real ones', () => {
    expect(learningDate('27/03/2025')).toBe('2025-03-27')
    expect(learningDate('7-3-2025')).toBe('2025-03-07')
    expect(learningDate('2025-03-27T10:15:00Z')).toBe('2025-03-27')
    expect(learningDate('27/03/2025 14:02')).toBe('2025-03-27')
    expect(learningDate('3 Feb 2025')).toBe('2025-02-03')
    expect(learningDate('03-February-2025')).toBe('2025-02-03')
    expect(learningDate('29/02/2025')).toBeNull()
    expect(learningDate('next week')).toBeNull()
  })
})
