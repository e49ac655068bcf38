// A client that follows a redirect as soon as it has the headers finds the session the redirecting request stored, even
// when the store is slow (a busy database): express-session alone sends the headers before it stores the session.
import type { Server } from 'node:http'
import express from 'express'
import session from 'express-session'
import { afterEach, describe, expect, it } from 'vitest'
import { saveSessionBeforeRedirect } from '../../src/platform/web/middleware/saveSessionBeforeRedirect.ts'

/** A memory store whose writes take a while, counting them. */
class SlowStore extends session.MemoryStore {
  writes = 0
  override set(sid: string, sess: session.SessionData, callback?: (err?: unknown) => void): void {
    this.writes++
    setTimeout(() => super.set(sid, sess, callback), 150)
  }
}

declare module 'express-session' {
  interface SessionData {
    name?: string
  }
}

function appWith(store: SlowStore, middleware: express.RequestHandler[]) {
  const app = express()
  app.use(session({ secret: 'test', store, resave: false, saveUninitialized: false, rolling: true }))
  if (middleware.length) app.use(...middleware)
  app.post('/sign-in', (req, res) => {
    req.session.regenerate(() => {
      req.session.name = 'Alex'
      res.redirect('/home')
    })
  })
  app.get('/unchanged', (_req, res) => res.redirect('/home'))
  app.get('/home', (req, res) => {
    res.send(req.session.name ?? 'nobody')
  })
  return app
}

describe('saveSessionBeforeRedirect', () => {
  let server: Server | undefined
  afterEach(() => server?.close())

  const run = async (middleware: express.RequestHandler[]) => {
    const store = new SlowStore()
    server = appWith(store, middleware).listen(0)
    await new Promise((resolve) => server!.once('listening', resolve))
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    const signIn = await fetch(`${base}/sign-in`, { method: 'POST', redirect: 'manual' })
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]
    // Followed at once, as a browser does, without waiting for the rest of the answer.
    const home = await (await fetch(`${base}${signIn.headers.get('location')}`, { headers: { cookie } })).text()
    await signIn.text()
    const writes = store.writes
    await fetch(`${base}/unchanged`, { redirect: 'manual', headers: { cookie } })
    return { home, writesForUnchanged: store.writes - writes }
  }

  it('lets the next page find the session a redirect stored, and writes nothing when it did not change', async () => {
    expect(await run([saveSessionBeforeRedirect])).toEqual({ home: 'Alex', writesForUnchanged: 0 })
  })

  it('is needed: without it the next page can come before the session is stored', async () => {
    expect((await run([])).home).toBe('nobody')
  })
})
