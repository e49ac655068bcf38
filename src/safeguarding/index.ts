// Safeguarding: Stalking Protection Orders (Recommendation 13), considered on every stalking crime, applied for where
// relevant and appropriate, and tracked through to breach.
import { Random } from '../platform/random.ts'
import { areaDatabase, defineArea, type PlatformServices } from '../platform/area.ts'
import type { ActorContext } from '../platform/services/auditService.ts'
import { DEMO_FORCE } from '../platform/services/demoUsers.ts'
import { SafeguardingRepository } from './data/safeguardingRepository.ts'
import { safeguardingApiRouter, safeguardingOpenApiPaths } from './routes/api.ts'
import { safeguardingRouter } from './routes/pages.ts'
import { SafeguardingService, STALKING_KEY } from './services/safeguardingService.ts'
import { addDays } from '../platform/days.ts'
import type { SafeguardingContext, SafeguardingNeeds, SafeguardingServices } from './context.ts'
import { safeguardingMigrations } from './data/migrations.ts'
import type { SafeguardingDatabase, SafeguardingTables } from './data/tables.ts'
import { safeguardingObligationSource } from './obligations.ts'
import { OrderRepository } from './data/orderRepository.ts'
import { loadOrderKinds } from './services/orderKinds.ts'
import { OrderService } from './services/orderService.ts'
import { ordersRouter } from './routes/orders.ts'
import { registerOrderCommands } from './cli.ts'

export type { SafeguardingContext, SafeguardingNeeds, SafeguardingServices } from './context.ts'

const orderKinds = loadOrderKinds()

export function createSafeguardingServices(
  platform: PlatformServices,
  { crime }: SafeguardingNeeds,
  now?: () => Date,
): SafeguardingServices {
  const db = areaDatabase<SafeguardingDatabase>(platform)
  const repository = new SafeguardingRepository(db)
  const service = new SafeguardingService(repository, platform.audit, crime)
  const orderRepository = new OrderRepository(db)
  const orders = new OrderService(orderRepository, platform.audit, crime, orderKinds.kinds, now)
  return {
    service,
    spoMeasure: (forceId, period) => service.measure(forceId, period),
    orders,
    orderLists: orderRepository,
    ordersMeasure: (forceId, period) => orders.measure(forceId, period),
  }
}

const DEMO_SEED = 13
const NOT_APPLYING = [
  'Suspect has no contact with the victim since arrest and is remanded; bail conditions cover the risk for now.',
  'Victim does not support an application at present; reviewed with the stalking advocate, to be considered again at charge.',
  'Conduct was a single period of contact that stopped on warning; the risk is judged standard.',
]

/**
 * Demo data: SPO considerations on a seeded share of the demo force's 8Q crimes (the same every time), recorded
 * through the service so they are audited like an officer's. Invented reasons only; no person's details. Loaded once:
 * a force that already has considerations is left alone.
 */
export async function loadSafeguardingDemo(services: SafeguardingContext, actor: ActorContext): Promise<void> {
  const force = await services.crime.repository.forceByName(DEMO_FORCE)
  if (!force) return
  const repository = new SafeguardingRepository(areaDatabase<SafeguardingDatabase>(services))
  // `demo load --force` imports the demo crimes again: their considerations are already there.
  if (await repository.hasConsiderations(force.id)) return
  const crimes = await repository.crimeIdsWithKey(force.id, STALKING_KEY)
  const random = new Random(DEMO_SEED)
  const viewer = { actor: { ...actor, forceId: force.id }, forceId: force.id }
  const service = services.safeguarding.service
  const today = new Date().toISOString().slice(0, 10)
  const notAfterToday = (day: string) => (day > today ? today : day)
  for (const { crime_id: crimeId, reported_at: reportedAt } of crimes) {
    if (random.next() >= 0.85) continue
    const reported = reportedAt.slice(0, 10)
    const roll = random.next()
    if (roll < 0.45) {
      await service.recordConsideration(viewer, crimeId, {
        decision: 'not_apply',
        reason: NOT_APPLYING[random.int(NOT_APPLYING.length)],
      })
      continue
    }
    if (roll < 0.55) {
      const madeOn = notAfterToday(addDays(reported, -random.between(30, 300)))
      await service.recordConsideration(viewer, crimeId, {
        decision: 'already_in_place',
        orderMadeOn: madeOn,
        orderExpiresOn: addDays(madeOn, 730),
      })
      continue
    }
    const appliedOn = notAfterToday(addDays(reported, random.between(2, 21)))
    const outcomeRoll = random.next()
    const courtOutcome =
      outcomeRoll < 0.65 ? 'granted' : outcomeRoll < 0.8 ? 'pending' : outcomeRoll < 0.9 ? 'refused' : 'withdrawn'
    const orderMadeOn = courtOutcome === 'granted' ? notAfterToday(addDays(appliedOn, random.between(1, 28))) : ''
    await service.recordConsideration(viewer, crimeId, {
      decision: 'apply',
      appliedOn,
      interim: random.next() < 0.5 ? 'yes' : 'no',
      courtOutcome,
      orderMadeOn,
      orderExpiresOn: orderMadeOn ? addDays(orderMadeOn, 730) : '',
    })
    if (courtOutcome === 'granted' && random.next() < 0.2) {
      await service.recordBreach(viewer, crimeId, {
        occurredOn: notAfterToday(addDays(orderMadeOn, random.between(7, 120))),
        actionTaken: 'Suspect arrested for breach of the SPO; victim updated and safety plan reviewed.',
      })
    }
  }
}

export const safeguardingArea = defineArea<SafeguardingTables>()({
  name: 'safeguarding',
  needs: ['crime'],
  migrations: safeguardingMigrations,
  obligations: (platform) => [
    safeguardingObligationSource(
      areaDatabase<SafeguardingDatabase>(platform),
      (kind) => orderKinds.kinds.get(kind)?.name ?? kind,
    ),
  ],
  create: (platform, needs: SafeguardingNeeds): SafeguardingServices => createSafeguardingServices(platform, needs),
  web: (services: SafeguardingContext) => ({
    routers: [
      { path: '/safeguarding', router: ordersRouter(services) },
      { path: '/safeguarding', router: safeguardingRouter(services) },
      { path: '/api/safeguarding', router: safeguardingApiRouter(services) },
    ],
    navigation: [{ text: 'Protection orders', href: '/safeguarding', capability: 'case:read', hub: 'Case work' }],
    openapiPaths: safeguardingOpenApiPaths,
  }),
  commands: registerOrderCommands,
  loadDemo: loadSafeguardingDemo,
})
