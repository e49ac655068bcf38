// What the victims area builds, and what its pages and demo loader are handed (platform/area.ts).
import type { CrimeServices } from '../crime/index.ts'
import type { PlatformServices } from '../platform/area.ts'
import type { MeasurePeriod } from './data/victimRepository.ts'
import type { ReferralAlertService } from './services/referralAlerts.ts'
import type { DirectoryMeasure, VictimMeasure, VictimService } from './services/victimService.ts'

export interface VictimServices {
  service: VictimService
  /** Low referral numbers (14.5): the rule, the monthly check and the force leads' notifications. */
  alerts: ReferralAlertService
  /** The needs an assessment identifies, in words (the partners area shows them to a service). */
  needLabels: Readonly<Record<string, string>>
  /** Victims of the force's stalking crimes in a period: told of rights, needs assessed, referred. */
  victimMeasure(forceId: number, period: MeasurePeriod): Promise<VictimMeasure>
  /** The force's listed support services. */
  directoryMeasure(forceId: number): Promise<DirectoryMeasure>
}

/** What this area needs from others: the crime index its records hang on. */
export interface VictimNeeds {
  crime: CrimeServices
}

export type VictimContext = PlatformServices & { victims: VictimServices } & VictimNeeds
