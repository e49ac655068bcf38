import type { Migration } from 'kysely'

/** The plan area's migrations, named with the area's number range so they sort after the platform's. */
export const planMigrations: Record<string, Migration> = {}
