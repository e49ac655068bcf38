import type { CreateTableBuilder } from 'kysely'
import type { DialectName } from './database.ts'

/** An auto-numbered integer primary key named id, spelled the way each dialect wants it. */
export function withIdColumn<T extends string>(table: CreateTableBuilder<T, never>, dialect: DialectName) {
  return dialect === 'postgres'
    ? table.addColumn('id', 'serial', (column) => column.primaryKey())
    : table.addColumn('id', 'integer', (column) => column.primaryKey().autoIncrement())
}
