import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { csrfSync } from 'csrf-sync'
import express, { type NextFunction, type Request, type Response } from 'express'
import session from 'express-session'
import helmet from 'helmet'
import multer from 'multer'
import { pino, type Logger } from 'pino'
import { pinoHttp } from 'pino-http'
import type { AreaWeb, PlatformServices, WiredArea } from '../area.ts'
import { isDatabaseBusy } from '../data/database.ts'
import { adminRouter } from '../routes/admin.ts'
import { authRouter } from '../routes/auth.ts'
import { healthRouter } from '../routes/health.ts'
import { homeRouter } from '../routes/home.ts'
import { publicPagesRouter } from '../routes/publicPages.ts'
import { buildOpenApiDocument } from '../openapi.ts'
import { ForbiddenError } from '../services/permissions.ts'
import type { ActorContext } from '../services/auditService.ts'
import { HttpError } from './errors.ts'
import { dateInputs, keepFormAcrossSignIn, pagePatterns, personNames } from './middleware/pagePatterns.ts'
import { currentUser, requestId, requireSignIn } from './middleware/requestContext.ts'
import { saveSessionBeforeRedirect } from './middleware/saveSessionBeforeRedirect.ts'
import { buildNavigation, hubRouter } from './navigation.ts'
import { configureNunjucks } from './nunjucks.ts'
import { isStreamedUpload } from './streamedUpload.ts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/** Largest upload accepted anywhere (supporting documents, plan files, crime extracts through the browser). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024

export function createLogger(level: string): Logger {
  return pino({
    level,
    // Logs carry no personal data: no bodies, no query strings, no cookies.
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
  })
}

/** What the web app needs: the platform's services and the wired areas (the composition root's list). */
export type WebAppServices = PlatformServices & { areas: readonly WiredArea[] }

export function createApp(services: WebAppServices, logger: Logger = createLogger(services.config.logLevel)) {
  const { config } = services
  const app = express()
  app.disable('x-powered-by')
  if (config.trustProxy) app.set('trust proxy', config.trustProxy)
  configureNunjucks(app)
  app.set('view engine', 'njk')

  // 1. Who and what: request id and CSP nonce first, so every later log line and page has them.
  app.use(requestId)
  app.use(
    pinoHttp({
      logger,
      genReqId: (req) => (req as Request).id,
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url?.startsWith('/assets/') ?? false },
    }),
  )

  // 2. Security headers, with a fresh nonce for each page's scripts.
  app.use((req, res, next) =>
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", `'nonce-${res.locals.cspNonce}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          formAction: ["'self'", ...(config.oidc ? [new URL(config.oidc.issuer).origin] : [])],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: config.secureCookies ? [] : null,
        },
      },
      hsts: config.secureCookies,
      // Our own pages learn which page a form was on (to return there after a post or a new sign-in); no other site
      // learns anything.
      referrerPolicy: { policy: 'same-origin' },
    })(req, res, next),
  )

  // 3. Static assets, before sessions so they cost no database round trip.
  app.use(
    '/assets',
    express.static(join(root, 'dist', 'assets'), { maxAge: config.environment === 'production' ? '1d' : 0 }),
  )
  app.use('/health', healthRouter(services))
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end()
  })

  // 4. Bodies, sessions, uploads and CSRF, in that order: the CSRF token can sit in a multipart body.
  app.use(express.urlencoded({ extended: false, limit: '1mb' }))
  app.use(express.json({ limit: '1mb' }))
  app.use(
    session({
      name: 'threadline.sid',
      secret: config.sessionSecret,
      store: services.sessionStore,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: 8 * 60 * 60 * 1000 },
    }),
    saveSessionBeforeRedirect,
  )
  const areas: AreaWeb[] = services.areas.flatMap((area) => (area.web ? [area.web()] : []))
  // Routes that stream large uploads to disk themselves (streamedUpload.ts), after sign-in, checking the CSRF token.
  const streamedUploads = new Set(areas.flatMap((area) => area.streamedUploads ?? []))
  const streamed = (req: Request) => isStreamedUpload(req, streamedUploads)
  const uploads = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 5, fields: 50 },
    // Browsers send a file's name as raw UTF-8; read as Latin-1 (the default) "Café" would become "CafÃ©".
    defParamCharset: 'utf8',
  } as multer.Options).any()
  app.use((req, res, next) => (streamed(req) ? next() : uploads(req, res, next)))
  app.use(dateInputs, keepFormAcrossSignIn)
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => (req.body?._csrf as string | undefined) ?? req.get('x-csrf-token'),
  })
  // A JSON API call carrying a bearer key (an organisation's own case system) needs no CSRF token: a browser never
  // sends an Authorization header by itself, and another site cannot make it send one without CORS, which is off.
  const bearerApiCall = (req: Request) =>
    req.path.startsWith('/api/') && /^Bearer\s/i.test(req.get('authorization') ?? '')
  app.use((req, res, next) =>
    bearerApiCall(req) || streamed(req) ? next() : csrfSynchronisedProtection(req, res, next),
  )
  app.use((req, res, next) => {
    res.locals.csrfToken = generateToken(req)
    next()
  })

  // 5. The signed-in user and the request's Permissions.
  app.use(
    currentUser,
    pagePatterns,
    personNames(() => services.users.list()),
  )

  const navigationEntries = areas.flatMap((area) => area.navigation ?? [])
  app.use((_req, res, next) => {
    const permissions = res.locals.permissions
    res.locals.navigation = buildNavigation(navigationEntries, permissions)
    next()
  })

  // 6. Public pages: sign-in and published plans.
  app.use(authRouter(services), publicPagesRouter())
  for (const area of areas) for (const { path, router } of area.publicRouters ?? []) app.use(path, router)

  // 7. Everything else needs a signed-in user.
  app.use(requireSignIn)
  for (const area of areas) if (area.middleware?.length) app.use(...area.middleware)
  const openapi = buildOpenApiDocument(areas)
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openapi)
  })
  app.use('/admin', adminRouter(services))
  for (const area of areas) for (const { path, router } of area.routers ?? []) app.use(path, router)
  // The fallback home page, for those no area gives one (case work gives My work to anyone who works on cases).
  app.use(homeRouter(services), hubRouter(navigationEntries))

  // 8. Not found, then errors: no stack traces to users, refused access audited.
  app.use((_req, _res, next) => next(new HttpError(404, 'Page not found')))
  app.use(async (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const hidden = hidesAnotherForcesRecord(error, res)
    const status = hidden ? 404 : errorStatus(error)
    if (error instanceof ForbiddenError) {
      const actor: ActorContext = res.locals.actor ?? {
        actorId: null,
        actorUsername: 'anonymous',
        forceId: null,
        requestId: String(req.id),
      }
      const entry = {
        action: 'access.denied',
        subjectType: 'route',
        subjectId: req.originalUrl.split('?')[0],
        details: { capability: error.capability, forceId: error.forceId, method: req.method, answered: status },
      }
      // Logged for the requester's force and for the force whose record it was, so that force sees the attempt too.
      const owner =
        error.forceId !== null && error.forceId !== actor.forceId ? [{ ...entry, forceId: error.forceId }] : []
      await services.audit
        .recordAlone(actor, entry, ...owner)
        .catch((auditError: unknown) => req.log.error({ err: auditError }, 'could not audit a refused access'))
    }
    const busy = isDatabaseBusy(error)
    if (busy) req.log.warn({ err: error }, 'database busy')
    else if (status >= 500) req.log.error({ err: error }, 'request failed')
    if (res.headersSent) return
    res.status(status)
    if (busy) res.set('Retry-After', String(BUSY_RETRY_SECONDS))
    const message = busy
      ? 'The records are being updated (a large import holds them), so this could not be done just now. Nothing was saved. Try again in a minute.'
      : status === 403 && isCsrfError(error)
        ? 'This form has expired. Go back, reload the page and try again.'
        : status === 413
          ? `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Go back and choose a smaller file; nothing was saved.`
          : null
    if (req.originalUrl.startsWith('/api/')) {
      res.json({
        error:
          status >= 500 && !busy
            ? 'Something went wrong'
            : hidden
              ? 'Page not found'
              : error instanceof ForbiddenError
                ? 'You do not have access to this'
                : (message ?? (error as Error).message),
        requestId: String(req.id),
      })
      return
    }
    res.render(
      'platform/views/pages/error.njk',
      { status, message, requestId: String(req.id) },
      (renderError, html) => {
        if (renderError) {
          req.log.error({ err: renderError }, 'could not render the error page')
          res.type('text/plain').send(`Sorry, there is a problem with the service. Reference: ${String(req.id)}`)
        } else {
          res.send(html)
        }
      },
    )
  })
  return app
}

/**
 * Another force's record answers 404, as a missing one does: a 403 would tell the user the record exists. Still audited
 * as a refused access. A plan the user may read (the national lead reads every force's) keeps its 403 for editing.
 */
function hidesAnotherForcesRecord(error: unknown, res: Response): boolean {
  if (!(error instanceof ForbiddenError) || error.forceId === null) return false
  const permissions = res.locals.permissions
  if (!permissions?.signedIn || error.forceId === permissions.forceId) return false
  return !(error.capability.startsWith('plan:') && permissions.can('plan:read', error.forceId))
}

function isCsrfError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'EBADCSRFTOKEN'
}

const BUSY_RETRY_SECONDS = 60
function errorStatus(error: unknown): number {
  if (error instanceof HttpError || error instanceof ForbiddenError) return error.status
  if (isDatabaseBusy(error)) return 503
  if (isCsrfError(error)) return 403
  if (error instanceof multer.MulterError) return error.code === 'LIMIT_FILE_SIZE' ? 413 : 400
  const status =
    (error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500
}
