import type { NextFunction, Request, Response } from 'express'
import type { Capability } from '../../services/permissions.ts'

/** Router-level guard: the request's Permissions must allow the capability (in the user's own force). */
export function requireCapability(capability: Capability) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    res.locals.permissions.check(capability)
    next()
  }
}
