// What the partners area builds, and what its pages, jobs and demo loader are handed (platform/area.ts).
import type { CrimeServices } from '../crime/index.ts'
import type { PlatformServices } from '../platform/area.ts'
import type { VictimServices } from '../victims/index.ts'
import type { PanelService } from './services/panelService.ts'
import type { PartnerService } from './services/partnerService.ts'

export interface PartnerServices {
  service: PartnerService
  panels: PanelService
}

/** What this area needs from others: the crimes its referrals and panels hang on, and the victims' referrals. */
export interface PartnerNeeds {
  crime: CrimeServices
  victims: VictimServices
}

export type PartnerContext = PlatformServices & { partners: PartnerServices } & PartnerNeeds
