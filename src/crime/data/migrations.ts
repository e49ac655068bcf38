import { sql, type Kysely, type Migration } from 'kysely'
import { withIdColumn } from '../../platform/data/columns.ts'
import { dialectOf } from '../../platform/data/database.ts'
import { textKeySql } from './textKey.ts'

// Text the searches compare by prefix or range is byte-ordered ("C" collation) on PostgreSQL, as it is on SQLite,
// so a prefix search is an index range and ISO dates sort as written.

const crimeTables: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)
    const bytes = dialect === 'postgres' ? sql`text collate "C"` : sql`text`

    await withIdColumn(db.schema.createTable('crimes'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('force_reference', bytes, (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('crime', 'intelligence')`))
      .addColumn('reported_at', bytes, (c) => c.notNull())
      .addColumn('first_occurred_on', 'text')
      .addColumn('last_occurred_on', 'text')
      .addColumn('principal_code', 'text')
      .addColumn('domestic_abuse', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('online', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('repeat_victim', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('narrative', 'text', (c) => c.notNull())
      .addColumn('team', 'text')
      .addColumn('officer_in_case', 'text')
      .addColumn('status', 'text')
      .addColumn('outcome', 'integer')
      .addColumn('location', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('crimes_force_reference', ['force_id', 'force_reference'])
      .execute()
    await db.schema
      .createIndex('crimes_force_reported')
      .on('crimes')
      .columns(['force_id', 'reported_at', 'id'])
      .execute()

    await withIdColumn(db.schema.createTable('crime_occurrences'), dialect)
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('occurred_from', 'text', (c) => c.notNull())
      .addColumn('occurred_to', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('crime_occurrences_crime').on('crime_occurrences').column('crime_id').execute()

    await withIdColumn(db.schema.createTable('crime_classifications'), dialect)
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('principal', 'included')`))
      .addColumn('added_by', 'text')
      .addColumn('added_at', 'text')
      .addColumn('reason', 'text')
      .execute()
    await db.schema.createIndex('crime_classifications_crime').on('crime_classifications').column('crime_id').execute()

    // Derived from crime_classifications by the repository (no foreign key: it is rebuilt with its crime).
    if (dialect === 'postgres') {
      await sql`create table crime_classification_index (
        force_id integer not null,
        search_key text collate "C" not null,
        reported_at text collate "C" not null,
        crime_id integer not null,
        role text not null,
        primary key (force_id, search_key, reported_at, crime_id) include (role)
      )`.execute(db)
    } else {
      await sql`create table crime_classification_index (
        force_id integer not null,
        search_key text not null,
        reported_at text not null,
        crime_id integer not null,
        role text not null,
        primary key (force_id, search_key, reported_at, crime_id)
      ) without rowid`.execute(db)
    }
    await db.schema
      .createIndex('crime_classification_index_crime')
      .on('crime_classification_index')
      .column('crime_id')
      .execute() // dropped by 0201

    await withIdColumn(db.schema.createTable('people'), dialect)
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('person_key', bytes, (c) => c.notNull())
      .addColumn('forename', 'text')
      .addColumn('surname', 'text')
      .addColumn('forename_norm', bytes, (c) => c.notNull())
      .addColumn('surname_norm', bytes, (c) => c.notNull())
      .addColumn('date_of_birth', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('people_force_key', ['force_id', 'person_key'])
      .execute()
    await db.schema
      .createIndex('people_surname')
      .on('people')
      .columns(['force_id', 'surname_norm', 'forename_norm'])
      .execute()
    await db.schema.createIndex('people_forename').on('people').columns(['force_id', 'forename_norm']).execute()
    await db.schema.createIndex('people_dob').on('people').columns(['force_id', 'date_of_birth']).execute()

    await withIdColumn(db.schema.createTable('person_identifiers'), dialect)
      .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
      .addColumn('force_id', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('value_norm', bytes, (c) => c.notNull())
      .addUniqueConstraint('person_identifiers_unique', ['person_id', 'kind', 'value_norm'])
      .execute()
    await db.schema
      .createIndex('person_identifiers_value')
      .on('person_identifiers')
      .columns(['force_id', 'value_norm'])
      .execute()

    await withIdColumn(db.schema.createTable('crime_parties'), dialect)
      .addColumn('crime_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('victim', 'suspect', 'witness')`))
      .execute()
    await db.schema.createIndex('crime_parties_crime').on('crime_parties').column('crime_id').execute()
    await db.schema.createIndex('crime_parties_person').on('crime_parties').columns(['person_id', 'crime_id']).execute()

    await withIdColumn(db.schema.createTable('intelligence_links'), dialect)
      .addColumn('intelligence_id', 'integer', (c) => c.notNull().references('crimes.id').onDelete('cascade'))
      .addColumn('force_id', 'integer', (c) => c.notNull())
      .addColumn('linked_reference', bytes, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('intelligence_links_intelligence')
      .on('intelligence_links')
      .column('intelligence_id')
      .execute()
    await db.schema
      .createIndex('intelligence_links_reference')
      .on('intelligence_links')
      .columns(['force_id', 'linked_reference'])
      .execute()

    // Full text over narratives: an FTS5 external-content table on SQLite (kept by the repository, in the same
    // transaction as the crime), a generated tsvector column with a GIN index on PostgreSQL.
    if (dialect === 'postgres') {
      await sql`alter table crimes add column narrative_tsv tsvector
        generated always as (to_tsvector('english'::regconfig, narrative)) stored`.execute(db)
      await sql`create index crimes_narrative_tsv on crimes using gin (narrative_tsv)`.execute(db)
    } else {
      await sql`create virtual table crime_text using fts5(
        narrative, content='crimes', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
      )`.execute(db)
    }
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

// The classification search table's rows are found by their primary key from the crime's own classifications
// (force, key, reported date, crime), so an index by crime alone only cost a fifth of the database's size and a
// sort of every row at the end of a bulk import.
const dropClassificationIndexByCrime: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('crime_classification_index_crime').ifExists().execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

// How many crimes each search key has on each reported day, by role: a search's total over a date range is a sum of
// at most a few hundred rows instead of a count of every matching search row (hundreds of thousands at national
// scale). Kept with the search table by the repository; filled here from any rows already indexed.
const classificationDayCounts: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)
    const text = dialect === 'postgres' ? sql`text collate "C"` : sql`text`
    await sql`create table crime_classification_day_counts (
      force_id integer not null,
      search_key ${text} not null,
      day ${text} not null,
      principal integer not null,
      included integer not null,
      both_roles integer not null,
      primary key (force_id, search_key, day)
    )${sql.raw(dialect === 'sqlite' ? ' without rowid' : '')}`.execute(db)
    await sql`insert into crime_classification_day_counts
      select force_id, search_key, substr(reported_at, 1, 10),
        sum(case when role = 'principal' then 1 else 0 end),
        sum(case when role = 'included' then 1 else 0 end),
        sum(case when role = 'both' then 1 else 0 end)
      from crime_classification_index group by force_id, search_key, substr(reported_at, 1, 10)`.execute(db)
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

// Intelligence reports by force and reported date: a few percent of the records, so a partial index is small, and a
// count of a period's reports (the problem profile) or a Find for intelligence reports no longer reads every crime
// reported in the period. (SQLite plans a statement again once the kind is bound, so a parameter is enough.)
const intelligenceByReportedDate: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('crimes_intelligence_reported')
      .on('crimes')
      .columns(['force_id', 'reported_at', 'id'])
      .where(sql.ref('kind'), '=', sql.lit('intelligence'))
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

// Searches that stay fast at national scale (issue 17). A one-word name search reads surnames and forenames starting
// with the word in order, so each name index carries the other name and the id after it: the first page is the first
// rows of two index ranges, never a sort of every match. On PostgreSQL the full-text index also holds each crime's
// reported day (btree_gin, a trusted extension a database owner may create), so "these words, in this period" with its
// capped count is one scan of one index; it replaces the index of words alone, which still answers a search without
// dates (the force is always given).
const scaleSearches: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db)
    await db.schema.dropIndex('people_forename').ifExists().execute()
    await db.schema.dropIndex('people_surname').ifExists().execute()
    const columns = dialect === 'postgres' ? ['id'] : [] // SQLite's rowid ends every index already
    await db.schema
      .createIndex('people_surname')
      .on('people')
      .columns(['force_id', 'surname_norm', 'forename_norm', ...columns])
      .execute()
    await db.schema
      .createIndex('people_forename')
      .on('people')
      .columns(['force_id', 'forename_norm', 'surname_norm', ...columns])
      .execute()
    if (dialect === 'postgres') {
      await sql`create extension if not exists btree_gin`.execute(db)
      await sql`create index crimes_text_by_day on crimes
        using gin (force_id, (substr(reported_at, 1, 10)), narrative_tsv)`.execute(db)
      await db.schema.dropIndex('crimes_narrative_tsv').ifExists().execute()
    }
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

// A stalking flag on a record (issue 14, Recommendation 7.2): an intelligence report flagged stalking, as the records
// system's extract gives it or as a screener decides (through the screening area, re-applied after a re-import).
const stalkingFlag: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('crimes')
      .addColumn('stalking_flag', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

// Imports through the browser run as background jobs (ADR 0018): one row per uploaded extract, so the progress page
// survives a reload and a restart says what became of an import. The live counts are kept by the process running it.
const importJobs: Migration = {
  async up(db: Kysely<unknown>) {
    await withIdColumn(db.schema.createTable('crime_import_jobs'), dialectOf(db))
      .addColumn('force_id', 'integer', (c) => c.notNull().references('forces.id'))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) =>
        c.notNull().check(sql`status in ('queued', 'running', 'done', 'refused', 'failed', 'cancelled')`),
      )
      .addColumn('files', 'text', (c) => c.notNull())
      .addColumn('folder', 'text', (c) => c.notNull())
      .addColumn('skip_bad_rows', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('total_bytes', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('cancelled_by', 'text')
      .addColumn('summary', 'text')
      .addColumn('error', 'text')
      .execute()
    await db.schema.createIndex('crime_import_jobs_force').on('crime_import_jobs').columns(['force_id', 'id']).execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

// SQLite's full-text rows keyed by reported minute and crime id (textKeySql in crimeRepository.ts), not by crime id:
// a common word in a period, newest first, is then the first rows of one key range of the word's matches instead of
// every match gathered and sorted (issue 17: 10^5 matches at 1M crimes). Contentless, so the narrative is stored once
// (in crimes); contentless_delete lets a re-import remove a crime's row by its key, computed from the crime before it
// is rewritten. Rebuilt here from the crimes. PostgreSQL keeps its generated column and index (0217).
const textByReportedTime: Migration = {
  async up(db: Kysely<unknown>) {
    if (dialectOf(db) !== 'sqlite') return
    await sql`drop table crime_text`.execute(db)
    await sql`create virtual table crime_text using fts5(
      narrative, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2'
    )`.execute(db)
    await sql`insert into crime_text (rowid, narrative)
      select ${sql.raw(textKeySql('reported_at', 'id'))}, narrative from crimes`.execute(db)
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

// The Find page's team list and its team filter at scale (issue 17, pages under load): without an index by team, the
// list of a force's teams read every crime on every Find page (seconds at 1M), and a team's newest crimes were sorted
// from all of them. The index ends in the reported time and the id, the order the search pages in.
const crimesByTeam: Migration = {
  async up(db: Kysely<unknown>) {
    const columns = dialectOf(db) === 'postgres' ? ['id'] : [] // SQLite's rowid ends every index already
    await db.schema
      .createIndex('crimes_force_team_reported')
      .on('crimes')
      .columns(['force_id', 'team', 'reported_at', ...columns])
      .execute()
  },
  async down() {
    throw new Error('Threadline migrations are forward-only')
  },
}

/** The crime area's migrations, named with the area's number range so they sort after the platform's. */
export const crimeMigrations: Record<string, Migration> = {
  '0200_crime_records': crimeTables,
  '0201_classification_index_by_key_only': dropClassificationIndexByCrime,
  '0202_classification_day_counts': classificationDayCounts,
  '0203_intelligence_by_reported_date': intelligenceByReportedDate,
  '0214_stalking_flag': stalkingFlag,
  '0217_searches_at_scale': scaleSearches,
  '0218_import_jobs': importJobs,
  '0219_text_by_reported_time': textByReportedTime,
  '0220_crimes_by_team': crimesByTeam,
}
