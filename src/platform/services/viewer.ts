// Shared by every area's services: who is asking, and the error that carries a message per form field.
import type { ActorContext } from './auditService.ts'
import { ForbiddenError, type Capability, type Permissions } from './permissions.ts'

/** Who is reading, and in which force: the request's actor and Permissions, or the CLI's actor and chosen force. */
export interface Viewer {
  actor: ActorContext
  forceId: number
  permissions?: Permissions
}

/**
 * Throws ForbiddenError unless the viewer may use the capability (in that force, when given). A viewer without
 * Permissions (the CLI) may do anything in its own force and nothing in another.
 */
export function checkViewer(viewer: Viewer, capability: Capability, forceId?: number): void {
  if (viewer.permissions) viewer.permissions.check(capability, forceId)
  else if (forceId !== undefined && forceId !== viewer.forceId) throw new ForbiddenError(capability, forceId)
}

/** Input the user can correct, by form field (what the error summary lists and each field shows). */
export class FieldInputError extends Error {
  constructor(readonly errors: Record<string, string>) {
    super(Object.values(errors)[0] ?? 'The input is not valid')
    this.name = new.target.name
  }
}
