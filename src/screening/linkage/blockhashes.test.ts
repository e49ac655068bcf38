import { describe, expect, it } from 'vitest'
import { blockHash, blockHashes, blockingKeys, partyFeatures } from './resolve.ts'
import { syntheticDataset } from './synthetic.ts'

describe('blockHashes', () => {
  it('hashes exactly the blocking keys, in order, without building them', () => {
    const { records } = syntheticDataset({ records: 300, seed: 11 })
    const memo = new Map<string, number>()
    let compared = 0
    for (const record of records) {
      for (const party of record.parties) {
        const f = partyFeatures(party)
        const hashes: number[] = []
        blockHashes(f, hashes, memo)
        expect(hashes).toEqual(blockingKeys(f).map(blockHash))
        compared++
      }
    }
    expect(compared).toBeGreaterThan(300)
  })

  it('drops a repeated phonetic key of a double-barrelled surname as blockingKeys does', () => {
    const f = partyFeatures({
      partyId: 1,
      role: 'suspect',
      forename: 'Anne',
      surname: 'Smith Smyth-Jones',
      dateOfBirth: '1990-12-03',
      identifiers: [{ kind: 'phone', value: '07700 900123' }],
    })
    const hashes: number[] = []
    blockHashes(f, hashes)
    expect(hashes).toEqual(blockingKeys(f).map(blockHash))
  })
})
