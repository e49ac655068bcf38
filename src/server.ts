import type { Server } from 'node:http'
import { sql } from 'kysely'
import type { Config } from './config.ts'
import { createServices, type Services } from './compositionRoot.ts'
import { loadDemoData } from './demo.ts'
import { createApp, createLogger } from './platform/web/app.ts'

/** The longest a request waits for another process's write lock on SQLite before it is answered "busy". */
export const SERVER_BUSY_TIMEOUT_MS = 2500

export interface RunningServer {
  server: Server
  services: Services
  url: string
  stop(): Promise<void>
}

/** Starts Threadline: migrate, load demo data on a new embedded database, listen, and stop cleanly on SIGTERM/SIGINT. */
export async function startServer(config: Config, options: { demo?: boolean; handleSignals?: boolean } = {}) {
  const logger = createLogger(config.logLevel)
  const started = performance.now()
  const services = await createServices(config)
  if (options.demo) {
    const loaded = await loadDemoData(services)
    if (loaded) logger.info('loaded demo users and demo data into the new embedded database')
  }
  if (services.dialect === 'sqlite') {
    // better-sqlite3 waits for a lock on the event loop itself, so a write waiting for a long import's lock stalls every
    // other request while it waits: the server waits at most SERVER_BUSY_TIMEOUT_MS, then answers busy (docs/adr/0017).
    await sql`pragma busy_timeout = ${sql.lit(SERVER_BUSY_TIMEOUT_MS)}`.execute(services.db)
  }
  const app = createApp(services, logger)
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.port, (error?: Error) => (error ? reject(error) : resolve(listening)))
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const url = `http://localhost:${port}`
  logger.info(
    { database: services.dialect, startupMs: Math.round(performance.now() - started) },
    `Threadline is running at ${url}`,
  )
  const pruneTimer = setInterval(() => void services.sessionStore.prune().catch(() => undefined), 15 * 60 * 1000)
  pruneTimer.unref()
  // Signed checkpoints of the audit chain's head outside the database (docs/adr/0016), also in the service's log.
  const checkpoint = async () => {
    try {
      if (await services.audit.checkpoint()) logger.info({ audit: await services.audit.head() }, 'audit checkpoint')
    } catch (error) {
      logger.error({ err: error }, 'could not write the audit checkpoint')
    }
  }
  const checkpointTimer = setInterval(() => void checkpoint(), config.auditCheckpointSeconds * 1000)
  checkpointTimer.unref()
  // Each area's background jobs (case work's reminders and daily digest).
  const log = (message: string, error?: unknown) =>
    error ? logger.error({ err: error }, message) : logger.info(message)
  const stopJobs = services.areas.flatMap((area) => (area.startJobs ? [area.startJobs(log)] : []))

  let stopping: Promise<void> | null = null
  const stop = () => {
    stopping ??= (async () => {
      clearInterval(pruneTimer)
      clearInterval(checkpointTimer)
      for (const stopJob of stopJobs) stopJob()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
        setTimeout(() => server.closeAllConnections(), 5000).unref()
      })
      await checkpoint()
      await services.databaseHandle.close()
      logger.info('Threadline stopped')
    })()
    return stopping
  }
  if (options.handleSignals) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        logger.info({ signal }, 'stopping')
        void stop().then(() => process.exit(0))
      })
    }
  }
  return { server, services, url, stop } satisfies RunningServer
}
