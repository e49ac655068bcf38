// The one place where Threadline's parts are built and wired together.
import type { Kysely } from 'kysely'
import type { Config } from './config.ts'
import { createAssuranceServices, type AssuranceServices } from './assurance/index.ts'
import { createCaseServices, type CaseServices } from './cases/index.ts'
import { crimeObligationSource } from './crime/obligations.ts'
import { CrimeObligationRepository } from './crime/data/obligationRepository.ts'
import { investigationObligationSource } from './investigation/obligations.ts'
import { safeguardingObligationSource } from './safeguarding/obligations.ts'
import { screeningObligationSource } from './screening/obligations.ts'
import { victimObligationSource } from './victims/obligations.ts'
import { createCrimeServices, type CrimeServices } from './crime/index.ts'
import { createInsightServices, type InsightServices } from './insight/index.ts'
import { createInvestigationServices, type InvestigationServices } from './investigation/index.ts'
import { createPlanServices, type PlanServices } from './plan/index.ts'
import { AuditRepository } from './platform/data/auditRepository.ts'
import { openDatabase, type DatabaseHandle, type DialectName } from './platform/data/database.ts'
import { migrateToLatest } from './platform/data/migrate.ts'
import type { Database } from './platform/data/schema.ts'
import { DatabaseSessionStore } from './platform/data/sessionStore.ts'
import { UserRepository } from './platform/data/userRepository.ts'
import { AuditService } from './platform/services/auditService.ts'
import { UserService } from './platform/services/userService.ts'
import { createSafeguardingServices, type SafeguardingServices } from './safeguarding/index.ts'
import { createScreeningServices, type ScreeningServices } from './screening/index.ts'
import { createVictimServices, type VictimServices } from './victims/index.ts'

export interface PlatformServices {
  config: Config
  db: Kysely<Database>
  dialect: DialectName
  databaseHandle: DatabaseHandle
  audit: AuditService
  users: UserService
  sessionStore: DatabaseSessionStore
}

export interface Services extends PlatformServices {
  crime: CrimeServices
  screening: ScreeningServices
  safeguarding: SafeguardingServices
  investigation: InvestigationServices
  victims: VictimServices
  assurance: AssuranceServices
  plan: PlanServices
  insight: InsightServices
  cases: CaseServices
}

export function createPlatformServices(config: Config, handle: DatabaseHandle): PlatformServices {
  const audit = new AuditService(handle.db, new AuditRepository(handle.db))
  return {
    config,
    db: handle.db,
    dialect: handle.dialect,
    databaseHandle: handle,
    audit,
    users: new UserService(handle.db, new UserRepository(handle.db), audit),
    sessionStore: new DatabaseSessionStore(handle.db),
  }
}

export interface WireOptions {
  /** Screen and link each import's crimes as it commits (default). Tests of explicit screening runs turn it off. */
  screenOnImport?: boolean
}

export function wireServices(config: Config, handle: DatabaseHandle, options: WireOptions = {}): Services {
  const platform = createPlatformServices(config, handle)
  const crime = createCrimeServices(platform)
  const screening = createScreeningServices(platform, crime)
  // Linkage and the screening queue follow every import incrementally (issue 5).
  if (options.screenOnImport !== false) {
    crime.importer.onImported((actor, forceId) => screening.screenChangedCrimes(actor, forceId))
  }
  const safeguarding = createSafeguardingServices(platform, crime)
  const investigation = createInvestigationServices(platform, crime)
  const victims = createVictimServices(platform, crime)
  const assurance = createAssuranceServices(platform, crime)
  const plan = createPlanServices(platform)
  const stalkingCodes = crime.catalogue.classes.filter((entry) => entry.isStalking).map((entry) => entry.code)
  const insight = createInsightServices(platform, crime, () => stalkingCodes, screening, safeguarding, victims)
  // Allocation and investigation quality figures through the investigation area's service, never its tables.
  insight.evidence.useInvestigationFigures({
    investigationMeasure: (forceId, period) => investigation.investigationMeasure(forceId, period),
  })
  // Case audit compliance and victim satisfaction (11.2, 11.3) through the assurance area's service, never its tables.
  insight.evidence.useAssuranceFigures({
    auditMeasure: (forceId, period) => assurance.auditMeasure(forceId, period),
    satisfactionMeasure: (forceId, period) => assurance.satisfactionMeasure(forceId, period),
  })
  // Case work: every area answers for its own records through its ObligationSource (src/platform/obligations.ts).
  const crimeCases = new CrimeObligationRepository(platform.db)
  const cases = createCaseServices({
    db: platform.db,
    audit: platform.audit,
    config,
    sources: [
      crimeObligationSource(platform.db),
      screeningObligationSource(platform.db),
      safeguardingObligationSource(platform.db),
      victimObligationSource(platform.db),
      investigationObligationSource(platform.db),
    ],
    crimes: (forceId, crimeIds) => crimeCases.summaries(forceId, crimeIds),
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
  // Each obligation met on time (12.1, 12.2, 13.2, 14.1 to 14.4, 17.1, 18.2) through the case work area's service.
  insight.evidence.useCaseWorkFigures({
    obligationMeasure: (forceId, obligationId, period) => cases.obligationMeasure(forceId, obligationId, period),
    describe: (obligationId) => {
      const found = cases.service.catalogue.byId.get(obligationId)
      return found
        ? {
            wording: found.wording,
            due: `${found.due.days} ${found.due.kind} ${found.due.days === 1 ? 'day' : 'days'} by default`,
          }
        : undefined
    },
  })
  return { ...platform, crime, screening, safeguarding, investigation, victims, assurance, plan, insight, cases }
}

/** Opens the configured database, brings its schema up to date and wires every service on it. */
export async function createServices(config: Config, handle?: DatabaseHandle): Promise<Services> {
  const database = handle ?? openDatabase(config.databaseUrl)
  await migrateToLatest(database.db)
  return wireServices(config, database)
}
