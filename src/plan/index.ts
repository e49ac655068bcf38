import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { areaDatabase, defineArea, type PlatformServices } from '../platform/area.ts'
import type { ActorContext } from '../platform/services/auditService.ts'
import { DEMO_FORCE } from '../platform/services/demoUsers.ts'
import { registerPlanCommands } from './cli.ts'
import type { PlanContext, PlanServices } from './context.ts'
import { planMigrations } from './data/migrations.ts'
import { PlanRepository } from './data/planRepository.ts'
import type { PlanDatabase, PlanTables } from './data/tables.ts'
import { readPlanDocument } from './import/index.ts'
import { planApiRouter, planOpenApiPaths } from './routes/api.ts'
import { harvestRouter } from './routes/harvest.ts'
import { nationalRouter } from './routes/national.ts'
import { planRouter } from './routes/plans.ts'
import { publicPlanRouter } from './routes/public.ts'
import { returnsRouter } from './routes/returns.ts'
import { publicTrackerRouter } from './routes/tracker.ts'
import { DEFAULT_HARVEST_LIMITS, PlanHarvester } from './services/harvest.ts'
import { PlanService, sha256 } from './services/planService.ts'
import { ReturnService } from './services/returns.ts'

export function createPlanServices(platform: PlatformServices): PlanServices {
  const db = areaDatabase<PlanDatabase>(platform)
  const repository = new PlanRepository(db)
  const service = new PlanService(db, repository, platform.audit, platform.config)
  const harvester = new PlanHarvester(service, {
    ...DEFAULT_HARVEST_LIMITS,
    allowPrivateAddresses: platform.config.harvestPrivateAddresses,
  })
  return { repository, service, harvester, returns: new ReturnService(db, repository, platform.audit, service) }
}

export type { PlanContext, PlanNeeds, PlanServices } from './context.ts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const FIXTURES = join(root, 'test', 'fixtures', 'plans')
export const SEED_COPY = join(FIXTURES, 'northamptonshire-seed.txt')
const SHARED_SEED = resolve(root, '..', 'shared', 'seeds', '000_378b2abd87b4fcb5.txt')

/** Invented forces' plans in other shapes (the importer's fixtures), with the force each belongs to. */
const DEMO_PLANS: { file: string; force: string }[] = [
  { file: 'wessex-vale-wide.html', force: 'Wessex Vale Police' },
  { file: 'northmoor-keyvalue.html', force: 'Northmoor Constabulary' },
  { file: 'eastmarch-per-recommendation.html', force: 'Eastmarch Police' },
  { file: 'tarnbrook.xlsx', force: 'Tarnbrook Police' },
]

/** Loads this area's demo data into a new embedded database (called once by `threadline demo load`). */
export async function loadPlanDemo(services: PlanContext, actor: ActorContext): Promise<void> {
  const plans = services.plan.service
  const seed = existsSync(SEED_COPY) ? SEED_COPY : existsSync(SHARED_SEED) ? SHARED_SEED : null
  const documents = [
    ...(seed ? [{ path: seed, force: 'Northamptonshire Police' }] : []),
    ...DEMO_PLANS.map((p) => ({ path: join(FIXTURES, p.file), force: p.force })).filter((p) => existsSync(p.path)),
  ]
  for (const document of documents) {
    const content = readFileSync(document.path)
    const parsed = await readPlanDocument(content, basename(document.path), { catalogue: plans.catalogue() })
    const result = await plans.importParsed(actor, parsed, {
      fileName: basename(document.path),
      checksum: sha256(content),
      forceName: document.force,
    })
    await plans.setPublished(actor, result.force.id, true)
  }
  const demoshire = await plans.findForce(DEMO_FORCE)
  const demoshireId = demoshire?.id ?? (await services.users.ensureForce(actor, DEMO_FORCE))
  if (!(await plans.hasPlan(demoshireId))) await plans.startFromCatalogue(actor, demoshireId)
  await plans.setPublished(actor, demoshireId, true)
}

export const planArea = defineArea<PlanTables>()({
  name: 'plan',
  needs: [],
  migrations: planMigrations,
  create: (platform): PlanServices => createPlanServices(platform),
  web: (services: PlanContext) => ({
    publicRouters: [
      { path: '/public/plans', router: publicPlanRouter(services) },
      { path: '/public', router: publicTrackerRouter(services) },
    ],
    routers: [
      { path: '/plans', router: planRouter(services) },
      { path: '/plans', router: returnsRouter(services) },
      { path: '/national/plans', router: nationalRouter(services) },
      { path: '/national/harvest', router: harvestRouter(services) },
      { path: '/api/plans', router: planApiRouter(services) },
    ],
    navigation: [
      { text: 'Action plan', href: '/plans', capability: 'plan:read', hub: 'Action plans' },
      { text: 'National view', href: '/national/plans', capability: 'plan:national', hub: 'Action plans' },
      { text: 'Harvest a plan', href: '/national/harvest', capability: 'plan:national', hub: 'Action plans' },
    ],
    openapiPaths: planOpenApiPaths,
  }),
  commands: registerPlanCommands,
  loadDemo: loadPlanDemo,
})
