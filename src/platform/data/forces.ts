// The one way every area finds or creates a force, so a force gets the same code whichever import creates it.
import type { Kysely, Transaction } from 'kysely'
import { platformView, type PlatformTables } from './schema.ts'

export interface ForceRef {
  id: number
  name: string
  code: string
}

/** The URL-safe code of a force name: "Wessex Vale Police" and "Wessex Vale Constabulary" both give "wessex-vale". */
export function forceCodeOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/\b(police|constabulary|service)\b/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** A force by its name, its code, or the code its name would have ("Northamptonshire" finds "Northamptonshire Police"). */
export async function findForceByName<DB extends PlatformTables>(
  areaDb: Kysely<DB> | Transaction<DB>,
  name: string,
): Promise<ForceRef | undefined> {
  const db = platformView(areaDb)
  const trimmed = name.trim()
  const code = forceCodeOf(trimmed)
  return db
    .selectFrom('forces')
    .select(['id', 'name', 'code'])
    .where((eb) =>
      eb.or([
        eb('name', '=', trimmed),
        eb('code', '=', trimmed.toLowerCase()),
        ...(code ? [eb('code', '=', code)] : []),
      ]),
    )
    .orderBy('id')
    .executeTakeFirst()
}

/** Creates a force (inside the caller's transaction) and returns its id. */
export async function insertForce<DB extends PlatformTables>(
  areaDb: Kysely<DB> | Transaction<DB>,
  name: string,
): Promise<number> {
  const db = platformView(areaDb)
  const trimmed = name.trim()
  const row = await db
    .insertInto('forces')
    .values({
      name: trimmed,
      code: forceCodeOf(trimmed) || `force-${Date.now()}`,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A force's name by its id. */
export async function forceNameById(db: Kysely<PlatformTables>, id: number): Promise<string | undefined> {
  const force = await db.selectFrom('forces').select('name').where('id', '=', id).executeTakeFirst()
  return force?.name
}
