// Writes docs/plan-interchange.schema.json (from the zod schema in src/plan/interchange.ts) and
// docs/national-tracker.schema.json (from src/plan/tracker.ts), formatted as Prettier would, so the committed files
// never drift from the code (src/plan/interchange.test.ts and src/plan/tracker.test.ts check them).
// Usage: npx tsx scripts/generate-plan-schema.ts [--check]
import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as prettier from 'prettier'
import { interchangeJsonSchema } from '../src/plan/interchange.ts'
import { trackerJsonSchema } from '../src/plan/tracker.ts'

export const SCHEMA_PATH = fileURLToPath(new URL('../docs/plan-interchange.schema.json', import.meta.url))
export const TRACKER_SCHEMA_PATH = fileURLToPath(new URL('../docs/national-tracker.schema.json', import.meta.url))

async function formatted(path: string, schema: Record<string, unknown>): Promise<string> {
  const options = (await prettier.resolveConfig(path)) ?? {}
  return prettier.format(JSON.stringify(schema), { ...options, parser: 'json' })
}

/** The text of docs/plan-interchange.schema.json as the schema generates it. */
export async function generatePlanSchema(): Promise<string> {
  return formatted(SCHEMA_PATH, interchangeJsonSchema())
}

/** The text of docs/national-tracker.schema.json as the schema generates it. */
export async function generateTrackerSchema(): Promise<string> {
  return formatted(TRACKER_SCHEMA_PATH, trackerJsonSchema())
}

async function main(): Promise<void> {
  for (const [path, generate] of [
    [SCHEMA_PATH, generatePlanSchema],
    [TRACKER_SCHEMA_PATH, generateTrackerSchema],
  ] as const) {
    const text = await generate()
    if (process.argv.includes('--check')) {
      const committed = await readFile(path, 'utf8').catch(() => '')
      if (committed !== text) {
        console.error(`${path} is out of date: run npx tsx scripts/generate-plan-schema.ts`)
        process.exitCode = 1
      }
      continue
    }
    await writeFile(path, text)
    console.log(`wrote ${path}`)
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
