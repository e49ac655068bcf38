// What the crime area builds, and what its pages, commands and demo loader are handed (platform/area.ts).
import type { PlatformServices } from '../platform/area.ts'
import type { CrimeProfileQueries } from './data/crimeProfileQueries.ts'
import type { CrimeRepository } from './data/crimeRepository.ts'
import type { CrimeObligationRepository } from './data/obligationRepository.ts'
import type { ClassificationCatalogue } from './services/classifications.ts'
import type { CrimeService } from './services/crimeService.ts'
import type { CrimeImportService } from './services/importService.ts'
import type { CrimeImportJobs } from './services/importJobs.ts'

export interface CrimeServices {
  catalogue: ClassificationCatalogue
  repository: CrimeRepository
  /** Counts over the crime tables for the problem profile and the plan's live figures (never a person's details). */
  aggregates: CrimeProfileQueries
  records: CrimeService
  importer: CrimeImportService
  /** Imports of extracts uploaded through the browser, as background jobs with a progress page (ADR 0018). */
  imports: CrimeImportJobs
  /** The crime details a case keeps (reference, reported, team), set-based: for the case work area. */
  caseSummaries: CrimeObligationRepository['summaries']
}

/** A crime's screening outcome and latest S-DASH, as the crime pages show them. */
export interface CrimeScreeningOutcome {
  decision: { outcome: string; label: string; action: string | null; decidedAt: string } | null
  assessment: { yesCount: number; riskLevel: string; assessedAt: string; assessedBy: string } | null
}

/** What the crime area needs from others: each crime's screening outcome on its pages (the screening area's). */
export interface CrimeNeeds {
  screening: { outcomesOf(crimeIds: number[]): Promise<Map<number, CrimeScreeningOutcome>> }
}

export type CrimeContext = PlatformServices & { crime: CrimeServices } & CrimeNeeds
