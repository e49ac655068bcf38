import { isLocalPath } from '../links.ts'
import { Router, type Request, type Response } from 'express'
import { rateLimit } from 'express-rate-limit'
import { z } from 'zod'
import type { PlatformServices } from '../area.ts'
import { ROLE_LABELS, type SessionUser } from '../services/permissions.ts'
import { OidcSignIn } from '../services/oidc.ts'

const devSignInBody = z.object({ username: z.string().min(1).max(64) })

/** Where to go after sign-in: a path within Threadline only (not `//host` nor `/\\host`, which leave it). */
export function safeReturnTo(value: string | undefined): string {
  return value && isLocalPath(value) ? value : '/'
}

export function authRouter(services: PlatformServices): Router {
  const router = Router()
  const { config, users, audit } = services
  const oidc = config.oidc ? new OidcSignIn(config.oidc, `${config.baseUrl}/sign-in/callback`) : null
  const signInLimiter = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: config.signInAttempts,
    // Failed sign-ins only: one office behind a proxy signs many people in, successfully, from one address.
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).render('platform/views/pages/error.njk', {
        status: 429,
        message: 'Too many sign-in attempts. Wait 15 minutes and try again.',
      })
    },
  })

  async function completeSignIn(req: Request, res: Response, user: SessionUser, method: string) {
    const returnTo = safeReturnTo(req.session.returnTo)
    // A form posted after the session ended waits for this sign-in, then goes back on its page with its answers.
    const keptForm = req.session.keptForm
    await new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())))
    req.session.user = user
    if (keptForm) req.session.keptForm = keptForm
    await audit.recordAlone(
      { actorId: user.id, actorUsername: user.username, forceId: user.forceId, requestId: res.locals.actor.requestId },
      { action: 'user.signed-in', subjectType: 'user', subjectId: user.id, details: { method } },
    )
    res.redirect(returnTo)
  }

  router.get('/sign-in', async (_req, res) => {
    const demoUsers = config.devSignInEnabled ? await users.list() : []
    res.render('platform/views/pages/sign-in.njk', {
      oidcEnabled: Boolean(oidc),
      devSignInEnabled: config.devSignInEnabled,
      demoUsers: demoUsers.map((user) => ({ ...user, roleLabels: user.roles.map((role) => ROLE_LABELS[role]) })),
    })
  })

  router.post('/sign-in/dev', signInLimiter, async (req, res) => {
    if (!config.devSignInEnabled) {
      res.status(404).render('platform/views/pages/error.njk', { status: 404 })
      return
    }
    const parsed = devSignInBody.safeParse(req.body)
    const user = parsed.success ? await users.sessionUserByUsername(parsed.data.username) : null
    if (!user) {
      res
        .status(400)
        .render('platform/views/pages/error.njk', { status: 400, message: 'Choose a demo user to sign in as.' })
      return
    }
    await completeSignIn(req, res, user, 'development')
  })

  router.get('/sign-in/oidc', signInLimiter, async (req, res) => {
    if (!oidc) {
      res.status(404).render('platform/views/pages/error.njk', { status: 404 })
      return
    }
    const { url, state } = await oidc.start()
    req.session.oidc = state
    res.redirect(url)
  })

  router.get('/sign-in/callback', signInLimiter, async (req, res) => {
    const pending = req.session.oidc
    if (!oidc || !pending) {
      res.redirect('/sign-in')
      return
    }
    delete req.session.oidc
    const claims = await oidc.finish(new URL(req.originalUrl, config.baseUrl), pending)
    const actor = {
      actorId: null,
      actorUsername: claims.preferred_username ?? claims.sub,
      forceId: null,
      requestId: res.locals.actor.requestId,
    }
    const user = await users.sessionUserForOidc(actor, claims)
    if (!user) {
      await audit.recordAlone(actor, {
        action: 'user.sign-in-refused',
        subjectType: 'oidc-subject',
        subjectId: claims.sub,
      })
      res.status(403).render('platform/views/pages/error.njk', {
        status: 403,
        message: 'Your account is not set up in Threadline. Ask your force administrator to add you.',
      })
      return
    }
    await completeSignIn(req, res, user, 'oidc')
  })

  router.post('/sign-out', async (req, res) => {
    const user = req.session.user
    if (user) {
      await audit.recordAlone(
        {
          actorId: user.id,
          actorUsername: user.username,
          forceId: user.forceId,
          requestId: res.locals.actor.requestId,
        },
        { action: 'user.signed-out', subjectType: 'user', subjectId: user.id },
      )
    }
    req.session.destroy(() => res.redirect('/sign-in'))
  })

  return router
}
