import type { Migration } from 'kysely'

/** The crime area's migrations, named with the area's number range so they sort after the platform's. */
export const crimeMigrations: Record<string, Migration> = {}
