// Case work (issue 12): every stalking case gets what the recommendations promise, on time. Obligations are data
// (catalogue.json, with its source); each area answers, set-based, which are met, when and by whom, through the
// ObligationSource it implements in its own folder (src/platform/obligations.ts); this area works out what is due,
// shows the case page, My work (the home page) and the team queue, reminds, and measures.
import type { Kysely } from 'kysely'
import type { Config } from '../config.ts'
import { areaDatabase, defineArea, type PlatformServices } from '../platform/area.ts'
import { isDatabaseBusy } from '../platform/data/database.ts'
import type { ObligationSource } from '../platform/obligations.ts'
import type { AuditService } from '../platform/services/auditService.ts'
import type { Viewer } from '../platform/services/viewer.ts'
import { registerCaseCommands } from './cli.ts'
import type { CaseContext, CaseNeeds, CaseServices } from './context.ts'
import { CaseRepository } from './data/caseRepository.ts'
import { caseMigrations } from './data/migrations.ts'
import type { CaseDatabase as Database, CaseTables } from './data/tables.ts'
import { loadCasesDemo } from './demo.ts'
import { caseApiRouter, caseOpenApiPaths } from './routes/api.ts'
import { caseNavigation, casePagesRouter } from './routes/pages.ts'
import { loadCatalogue } from './services/catalogue.ts'
import { CaseEngine, type CaseCrime } from './services/caseEngine.ts'
import { CaseService } from './services/caseService.ts'
import { sendDigest } from './services/digest.ts'
import { loadBankHolidays } from './services/workingDays.ts'

export type { CaseContext, CaseNeeds, CaseServices } from './context.ts'

/** What this area needs from the rest of Threadline, declared here (the composition root supplies it). */
export interface CaseDependencies {
  db: Kysely<Database>
  audit: AuditService
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'baseUrl'>
  /** Every area's ObligationSource. */
  sources: readonly ObligationSource[]
  /** The crime details a case keeps, set-based (the crime area's). */
  crimes(forceId: number, crimeIds: readonly number[]): Promise<CaseCrime[]>
  /** One crime's force and reference (the crime area's), to check the viewer's force. */
  crime(crimeId: number): Promise<{ id: number; force_id: number; force_reference: string } | undefined>
  /** Screenings waiting for a decision, for a screener's My work (the screening area's queue; audited there). */
  openScreenings?(
    viewer: Viewer,
  ): Promise<{ total: number; items: { crimeId: number; reference: string; reportedAt: string }[] }>
  /** The forces whose cases the daily job reminds about. */
  forceIds(): Promise<number[]>
}

export function createCaseServices(deps: CaseDependencies): CaseServices {
  const catalogue = loadCatalogue(deps.sources)
  const engine = new CaseEngine(catalogue, deps.sources, loadBankHolidays(), deps.crimes)
  const repository = new CaseRepository(deps.db)
  const service = new CaseService(repository, deps.audit, engine, catalogue, deps.sources, deps.crime)
  return {
    service,
    repository,
    openScreenings: async (viewer) => (deps.openScreenings ? deps.openScreenings(viewer) : null),
    sendNotifications: async () =>
      sendDigest({
        repository,
        service,
        forceIds: await deps.forceIds(),
        smtpUrl: deps.config.smtpUrl,
        from: deps.config.mailFrom,
        baseUrl: deps.config.baseUrl,
      }),
    obligationMeasure: (forceId, obligationId, period) => service.obligationMeasure(forceId, obligationId, period),
  }
}

/** How long the daily job waits before trying again when the database was busy (on SQLite, a long import). */
export const CASE_JOB_BUSY_RETRY_MS = 5 * 60 * 1000

/**
 * The daily job inside `npm start`: first run a minute after start, then every 24 hours; a run refused because the
 * database was busy is tried again five minutes later rather than the next day.
 */
export function startCaseJobs(
  services: Pick<CaseContext, 'cases'>,
  log: (message: string, error?: unknown) => void,
  timing: { firstMs?: number; retryMs?: number } = {},
) {
  let retry: NodeJS.Timeout | undefined
  const run = () => {
    services.cases
      .sendNotifications()
      .then((summary) => log(`case work notifications: ${JSON.stringify(summary)}`))
      .catch((error: unknown) => {
        if (!isDatabaseBusy(error)) return log('case work notifications failed', error)
        log('case work notifications waited: the database is busy (an import?); trying again in five minutes')
        clearTimeout(retry)
        retry = setTimeout(run, timing.retryMs ?? CASE_JOB_BUSY_RETRY_MS)
        retry.unref()
      })
  }
  const first = setTimeout(run, timing.firstMs ?? 60_000)
  const daily = setInterval(run, 24 * 60 * 60 * 1000)
  first.unref()
  daily.unref()
  return () => {
    clearTimeout(first)
    clearTimeout(retry)
    clearInterval(daily)
  }
}

export function createCaseWork(platform: PlatformServices, { crime, screening }: CaseNeeds): CaseServices {
  return createCaseServices({
    db: areaDatabase<Database>(platform),
    audit: platform.audit,
    config: platform.config,
    sources: platform.obligationSources,
    crimes: (forceId, crimeIds) => crime.caseSummaries(forceId, crimeIds),
    crime: (crimeId) => crime.repository.crimeById(crimeId),
    openScreenings: async (viewer) => {
      const result = await screening.service.queue(viewer, { status: 'open' }, 1, 5)
      return {
        total: result.total,
        items: result.entries.map((entry) => ({
          crimeId: entry.crimeId,
          reference: entry.reference,
          reportedAt: entry.reportedAt,
        })),
      }
    },
    forceIds: async () => (await crime.repository.forcesWithCrimes()).map((force) => force.id),
  })
}

export const casesArea = defineArea<CaseTables>()({
  name: 'cases',
  needs: ['crime', 'screening'],
  // Their records meet case work's obligations (through their obligation sources): built and demo-loaded first.
  uses: ['safeguarding', 'investigation', 'victims', 'partners', 'assurance'],
  migrations: caseMigrations,
  create: (platform, needs: CaseNeeds): CaseServices => createCaseWork(platform, needs),
  web: (services: CaseContext) => ({
    // The counts on My work and Notifications in the navigation, on every signed-in page.
    middleware: [caseNavigation(services)],
    // My work at `/` (before the platform's home page, which stays for those without cases).
    routers: [
      { path: '/', router: casePagesRouter(services) },
      { path: '/api', router: caseApiRouter(services) },
    ],
    navigation: [
      { text: 'Team queue', href: '/cases/queue', capability: 'case:supervise', hub: 'Case work' },
      { text: 'Compliance', href: '/cases/compliance', capability: 'analysis:read', hub: 'Assurance' },
      { text: 'Case work settings', href: '/cases/settings', capability: 'users:manage', hub: 'Settings' },
    ],
    openapiPaths: caseOpenApiPaths,
  }),
  commands: registerCaseCommands,
  // The case work reminders and daily digest (also `threadline notify send`).
  startJobs: startCaseJobs,
  loadDemo: loadCasesDemo,
})

/** Working-day arithmetic (England and Wales bank holidays), for other areas' own due dates. */
export { dueOn, loadBankHolidays, londonDay, type BankHolidays } from './services/workingDays.ts'
