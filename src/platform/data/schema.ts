import type { Generated, Kysely, Transaction } from 'kysely'

// Conventions shared by every area (see docs/adr/0003-one-schema-for-sqlite-and-postgresql.md):
// timestamps are ISO-8601 text in UTC, dates 'YYYY-MM-DD' text, booleans integers 0/1, JSON text.

export interface ForceTable {
  id: Generated<number>
  code: string
  name: string
  created_at: string
}

export interface UserTable {
  id: Generated<number>
  username: string
  display_name: string
  email: string | null
  force_id: number
  /** Comma-separated role names. */
  roles: string
  oidc_subject: string | null
  active: number
  created_at: string
}

export interface SessionTable {
  sid: string
  data: string
  /** Milliseconds since the epoch. */
  expires_at: number
}

export interface AuditEventTable {
  id: Generated<number>
  occurred_at: string
  actor_id: number | null
  actor_username: string
  force_id: number | null
  action: string
  subject_type: string
  subject_id: string | null
  request_id: string | null
  details: string
  previous_hash: string
  hash: string
}

export interface AuditChainHeadTable {
  id: number
  last_id: number
  last_hash: string
  /** The first row hashed with the key (null until one is written); rows before it keep plain SHA-256 hashes. */
  keyed_from_id: number | null
  /** HMAC of keyed_from_id, so the switch point cannot be moved without the key. */
  keyed_from_mac: string | null
}

export interface PlatformTables {
  forces: ForceTable
  users: UserTable
  sessions: SessionTable
  audit_events: AuditEventTable
  audit_chain_head: AuditChainHeadTable
}

/**
 * An area's database (or transaction) seen with the platform's tables only: an area's table types extend the
 * platform's, so this narrows what is visible, never widens it.
 */
export function platformView<DB extends PlatformTables>(db: Transaction<DB>): Transaction<PlatformTables>
export function platformView<DB extends PlatformTables>(db: Kysely<DB> | Transaction<DB>): Kysely<PlatformTables>
export function platformView<DB extends PlatformTables>(db: Kysely<DB> | Transaction<DB>): Kysely<PlatformTables> {
  return db as unknown as Kysely<PlatformTables>
}
