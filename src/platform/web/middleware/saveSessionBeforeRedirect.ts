import type { NextFunction, Request, Response } from 'express'

/** What a session holds, less its cookie (whose expiry moves on every request). */
const contents = (req: Request) => {
  if (!req.session) return ''
  const { cookie: _cookie, ...rest } = req.session
  return JSON.stringify(rest)
}

/**
 * A redirect waits for a session it changed to be stored. express-session stores the session as the response ends, but
 * sends the headers first: a client that follows the redirect as soon as it has them (a browser, fetch) can ask for the
 * next page before the new session is there, and be sent back to sign in. Saved here only when the session changed (or
 * was replaced, as at sign-in), so an unchanged session costs no write, which on SQLite would wait behind an import.
 */
export function saveSessionBeforeRedirect(req: Request, res: Response, next: NextFunction): void {
  const loadedId = req.sessionID
  const loaded = contents(req)
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void
  res.redirect = ((...args: unknown[]) => {
    if (!req.session || (req.session.id === loadedId && contents(req) === loaded)) return redirect(...args)
    req.session.save((error) => (error ? next(error) : redirect(...args)))
  }) as Response['redirect']
  next()
}
