import type { Generated } from 'kysely'
import type { AssuranceTables } from '../../assurance/data/tables.ts'
import type { CaseTables } from '../../cases/data/tables.ts'
import type { CrimeTables } from '../../crime/data/tables.ts'
import type { InvestigationTables } from '../../investigation/data/tables.ts'
import type { PlanTables } from '../../plan/data/tables.ts'
import type { SafeguardingTables } from '../../safeguarding/data/tables.ts'
import type { ScreeningTables } from '../../screening/data/tables.ts'
import type { VictimTables } from '../../victims/data/tables.ts'

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
}

export interface PlatformTables {
  forces: ForceTable
  users: UserTable
  sessions: SessionTable
  audit_events: AuditEventTable
  audit_chain_head: AuditChainHeadTable
}

export interface Database
  extends
    PlatformTables,
    PlanTables,
    CrimeTables,
    ScreeningTables,
    SafeguardingTables,
    VictimTables,
    InvestigationTables,
    AssuranceTables,
    CaseTables {}
