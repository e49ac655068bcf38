// What the safeguarding area builds, and what its pages and demo loader are handed (platform/area.ts).
import type { CrimeServices } from '../crime/index.ts'
import type { PlatformServices } from '../platform/area.ts'
import type { MeasurePeriod } from './data/safeguardingRepository.ts'
import type { SafeguardingService, SpoMeasure } from './services/safeguardingService.ts'
import type { OrderMeasure, OrderService } from './services/orderService.ts'
import type { OrderRepository } from './data/orderRepository.ts'

export interface SafeguardingServices {
  service: SafeguardingService
  /** SPO considerations, applications, orders granted and breaches on the force's stalking crimes in a period. */
  spoMeasure(forceId: number, period: MeasurePeriod): Promise<SpoMeasure>
  /** Protective orders of every kind: application to breach. */
  orders: OrderService
  /** The orders' queries the daily management list reads (references, kinds and dates; no person's details). */
  orderLists: Pick<
    OrderRepository,
    'endingBetween' | 'notificationsDueBy' | 'pendingApplications' | 'breachesRecordedBetween'
  >
  /** Orders applied for, granted and breached by kind, notifications met, by month (evidence 12.3, 13.2). */
  ordersMeasure(forceId: number, period: { from: string; to: string }): Promise<OrderMeasure>
}

/** What this area needs from others: the crime index its records hang on. */
export interface SafeguardingNeeds {
  crime: CrimeServices
}

export type SafeguardingContext = PlatformServices & { safeguarding: SafeguardingServices } & SafeguardingNeeds
