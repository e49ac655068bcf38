import type { Migration } from 'kysely'

/** The screening area's migrations, named with the area's number range so they sort after the platform's. */
export const screeningMigrations: Record<string, Migration> = {}
