import type { Kysely, Transaction } from 'kysely'
import { forceCodeOf } from '../data/forces.ts'
import { platformView, type PlatformTables } from '../data/schema.ts'
import { UserRepository, type ForceRow, type UserRow } from '../data/userRepository.ts'
import type { ActorContext, AuditService } from './auditService.ts'
import { parseRoles, ROLES, type Role, type SessionUser } from './permissions.ts'

export class UserInputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UserInputError'
  }
}

export function toSessionUser(row: UserRow): SessionUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    forceId: row.force_id,
    forceName: row.force_name,
    roles: parseRoles(row.roles),
  }
}

export class UserService {
  constructor(
    private readonly db: Kysely<PlatformTables>,
    private readonly users: UserRepository,
    private readonly audit: AuditService,
  ) {}

  async sessionUserById(id: number): Promise<SessionUser | null> {
    const row = await this.users.findById(id)
    return row && row.active ? toSessionUser(row) : null
  }

  async sessionUserByUsername(username: string): Promise<SessionUser | null> {
    const row = await this.users.findByUsername(username)
    return row && row.active ? toSessionUser(row) : null
  }

  /** Finds the Threadline user for an OIDC identity: by subject, or on first sign-in by email or username. */
  async sessionUserForOidc(
    actor: ActorContext,
    claims: { sub: string; email?: string; preferred_username?: string },
  ): Promise<SessionUser | null> {
    let row = await this.users.findByOidcSubject(claims.sub)
    if (!row) {
      row =
        (claims.email ? await this.users.findByEmail(claims.email) : undefined) ??
        (claims.preferred_username ? await this.users.findByUsername(claims.preferred_username) : undefined)
      if (!row || row.oidc_subject) return null
      const userId = row.id
      await this.db.transaction().execute(async (trx) => {
        await this.users.linkOidcSubject(trx, userId, claims.sub)
        await this.audit.record(trx, actor, {
          action: 'user.oidc-linked',
          subjectType: 'user',
          subjectId: userId,
          forceId: row!.force_id,
        })
      })
    }
    return row.active ? toSessionUser(row) : null
  }

  async list(forceId?: number): Promise<SessionUser[]> {
    return (await this.users.list(forceId)).map(toSessionUser)
  }

  async forces(): Promise<ForceRow[]> {
    return this.users.listForces()
  }

  async forceByName(name: string): Promise<ForceRow | undefined> {
    return this.users.findForceByName(name)
  }

  async forceById(id: number): Promise<ForceRow | undefined> {
    return this.users.findForceById(id)
  }

  /** Returns the force's id, creating the force if Threadline does not know it yet. */
  async ensureForce(actor: ActorContext, name: string): Promise<number> {
    const trimmed = name.trim()
    if (!trimmed) throw new UserInputError('A force needs a name')
    const existing = await this.users.findForceByName(trimmed)
    if (existing) return existing.id
    return this.db.transaction().execute(async (trx) => {
      const id = await this.users.insertForce(trx, trimmed)
      await this.audit.record(trx, actor, {
        action: 'force.created',
        subjectType: 'force',
        subjectId: id,
        forceId: id,
        details: { name: trimmed },
      })
      return id
    })
  }

  async addUser(
    actor: ActorContext,
    input: { username: string; displayName: string; email: string | null; force: string; roles: string[] },
  ): Promise<number> {
    await this.ensureForce(actor, input.force)
    return this.db.transaction().execute((trx) => this.addUserIn(trx, actor, input))
  }

  /** Adds a user inside the caller's transaction (an area keeps its own record of them with it), audited there. */
  async addUserIn<DB extends PlatformTables>(
    trx: Transaction<DB>,
    actor: ActorContext,
    input: { username: string; displayName: string; email: string | null; force: string; roles: string[] },
  ): Promise<number> {
    const db = platformView(trx)
    const users = new UserRepository(db)
    const unknown = input.roles.filter((role) => !(ROLES as readonly string[]).includes(role))
    if (unknown.length > 0) throw new UserInputError(`Unknown role "${unknown[0]}": use one of ${ROLES.join(', ')}`)
    if (input.roles.length === 0) throw new UserInputError('A user needs at least one role')
    if (!/^[a-z0-9._@-]{2,64}$/i.test(input.username)) {
      throw new UserInputError('A username is 2 to 64 letters, digits, dots, hyphens, underscores or @')
    }
    if (await users.findByUsername(input.username)) {
      throw new UserInputError(`A user called "${input.username}" already exists`)
    }
    const force = await users.findForceByName(input.force.trim())
    if (!force) throw new UserInputError(`There is no force called "${input.force.trim()}"`)
    const forceId = force.id
    const id = await users.insert(db, { ...input, forceId, roles: (input.roles as Role[]).join(',') })
    await this.audit.record(db, actor, {
      action: 'user.created',
      subjectType: 'user',
      subjectId: id,
      forceId,
      details: { username: input.username, roles: input.roles },
    })
    return id
  }

  /** Lets a user sign in again, or stops them (their sessions end at their next request), audited. */
  async setActiveIn<DB extends PlatformTables>(
    trx: Transaction<DB>,
    actor: ActorContext,
    userId: number,
    active: boolean,
  ): Promise<void> {
    const db = platformView(trx)
    const users = new UserRepository(db)
    await users.setActive(db, userId, active)
    await this.audit.record(db, actor, {
      action: active ? 'user.reactivated' : 'user.deactivated',
      subjectType: 'user',
      subjectId: userId,
      forceId: (await users.findById(userId))?.force_id ?? actor.forceId,
    })
  }
}

export { forceCodeOf }
