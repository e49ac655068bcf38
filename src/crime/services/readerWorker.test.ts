import { describe, expect, it } from 'vitest'
import { readCrimeExtracts } from '../import/index.ts'
import { ClassificationCatalogue } from './classifications.ts'
import { prepareRecord } from './prepareRecord.ts'
import { readInWorker } from './readerWorker.ts'

const collect = async <T>(items: AsyncIterable<T>) => {
  const all: T[] = []
  for await (const item of items) all.push(item)
  return all
}

describe('reading an extract on a worker thread', () => {
  it('yields what the reader yields, each record checked and prepared as the writer would', async () => {
    const files = ['test/fixtures/crime/single-good.csv', 'test/fixtures/crime/single-bad.csv']
    const catalogue = ClassificationCatalogue.load()
    const expected = (await collect(readCrimeExtracts(files, {}))).map((item) =>
      'record' in item ? { ...item, prepared: prepareRecord(catalogue, item.record, item.source) } : item,
    )
    const reader = readInWorker(files, {})
    const read = await collect(reader)
    expect(read).toEqual(expected)
    expect(read.some((item) => 'record' in item && !Array.isArray(item.prepared))).toBe(true)
    expect(reader.notices()).toEqual([])
  }, 60_000)

  it('reports a file it cannot read as a problem naming the file, not a hang', async () => {
    const read = await collect(readInWorker(['test/fixtures/crime/no-such-file.csv'], {}))
    expect(read).toEqual([{ problem: expect.objectContaining({ file: expect.stringContaining('no-such-file.csv') }) }])
  }, 60_000)
})
