// Kysely table types for the screening area. Each table's shape must match src/screening/data/migrations.ts.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ScreeningTables {}
