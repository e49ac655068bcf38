// What the assurance area builds, and what its pages and demo loader are handed (platform/area.ts).
import type { CrimeServices } from '../crime/index.ts'
import type { PlatformServices } from '../platform/area.ts'
import type { MeasurePeriod } from './data/assuranceRepository.ts'
import type { AssuranceService, AuditMeasure, SatisfactionMeasure } from './services/assuranceService.ts'

export interface AssuranceServices {
  service: AssuranceService
  /** Audit findings recorded in a period on the force's case audits, by answer, and the cases they cover. */
  auditMeasure(forceId: number, period: MeasurePeriod): Promise<AuditMeasure>
  /** Victims of the force's stalking crimes surveyed in a period, and those satisfied overall. */
  satisfactionMeasure(forceId: number, period: MeasurePeriod): Promise<SatisfactionMeasure>
}

/** What this area needs from others: the crime index its records hang on. */
export interface AssuranceNeeds {
  crime: CrimeServices
}

export type AssuranceContext = PlatformServices & { assurance: AssuranceServices } & AssuranceNeeds
