// The page patterns that belong to every request rather than to one page (docs/page-patterns.md): dates read one way,
// a form kept across an ended session, Post/Redirect/Get after every post, no cached signed-in page.
import type { NextFunction, Request, Response } from 'express'
import { foldDateInputs } from '../../dateInput.ts'
import type { SessionUser } from '../../services/permissions.ts'
import { refreshPersonNames } from '../../words.ts'

/** A form posted after the session ended: kept until the user has signed in again and is back on the form's page. */
export interface KeptForm {
  /** Where the form posts to (path and query). */
  action: string
  /** The page the form was on (path and query), where the user returns after signing in. */
  page: string
  fields: Record<string, string | string[]>
  /** Files cannot be kept: the names of the file fields, to ask for them again. */
  files: string[]
  at: number
}

/** What a post rendered (a form with its errors, a result), shown once by the GET it redirected to. */
interface PostResult {
  url: string
  status: number
  html: string
  at: number
}

declare module 'express-session' {
  interface SessionData {
    keptForm?: KeptForm
    postResult?: PostResult
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      keptForm?: KeptForm
      signInKeepsForm?: boolean
      dateInputErrors?: Record<string, string>
      /** A page the public reads: the public layout. */
      publicPage?: boolean
    }
  }
}

const KEEP_MS = 60 * 60 * 1000
const RESULT_MS = 5 * 60 * 1000
const MAX_KEPT_CHARS = 200_000
const NONCE_MARK = '__tl_nonce__'

const isApi = (req: Request) => req.originalUrl.startsWith('/api/')

/** The same-origin page a request came from (path and query), or null: only our own pages are returned to. */
export function sameOriginPage(req: Request): string | null {
  const host = req.get('host')
  const origin = req.get('origin')
  if (origin && (origin === 'null' || new URL(origin).host !== host)) return null
  const referer = req.get('referer')
  if (!referer) return null
  try {
    const url = new URL(referer)
    if (url.host !== host) return null
    return `${url.pathname}${url.search}`
  } catch {
    return null
  }
}

/**
 * Folds the GOV.UK date inputs of every form body and query string (`<name>-day`, `-month`, `-year`) into `<name>`
 * with the one date parser, so routes read 'YYYY-MM-DD' whether the user typed 27 3 2025 in three fields or
 * 27/3/2025 in one.
 */
export function dateInputs(req: Request, res: Response, next: NextFunction): void {
  if (req.body && typeof req.body === 'object' && !Array.isArray(req.body)) {
    const errors = foldDateInputs(req.body as Record<string, unknown>)
    if (Object.keys(errors).length) res.locals.dateInputErrors = errors
  }
  if (Object.keys(req.query).some((key) => key.endsWith('-day'))) {
    const query = { ...req.query } as Record<string, unknown>
    const errors = foldDateInputs(query)
    if (Object.keys(errors).length) res.locals.dateInputErrors = { ...res.locals.dateInputErrors, ...errors }
    Object.defineProperty(req, 'query', { value: query, writable: true, configurable: true, enumerable: true })
  }
  next()
}

/**
 * Before the CSRF check: a form posted from one of our pages by a browser whose session has ended (signed out in
 * another tab, or timed out) is kept in a fresh session, and the user is asked to sign in again; signing in returns
 * them to the form with their answers (see `restoreKeptForm`). Never "You do not have access", never lost answers.
 */
export function keepFormAcrossSignIn(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'POST' || isApi(req) || req.session?.user || req.path.startsWith('/sign-')) return next()
  const page = sameOriginPage(req)
  if (!page || !req.session || page.startsWith('/sign-')) return next()
  const fields: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
    if (name === '_csrf') continue
    if (typeof value === 'string') fields[name] = value
    else if (Array.isArray(value)) fields[name] = value.filter((item): item is string => typeof item === 'string')
  }
  if (JSON.stringify(fields).length > MAX_KEPT_CHARS) return next()
  const files = [...new Set(((req.files as Express.Multer.File[] | undefined) ?? []).map((file) => file.fieldname))]
  req.session.keptForm = { action: req.originalUrl, page, fields, files, at: Date.now() }
  req.session.returnTo = page
  res.redirect(303, '/sign-in')
}

/**
 * After the user is known: puts a kept form back on its page once they have signed in again; serves once what a post
 * rendered at the page it redirected to; and makes every post that renders a page (its errors, a result) redirect
 * there instead (Post/Redirect/Get), so Back and reload never post again or show an old error.
 */
export function pagePatterns(req: Request, res: Response, next: NextFunction): void {
  const session = req.session
  if (!session) return next()
  res.locals.signInKeepsForm = Boolean(session.keptForm && !session.user)
  // Signed-in pages, exports and API answers hold personal data: never kept in a cache (nor the back-forward cache).
  if (session.user || isApi(req)) res.set('Cache-Control', 'no-store')
  if (req.method === 'GET' && session.user) {
    const kept = session.keptForm
    if (kept && (Date.now() - kept.at > KEEP_MS || kept.page === req.originalUrl)) {
      delete session.keptForm
      if (Date.now() - kept.at <= KEEP_MS) res.locals.keptForm = kept
    }
    const result = session.postResult
    if (result && result.url === req.originalUrl) {
      delete session.postResult
      if (Date.now() - result.at <= RESULT_MS) {
        res.status(result.status).type('html').send(result.html.replaceAll(NONCE_MARK, res.locals.cspNonce))
        return
      }
    }
  }
  if (req.method === 'POST' && session.user && !isApi(req)) redirectAfterPost(req, res)
  next()
}

/** Statuses whose page belongs to the post itself (refused, missing, too large, busy, failed): rendered in place. */
const IN_PLACE = new Set([401, 403, 404, 413, 429])

function redirectAfterPost(req: Request, res: Response): void {
  const page = sameOriginPage(req)
  if (!page) return
  const render = res.render.bind(res)
  res.render = ((view: string, options?: object | ((error: Error, html: string) => void), callback?: unknown) => {
    if (typeof options === 'function' || callback || view.endsWith('/error.njk')) {
      return render(view, options as object, callback as (error: Error, html: string) => void)
    }
    render(view, options ?? {}, (error: Error | null, html: string) => {
      if (error) return req.next?.(error)
      if (IN_PLACE.has(res.statusCode) || res.statusCode >= 500) return res.send(html)
      req.session.postResult = {
        url: page,
        status: res.statusCode,
        html: html
          .replaceAll(`nonce="${res.locals.cspNonce}"`, `nonce="${NONCE_MARK}"`)
          .replace('</head>', '<meta name="tl-once" content="post-result"></head>'),
        at: Date.now(),
      }
      res.redirect(303, page)
    })
  }) as Response['render']
}

/** Keeps the names pages show for the usernames records hold fresh (the `personName` filter), for signed-in pages. */
export function personNames(list: () => Promise<SessionUser[]>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!res.locals.permissions?.signedIn || isApi(req)) return next()
    refreshPersonNames(list).then(() => next(), next)
  }
}
