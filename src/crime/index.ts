import type { Services } from '../compositionRoot.ts'
import type { AreaRoutes, RegisterCommands } from '../platform/area.ts'
import type { PlatformServices } from '../compositionRoot.ts'
import type { ActorContext } from '../platform/services/auditService.ts'

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CrimeServices {}

export function createCrimeServices(_platform: PlatformServices): CrimeServices {
  return {}
}

export function crimeRoutes(_services: Services): AreaRoutes {
  return {}
}

export const registerCrimeCommands: RegisterCommands = () => {}

/** Loads this area's demo data into a new embedded database (called once by `threadline demo load`). */
export async function loadCrimeDemo(_services: Services, _actor: ActorContext): Promise<void> {}
