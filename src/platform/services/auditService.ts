import { createHash } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { AuditRepository, StoredAuditEvent } from '../data/auditRepository.ts'
import { platformView, type PlatformTables } from '../data/schema.ts'

/** Who is acting, carried from the request (or the CLI) into every service call that changes or reads a record. */
export interface ActorContext {
  actorId: number | null
  actorUsername: string
  forceId: number | null
  requestId: string | null
}

export const SYSTEM_ACTOR: ActorContext = { actorId: null, actorUsername: 'system', forceId: null, requestId: null }

export interface AuditEntry {
  action: string
  subjectType: string
  subjectId: string | number | null
  details?: Record<string, unknown>
}

export const GENESIS_HASH = '0'.repeat(64)

export function hashAuditEvent(event: Omit<StoredAuditEvent, 'id' | 'hash'>): string {
  const canonical = JSON.stringify([
    event.previous_hash,
    event.occurred_at,
    event.actor_id,
    event.actor_username,
    event.force_id,
    event.action,
    event.subject_type,
    event.subject_id,
    event.request_id,
    event.details,
  ])
  return createHash('sha256').update(canonical).digest('hex')
}

export interface VerifyResult {
  ok: boolean
  checked: number
  /** The first row whose hash or link does not match, with what was wrong. */
  firstBroken: { id: number; reason: string } | null
}

export class AuditService {
  constructor(
    private readonly db: Kysely<PlatformTables>,
    private readonly repository: AuditRepository,
  ) {}

  /** Appends to the audit log inside the caller's transaction, so the entry and the change commit together. */
  async record<DB extends PlatformTables>(
    areaTransaction: Transaction<DB>,
    actor: ActorContext,
    entry: AuditEntry,
  ): Promise<void> {
    const trx = platformView(areaTransaction)
    const head = await this.repository.lockHead(trx)
    const event = {
      occurred_at: new Date().toISOString(),
      actor_id: actor.actorId,
      actor_username: actor.actorUsername,
      force_id: actor.forceId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId === null ? null : String(entry.subjectId),
      request_id: actor.requestId,
      details: JSON.stringify(entry.details ?? {}),
      previous_hash: head.last_hash,
    }
    const hash = hashAuditEvent(event)
    const id = await this.repository.insert(trx, { ...event, hash })
    await this.repository.moveHead(trx, id, hash)
  }

  /** Records in a transaction of its own: for events with no other change (a read, a refused access, a sign-in). */
  async recordAlone(actor: ActorContext, entry: AuditEntry): Promise<void> {
    await this.db.transaction().execute((trx) => this.record(trx, actor, entry))
  }

  async historyOf(subjectType: string, subjectId: string | number, limit = 200): Promise<StoredAuditEvent[]> {
    return this.repository.forSubject(subjectType, String(subjectId), limit)
  }

  async recent(forceId: number | null, limit = 100): Promise<StoredAuditEvent[]> {
    return this.repository.recent(forceId, limit)
  }

  /** Walks the chain from the start and reports the first row that was changed, removed or inserted out of band. */
  async verify(): Promise<VerifyResult> {
    let previous = GENESIS_HASH
    let checked = 0
    for await (const row of this.repository.iterateAll()) {
      checked++
      if (row.previous_hash !== previous) {
        return { ok: false, checked, firstBroken: { id: row.id, reason: 'its link to the previous row is broken' } }
      }
      if (hashAuditEvent(row) !== row.hash) {
        return { ok: false, checked, firstBroken: { id: row.id, reason: 'its contents do not match its hash' } }
      }
      previous = row.hash
    }
    const head = await this.repository.head()
    if (head.last_hash !== previous) {
      return { ok: false, checked, firstBroken: { id: head.last_id, reason: 'rows at the end of the log are missing' } }
    }
    return { ok: true, checked, firstBroken: null }
  }
}
