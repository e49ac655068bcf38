import type { Services } from '../compositionRoot.ts'
import type { AreaRoutes, RegisterCommands } from '../platform/area.ts'
import type { PlatformServices } from '../compositionRoot.ts'
import type { ActorContext } from '../platform/services/auditService.ts'

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PlanServices {}

export function createPlanServices(_platform: PlatformServices): PlanServices {
  return {}
}

export function planRoutes(_services: Services): AreaRoutes {
  return {}
}

export const registerPlanCommands: RegisterCommands = () => {}

/** Loads this area's demo data into a new embedded database (called once by `threadline demo load`). */
export async function loadPlanDemo(_services: Services, _actor: ActorContext): Promise<void> {}
