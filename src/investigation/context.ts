// What the investigation area builds, and what its pages and demo loader are handed (platform/area.ts).
import type { CrimeServices } from '../crime/index.ts'
import type { PlatformServices } from '../platform/area.ts'
import type { MeasurePeriod } from './data/investigationRepository.ts'
import type { InvestigationMeasure, InvestigationService } from './services/investigationService.ts'
import type { CourseFigures, TrainingService } from './services/trainingService.ts'

export interface InvestigationServices {
  service: InvestigationService
  /** Allocation and investigation quality counts on the force's stalking crimes in a period. */
  investigationMeasure(forceId: number, period: MeasurePeriod): Promise<InvestigationMeasure>
  /** The training register: courses, completions, and their figures. */
  training: TrainingService
  /** One course's figures (frontline and investigators trained); undefined for a course not in the data. */
  trainingMeasure(forceId: number, courseId: string, period: MeasurePeriod): Promise<CourseFigures | undefined>
}

/** What this area needs from others: the crime index its records hang on. */
export interface InvestigationNeeds {
  crime: CrimeServices
}

export type InvestigationContext = PlatformServices & { investigation: InvestigationServices } & InvestigationNeeds
