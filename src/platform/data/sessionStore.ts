import session from 'express-session'
import type { Kysely } from 'kysely'
import type { PlatformTables } from './schema.ts'

const DEFAULT_TTL_MS = 8 * 60 * 60 * 1000
const TOUCH_EVERY_MS = 5 * 60 * 1000

/** express-session store on Threadline's own database, so sessions survive restarts on both dialects. */
export class DatabaseSessionStore extends session.Store {
  constructor(private readonly db: Kysely<PlatformTables>) {
    super()
  }

  private expiry(sess: session.SessionData): number {
    const expires = sess.cookie?.expires
    return expires ? new Date(expires).getTime() : Date.now() + DEFAULT_TTL_MS
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    this.db
      .selectFrom('sessions')
      .select(['data', 'expires_at'])
      .where('sid', '=', sid)
      .executeTakeFirst()
      .then((row) => callback(null, row && Number(row.expires_at) > Date.now() ? JSON.parse(row.data) : null))
      .catch((error: unknown) => callback(error))
  }

  override set(sid: string, sess: session.SessionData, callback?: (err?: unknown) => void): void {
    const values = { sid, data: JSON.stringify(sess), expires_at: this.expiry(sess) }
    this.db
      .insertInto('sessions')
      .values(values)
      .onConflict((oc) => oc.column('sid').doUpdateSet({ data: values.data, expires_at: values.expires_at }))
      .execute()
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error))
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.db
      .deleteFrom('sessions')
      .where('sid', '=', sid)
      .execute()
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error))
  }

  /** When each session's expiry was last written by this process: a touch within TOUCH_EVERY_MS writes nothing. */
  private readonly touched = new Map<string, number>()

  override touch(sid: string, sess: session.SessionData, callback?: () => void): void {
    // Every page view touches its session (rolling expiry); writing it each time is a write per request, which on SQLite
    // waits behind a running import's write lock. An expiry a few minutes behind changes nothing for an 8-hour session.
    const now = Date.now()
    if (now - (this.touched.get(sid) ?? 0) < TOUCH_EVERY_MS) {
      callback?.()
      return
    }
    if (this.touched.size >= 10_000) this.touched.clear()
    this.touched.set(sid, now)
    this.db
      .updateTable('sessions')
      .set({ expires_at: this.expiry(sess) })
      .where('sid', '=', sid)
      .execute()
      .then(() => callback?.())
      .catch(() => callback?.())
  }

  async prune(): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<', Date.now()).execute()
  }
}
