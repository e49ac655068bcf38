import { createHash, createHmac } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import { AuditCheckpointFile } from '../data/auditCheckpointFile.ts'
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

/**
 * The actor acting on one force's records: a CLI or system actor (no force of its own) takes the force it acts in, so
 * that force's administrators see the row; a user keeps theirs (they act only within their force).
 */
export function actorInForce(actor: ActorContext, forceId: number): ActorContext {
  return actor.forceId === null ? { ...actor, forceId } : actor
}

export interface AuditEntry {
  action: string
  subjectType: string
  subjectId: string | number | null
  details?: Record<string, unknown>
  /** The force the row concerns when it is not the actor's (a user record the CLI adds, a refused look at another force's record). */
  forceId?: number | null
}

export const GENESIS_HASH = '0'.repeat(64)

type HashedFields = Omit<StoredAuditEvent, 'id' | 'hash'>

function canonicalEvent(event: HashedFields): string {
  return JSON.stringify([
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
}

/** The plain SHA-256 of rows written before keyed hashes (kept to verify them: docs/adr/0016). */
export function hashAuditEvent(event: HashedFields): string {
  return createHash('sha256').update(canonicalEvent(event)).digest('hex')
}

/** The key held outside the database, and where checkpoints of the chain's head are appended. */
export interface AuditKeying {
  /** Read when first needed (a command that audits nothing makes no key). */
  key: () => Buffer
  checkpointFile: string | null
}

/** A checkpoint: the chain's head at a moment, with where keyed hashes begin, signed with the key. */
export interface AuditCheckpoint {
  v: 1
  at: string
  lastId: number
  lastHash: string
  keyedFromId: number | null
  mac: string
}

export interface VerifyResult {
  ok: boolean
  checked: number
  /** The first row whose hash or link does not match, with what was wrong. */
  firstBroken: { id: number; reason: string } | null
  /** Checkpoints compared with the chain (all of them when the chain is intact). */
  checkpoints: number
  /** The checkpoint file compared with; null: none configured. */
  checkpointFile: string | null
}

interface HeldEntry {
  actor: ActorContext
  entry: AuditEntry
  occurredAt: string
}

export class AuditService {
  /** Entries a long transaction holds back until its work is done (heldUntilEnd), by transaction. */
  private readonly held = new WeakMap<object, HeldEntry[]>()
  private keys: { rows: Buffer; switchPoint: Buffer; checkpoints: Buffer } | null = null
  private readonly checkpointFile: AuditCheckpointFile | null
  private lastCheckpoint: { lastId: number; lastHash: string } | null = null

  constructor(
    private readonly db: Kysely<PlatformTables>,
    private readonly repository: AuditRepository,
    private readonly keying: AuditKeying,
  ) {
    this.checkpointFile = keying.checkpointFile ? new AuditCheckpointFile(keying.checkpointFile) : null
  }

  /** One key for each use, derived from the configured key, so a MAC of one kind never stands for another. */
  private mac(use: 'rows' | 'switchPoint' | 'checkpoints', text: string): string {
    if (!this.keys) {
      const key = this.keying.key()
      const derive = (label: string) => createHmac('sha256', key).update(`threadline audit ${label}`).digest()
      this.keys = { rows: derive('rows'), switchPoint: derive('keyed-from'), checkpoints: derive('checkpoints') }
    }
    return createHmac('sha256', this.keys[use]).update(text).digest('hex')
  }

  private keyedHash(event: HashedFields): string {
    return this.mac('rows', canonicalEvent(event))
  }

  /** Appends to the audit log inside the caller's transaction, so the entry and the change commit together. */
  async record<DB extends PlatformTables>(
    areaTransaction: Transaction<DB>,
    actor: ActorContext,
    entry: AuditEntry,
  ): Promise<void> {
    const held = this.held.get(areaTransaction)
    if (held) {
      held.push({ actor, entry, occurredAt: new Date().toISOString() })
      return
    }
    await this.append(areaTransaction, actor, entry, new Date().toISOString())
  }

  /**
   * Runs a long piece of work in a transaction with its audit entries held back, then appends them, in order, as its
   * last statements. The chain's head (on SQLite, the audit file's lock: docs/adr/0017) is then taken only at the end,
   * so page views, whose own audit rows need it, do not wait for the whole run. The entries still commit with the work.
   */
  async heldUntilEnd<DB extends PlatformTables, T>(
    areaTransaction: Transaction<DB>,
    work: () => Promise<T>,
  ): Promise<T> {
    const held: HeldEntry[] = []
    this.held.set(areaTransaction, held)
    let result: T
    try {
      result = await work()
    } finally {
      this.held.delete(areaTransaction)
    }
    for (const { actor, entry, occurredAt } of held) await this.append(areaTransaction, actor, entry, occurredAt)
    return result
  }

  private async append<DB extends PlatformTables>(
    areaTransaction: Transaction<DB>,
    actor: ActorContext,
    entry: AuditEntry,
    occurredAt: string,
  ): Promise<void> {
    const trx = platformView(areaTransaction)
    const head = await this.repository.lockHead(trx)
    const event = {
      occurred_at: occurredAt,
      actor_id: actor.actorId,
      actor_username: actor.actorUsername,
      force_id: entry.forceId !== undefined ? entry.forceId : actor.forceId,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId === null ? null : String(entry.subjectId),
      request_id: actor.requestId,
      details: JSON.stringify(entry.details ?? {}),
      previous_hash: head.last_hash,
    }
    // Every new row is keyed; the first one written after the upgrade records where keyed rows begin.
    const hash = this.keyedHash(event)
    const id = await this.repository.insert(trx, { ...event, hash })
    await this.repository.moveHead(trx, id, hash)
    if (head.keyed_from_id === null) await this.repository.setKeyedFrom(trx, id, this.mac('switchPoint', String(id)))
  }

  /** Records in a transaction of its own: for events with no other change (a read, a refused access, a sign-in). */
  async recordAlone(actor: ActorContext, ...entries: AuditEntry[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const entry of entries) await this.record(trx, actor, entry)
    })
  }

  /** A record's history: every row about it, or (with a force) only the rows that concern that force. */
  async historyOf(
    subjectType: string,
    subjectId: string | number,
    options: { limit?: number; forceId?: number } = {},
  ): Promise<StoredAuditEvent[]> {
    return this.repository.forSubject(subjectType, String(subjectId), options.limit ?? 200, options.forceId)
  }

  /** The chain's head: its last event's id and hash. */
  async head(): Promise<{ lastId: number; lastHash: string }> {
    const head = await this.repository.head()
    return { lastId: head.last_id, lastHash: head.last_hash }
  }

  /** A force's latest rows: only the rows that concern it. */
  async recent(forceId: number, limit = 100): Promise<StoredAuditEvent[]> {
    return this.repository.recent(forceId, limit)
  }

  private signCheckpoint(checkpoint: Omit<AuditCheckpoint, 'mac'>): string {
    const { v, at, lastId, lastHash, keyedFromId } = checkpoint
    return this.mac('checkpoints', JSON.stringify([v, at, lastId, lastHash, keyedFromId]))
  }

  /**
   * Appends a signed checkpoint of the chain's head to the checkpoint file when the head has moved since the last one.
   * Returns whether one was written (false: nothing new, or no file configured).
   */
  async checkpoint(): Promise<boolean> {
    if (!this.checkpointFile) return false
    const head = await this.repository.head()
    if (!this.lastCheckpoint) {
      const last = this.checkpointFile.lastLine()
      if (last) {
        try {
          this.lastCheckpoint = JSON.parse(last) as AuditCheckpoint
        } catch {
          this.lastCheckpoint = null
        }
      }
    }
    if (this.lastCheckpoint?.lastId === head.last_id && this.lastCheckpoint.lastHash === head.last_hash) return false
    const unsigned = {
      v: 1 as const,
      at: new Date().toISOString(),
      lastId: head.last_id,
      lastHash: head.last_hash,
      keyedFromId: head.keyed_from_id,
    }
    this.checkpointFile.append(JSON.stringify({ ...unsigned, mac: this.signCheckpoint(unsigned) }))
    this.lastCheckpoint = unsigned
    return true
  }

  /** Every checkpoint in the file, each checked for its signature; the first unreadable or unsigned one stops it. */
  private readCheckpoints(): { checkpoints: AuditCheckpoint[]; problem: string | null } {
    const checkpoints: AuditCheckpoint[] = []
    const lines = this.checkpointFile?.lines() ?? []
    for (const [index, line] of lines.entries()) {
      let checkpoint: AuditCheckpoint
      try {
        checkpoint = JSON.parse(line) as AuditCheckpoint
      } catch {
        return { checkpoints, problem: `line ${index + 1} of the checkpoint file is not a checkpoint` }
      }
      if (typeof checkpoint.mac !== 'string' || checkpoint.mac !== this.signCheckpoint(checkpoint)) {
        return {
          checkpoints,
          problem: `the checkpoint on line ${index + 1} of the checkpoint file is not signed with the key`,
        }
      }
      checkpoints.push(checkpoint)
    }
    return { checkpoints, problem: null }
  }

  /**
   * Walks the chain from the start and reports the first row that was changed, removed or inserted out of band:
   * rows from the switch point on must carry the keyed hash (a chain recomputed without the key fails here), and the
   * chain must still hold every signed checkpoint's head (a chain cut short with its head moved back, or rewritten
   * with the key, fails there).
   */
  async verify(): Promise<VerifyResult> {
    const head = await this.repository.head()
    const file = this.checkpointFile?.path ?? null
    const broken = (checked: number, id: number, reason: string, checkpoints = 0): VerifyResult => ({
      ok: false,
      checked,
      firstBroken: { id, reason },
      checkpoints,
      checkpointFile: file,
    })
    const keyedFrom = head.keyed_from_id
    if (keyedFrom !== null && head.keyed_from_mac !== this.mac('switchPoint', String(keyedFrom))) {
      return broken(0, keyedFrom, 'the point where keyed hashes begin was moved, or the key is not the one in use')
    }
    const { checkpoints, problem } = this.readCheckpoints()
    if (problem) return broken(0, 0, problem)
    const wanted = new Set(checkpoints.map((checkpoint) => checkpoint.lastId))
    const seen = new Map<number, string>()
    let previous = GENESIS_HASH
    let checked = 0
    for await (const row of this.repository.iterateAll()) {
      checked++
      if (row.previous_hash !== previous) return broken(checked, row.id, 'its link to the previous row is broken')
      const keyed = keyedFrom !== null && row.id >= keyedFrom
      if ((keyed ? this.keyedHash(row) : hashAuditEvent(row)) !== row.hash) {
        return broken(
          checked,
          row.id,
          keyed ? 'its contents do not match its keyed hash' : 'its contents do not match its hash',
        )
      }
      if (wanted.has(row.id)) seen.set(row.id, row.hash)
      previous = row.hash
    }
    if (head.last_hash !== previous) return broken(checked, head.last_id, 'rows at the end of the log are missing')
    for (const [index, checkpoint] of checkpoints.entries()) {
      if (checkpoint.keyedFromId !== null && checkpoint.keyedFromId !== keyedFrom) {
        return broken(
          checked,
          checkpoint.keyedFromId,
          `keyed hashes began here at the checkpoint of ${checkpoint.at}, not where the database now says`,
          index,
        )
      }
      if (checkpoint.lastId === 0) continue
      const hash = seen.get(checkpoint.lastId)
      if (hash === undefined) {
        return broken(
          checked,
          checkpoint.lastId,
          `it was the chain's head at the checkpoint of ${checkpoint.at} and is no longer in the log: rows were removed`,
          index,
        )
      }
      if (hash !== checkpoint.lastHash) {
        return broken(
          checked,
          checkpoint.lastId,
          `it differs from the checkpoint of ${checkpoint.at}: the chain was rewritten`,
          index,
        )
      }
    }
    return { ok: true, checked, firstBroken: null, checkpoints: checkpoints.length, checkpointFile: file }
  }
}
