// Kysely table types for the plan area. Each table's shape must match src/plan/data/migrations.ts.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PlanTables {}
