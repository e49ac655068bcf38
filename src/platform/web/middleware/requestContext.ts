import { randomBytes, randomUUID } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import type { ActorContext } from '../../services/auditService.ts'
import { Permissions } from '../../services/permissions.ts'

declare module 'express-session' {
  interface SessionData {
    user?: import('../../services/permissions.ts').SessionUser
    returnTo?: string
    oidc?: { codeVerifier: string; state: string; nonce: string }
    flash?: { type: 'success' | 'error'; text: string }
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      cspNonce: string
      permissions: Permissions
      actor: ActorContext
      csrfToken?: string
      currentPath?: string
      navigation?: import('../navigation.ts').NavigationItem[]
      flash?: { type: 'success' | 'error'; text: string }
      user?: import('../../services/permissions.ts').SessionUser
    }
  }
}

export function requestId(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.get('x-request-id')
  req.id = incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID()
  res.setHeader('x-request-id', String(req.id))
  res.locals.cspNonce = randomBytes(16).toString('base64')
  next()
}

/** Builds the request's Permissions and the actor that services write into the audit log. */
export function currentUser(req: Request, res: Response, next: NextFunction): void {
  const user = req.session?.user ?? null
  res.locals.user = user ?? undefined
  res.locals.currentPath = req.path
  res.locals.permissions = new Permissions(user)
  res.locals.actor = {
    actorId: user?.id ?? null,
    actorUsername: user?.username ?? 'anonymous',
    forceId: user?.forceId ?? null,
    requestId: String(req.id),
  }
  const flash = req.session?.flash
  if (flash) {
    res.locals.flash = flash
    delete req.session.flash
  }
  next()
}

export function requireSignIn(req: Request, res: Response, next: NextFunction): void {
  if (res.locals.permissions.signedIn) return next()
  if (req.path.startsWith('/api/') || req.originalUrl.startsWith('/api/')) {
    res.status(401).json({ error: 'Sign in required' })
    return
  }
  // Only pages are worth returning to: not icons or files a browser fetched on its own.
  const isPage = req.method === 'GET' && !/\.[a-z0-9]{2,5}$/i.test(req.path) && req.accepts(['html', 'json']) === 'html'
  if (isPage && req.session) req.session.returnTo = req.originalUrl
  res.redirect('/sign-in')
}
