// A small Kysely driver over PGlite, used only by tests when no PostgreSQL server is reachable.
// PGlite has one connection, so the pool hands it out to one transaction at a time.
import type { PGlite } from '@electric-sql/pglite'
import { PostgresDialect } from 'kysely'

interface PoolClientLike {
  query(sql: string, parameters: readonly unknown[]): Promise<{ rows: unknown[]; rowCount: number; command: string }>
  release(): void
}

export function pgliteDialect(pglite: PGlite): PostgresDialect {
  let queue: Promise<void> = Promise.resolve()
  const pool = {
    async connect(): Promise<PoolClientLike> {
      let release!: () => void
      const previous = queue
      queue = new Promise<void>((resolve) => (release = resolve))
      await previous
      return {
        async query(sql, parameters) {
          const result = await pglite.query(sql, parameters as unknown[])
          const command = sql.trimStart().split(/\s/, 1)[0]?.toUpperCase() ?? ''
          return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length, command }
        },
        release: () => release(),
      }
    },
    async end(): Promise<void> {},
  }
  return new PostgresDialect({ pool: pool as never })
}
