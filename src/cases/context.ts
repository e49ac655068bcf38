// What the case work area builds, and what its pages, commands and jobs are handed (platform/area.ts).
import type { CrimeServices } from '../crime/index.ts'
import type { PlatformServices } from '../platform/area.ts'
import type { Viewer } from '../platform/services/viewer.ts'
import type { ScreeningServices } from '../screening/index.ts'
import type { CaseRepository } from './data/caseRepository.ts'
import type { CaseService } from './services/caseService.ts'
import type { DigestSummary } from './services/digest.ts'

export interface CaseServices {
  service: CaseService
  repository: CaseRepository
  openScreenings(
    viewer: Viewer,
  ): Promise<{ total: number; items: { crimeId: number; reference: string; reportedAt: string }[] } | null>
  /** The daily job: reminders for due and overdue obligations, then each user's digest email when SMTP is set. */
  sendNotifications(): Promise<DigestSummary>
  /** One obligation's counts for the action plan's live figures. */
  obligationMeasure: CaseService['obligationMeasure']
}

/** What case work needs from others: the crime index its cases are, and screening's queue for a screener's My work. */
export interface CaseNeeds {
  crime: CrimeServices
  screening: ScreeningServices
}

export type CaseContext = PlatformServices & { cases: CaseServices } & CaseNeeds
