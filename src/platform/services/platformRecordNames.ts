import type { Kysely } from 'kysely'
import { forceNameById } from '../data/forces.ts'
import type { PlatformTables } from '../data/schema.ts'
import { RecordNames } from './recordNames.ts'

/** The registry with the platform's own records named: a force by its name (only the viewer's own force). */
export function platformRecordNames(db: Kysely<PlatformTables>): RecordNames {
  const names = new RecordNames()
  names.register('force', async (ids, forceId) => {
    const name = ids.includes(String(forceId)) ? await forceNameById(db, forceId) : undefined
    return name ? new Map([[String(forceId), name]]) : new Map()
  })
  return names
}
