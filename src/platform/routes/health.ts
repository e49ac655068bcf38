import { Router } from 'express'
import { sql } from 'kysely'
import type { PlatformServices } from '../area.ts'
import { version } from '../version.ts'

export function healthRouter(services: PlatformServices): Router {
  const router = Router()
  router.get('/', async (_req, res) => {
    const started = performance.now()
    let database: { status: 'up' | 'down'; dialect: string; latencyMs?: number; error?: string }
    try {
      await sql`select 1`.execute(services.databaseHandle.db)
      database = { status: 'up', dialect: services.dialect, latencyMs: Math.round(performance.now() - started) }
    } catch {
      database = { status: 'down', dialect: services.dialect, error: 'database did not answer' }
    }
    const healthy = database.status === 'up'
    res
      .status(healthy ? 200 : 503)
      .json({ status: healthy ? 'UP' : 'DOWN', version, uptimeSeconds: Math.round(process.uptime()), database })
  })
  return router
}
