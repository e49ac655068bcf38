// Shared by every area's services: who is asking, and the error that carries a message per form field.
import type { ActorContext } from './auditService.ts'
import type { Permissions } from './permissions.ts'

/** Who is reading, and in which force: the request's actor and Permissions, or the CLI's actor and chosen force. */
export interface Viewer {
  actor: ActorContext
  forceId: number
  permissions?: Permissions
}

/** Input the user can correct, by form field (what the error summary lists and each field shows). */
export class FieldInputError extends Error {
  constructor(readonly errors: Record<string, string>) {
    super(Object.values(errors)[0] ?? 'The input is not valid')
    this.name = new.target.name
  }
}
