// Says once per run which PostgreSQL the dialect tests use, so a run never hides that it skipped the real server.
export default function setup(): void {
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
