// Kysely table types for the crime area. Each table's shape must match src/crime/data/migrations.ts.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CrimeTables {}
