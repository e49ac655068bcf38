// Writes docs/plan-interchange.schema.json from the zod schema in src/plan/interchange.ts, formatted as Prettier
// would, so the committed file never drifts from the code (src/plan/interchange.test.ts checks it).
// Usage: npx tsx scripts/generate-plan-schema.ts [--check]
import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as prettier from 'prettier'
import { interchangeJsonSchema } from '../src/plan/interchange.ts'

export const SCHEMA_PATH = fileURLToPath(new URL('../docs/plan-interchange.schema.json', import.meta.url))

/** The text of docs/plan-interchange.schema.json as the schema generates it. */
export async function generatePlanSchema(): Promise<string> {
  const options = (await prettier.resolveConfig(SCHEMA_PATH)) ?? {}
  return prettier.format(JSON.stringify(interchangeJsonSchema()), { ...options, parser: 'json' })
}

async function main(): Promise<void> {
  const text = await generatePlanSchema()
  if (process.argv.includes('--check')) {
    const committed = await readFile(SCHEMA_PATH, 'utf8').catch(() => '')
    if (committed !== text) {
      console.error(`${SCHEMA_PATH} is out of date: run npx tsx scripts/generate-plan-schema.ts`)
      process.exitCode = 1
    }
    return
  }
  await writeFile(SCHEMA_PATH, text)
  console.log(`wrote ${SCHEMA_PATH}`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
