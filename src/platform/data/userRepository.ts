import type { Kysely, Selectable } from 'kysely'
import { findForceByName, insertForce } from './forces.ts'
import type { PlatformTables, ForceTable, UserTable } from './schema.ts'

export type ForceRow = Selectable<ForceTable>
export type UserRow = Selectable<UserTable> & { force_name: string }

export class UserRepository {
  constructor(private readonly db: Kysely<PlatformTables>) {}

  private users() {
    return this.db
      .selectFrom('users')
      .innerJoin('forces', 'forces.id', 'users.force_id')
      .selectAll('users')
      .select('forces.name as force_name')
  }

  async findById(id: number): Promise<UserRow | undefined> {
    return this.users().where('users.id', '=', id).executeTakeFirst()
  }

  async findByUsername(username: string): Promise<UserRow | undefined> {
    return this.users().where('users.username', '=', username).executeTakeFirst()
  }

  async findByOidcSubject(subject: string): Promise<UserRow | undefined> {
    return this.users().where('users.oidc_subject', '=', subject).executeTakeFirst()
  }

  async findByEmail(email: string): Promise<UserRow | undefined> {
    return this.users().where('users.email', '=', email.toLowerCase()).executeTakeFirst()
  }

  async list(forceId?: number): Promise<UserRow[]> {
    let query = this.users().orderBy('forces.name').orderBy('users.username')
    if (forceId !== undefined) query = query.where('users.force_id', '=', forceId)
    return query.execute()
  }

  async insert(
    db: Kysely<PlatformTables>,
    user: { username: string; displayName: string; email: string | null; forceId: number; roles: string },
  ): Promise<number> {
    const row = await db
      .insertInto('users')
      .values({
        username: user.username,
        display_name: user.displayName,
        email: user.email?.toLowerCase() ?? null,
        force_id: user.forceId,
        roles: user.roles,
        oidc_subject: null,
        active: 1,
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  }

  async setActive(db: Kysely<PlatformTables>, userId: number, active: boolean): Promise<void> {
    await db
      .updateTable('users')
      .set({ active: active ? 1 : 0 })
      .where('id', '=', userId)
      .execute()
  }

  async linkOidcSubject(db: Kysely<PlatformTables>, userId: number, subject: string): Promise<void> {
    await db.updateTable('users').set({ oidc_subject: subject }).where('id', '=', userId).execute()
  }

  async findForceByName(name: string): Promise<ForceRow | undefined> {
    const force = await findForceByName(this.db, name)
    return force ? this.findForceById(force.id) : undefined
  }

  async findForceById(id: number): Promise<ForceRow | undefined> {
    return this.db.selectFrom('forces').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async listForces(): Promise<ForceRow[]> {
    return this.db.selectFrom('forces').selectAll().orderBy('name').execute()
  }

  async insertForce(db: Kysely<PlatformTables>, name: string): Promise<number> {
    return insertForce(db, name)
  }
}
