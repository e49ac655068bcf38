// Seeded mutations of a file, as a careless transfer or a fuzzer would make them: cut short, bytes changed, a run of
// bytes removed or repeated, a chunk zeroed. The same seed gives the same damaged files.
import { Random } from '../../src/platform/random.ts'

export type Mutation = 'truncate' | 'flip' | 'delete' | 'duplicate' | 'zero'
export const MUTATIONS: Mutation[] = ['truncate', 'flip', 'delete', 'duplicate', 'zero']

export function mutate(content: Buffer, seed: number): { content: Buffer; how: string } {
  const random = new Random(seed)
  const kind = MUTATIONS[random.int(MUTATIONS.length)]
  const at = random.int(content.length)
  const span = 1 + random.int(Math.min(64, content.length - at))
  switch (kind) {
    case 'truncate':
      return { content: content.subarray(0, at), how: `cut at byte ${at}` }
    case 'flip': {
      const out = Buffer.from(content)
      const flips = 1 + random.int(8)
      for (let i = 0; i < flips; i++) out[(at + random.int(256)) % out.length] ^= 1 + random.int(255)
      return { content: out, how: `${flips} bytes changed near ${at}` }
    }
    case 'delete':
      return {
        content: Buffer.concat([content.subarray(0, at), content.subarray(at + span)]),
        how: `${span} bytes removed at ${at}`,
      }
    case 'duplicate':
      return {
        content: Buffer.concat([
          content.subarray(0, at + span),
          content.subarray(at, at + span),
          content.subarray(at + span),
        ]),
        how: `${span} bytes repeated at ${at}`,
      }
    case 'zero': {
      const out = Buffer.from(content)
      out.fill(0, at, at + span)
      return { content: out, how: `${span} bytes zeroed at ${at}` }
    }
  }
}
