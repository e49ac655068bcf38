// Once per run: builds the stylesheet and scripts if they are missing or stale (browser tests run through `vitest`
// directly would otherwise test unstyled pages), and says which PostgreSQL the dialect tests use, so a run never
// hides that it skipped the real server.
import { execFileSync } from 'node:child_process'

export default function setup(): void {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-assets.ts'], { stdio: 'pipe' })
  const url = process.env.TEST_DATABASE_URL
  if (url) {
    const safe = url.replace(/\/\/([^:@/]+)(:[^@/]*)?@/, '//$1@')
    console.log(`[threadline tests] PostgreSQL dialect tests use the server at ${safe}`)
  } else {
    console.log(
      '[threadline tests] PostgreSQL dialect tests use PGlite (embedded); set TEST_DATABASE_URL to use a server',
    )
  }
}
