import type { Services } from '../compositionRoot.ts'
import type { AreaRoutes, RegisterCommands } from '../platform/area.ts'
import type { PlatformServices } from '../compositionRoot.ts'
import type { ActorContext } from '../platform/services/auditService.ts'
import { CrimeRepository } from './data/crimeRepository.ts'
import { ClassificationCatalogue } from './services/classifications.ts'
import { CrimeService } from './services/crimeService.ts'
import { CrimeImportService } from './services/importService.ts'

export interface CrimeServices {
  catalogue: ClassificationCatalogue
  repository: CrimeRepository
  records: CrimeService
  importer: CrimeImportService
}

let catalogue: ClassificationCatalogue | null = null

export function createCrimeServices(platform: PlatformServices): CrimeServices {
  catalogue ??= ClassificationCatalogue.load()
  const repository = new CrimeRepository(platform.db)
  return {
    catalogue,
    repository,
    records: new CrimeService(repository, platform.audit, catalogue),
    importer: new CrimeImportService(repository, platform.audit, catalogue),
  }
}

export function crimeRoutes(_services: Services): AreaRoutes {
  return {}
}

export const registerCrimeCommands: RegisterCommands = () => {}

/** Loads this area's demo data into a new embedded database (called once by `threadline demo load`). */
export async function loadCrimeDemo(_services: Services, _actor: ActorContext): Promise<void> {}
