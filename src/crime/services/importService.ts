// Bulk import of crime records into a force's crime index: one transaction, all or nothing. A record whose force
// reference is already known updates that crime (its classifications, parties and text are written afresh), so an
// included classification added in the records system after the first import appears on the next.
import { cutLongValues } from '../../platform/text.ts'
import type { Insertable } from 'kysely'
import { actorInForce, type AuditService, type ActorContext } from '../../platform/services/auditService.ts'
import type { CrimeRepository } from '../data/crimeRepository.ts'
import type {
  CrimeClassificationIndexTable,
  CrimeClassificationsTable,
  CrimeOccurrencesTable,
  CrimePartiesTable,
  CrimesTable,
  PeopleTable,
  PersonIdentifiersTable,
} from '../data/tables.ts'
import type { CrimeRecordInput, RowProblem } from '../model.ts'
import type { ClassificationCatalogue } from './classifications.ts'
import { prepareRecord, type PreparedParty, type PreparedRecord, type RecordSource } from './prepareRecord.ts'

export type { RecordSource }

/**
 * What an extract reader yields: a record with where it came from, or a problem with a row. A reader on a worker
 * thread may have checked and prepared the record already (prepareRecord), so the writer's thread does not.
 */
export type ImportItem =
  { record: CrimeRecordInput; source: RecordSource; prepared?: RowProblem[] | PreparedRecord } | { problem: RowProblem }

export interface ImportOptions {
  /** The force the records belong to (created if new). */
  force: string
  /** Import the good rows and list the bad ones, instead of refusing the whole import. */
  skipBadRows?: boolean
  /** Files named in the audit entry. */
  files?: string[]
  /** Records per write batch. */
  batchSize?: number
  onProgress?: (progress: { records: number; problems: number }) => void
  /** The whole import is stopped (and nothing written) past this many milliseconds; IMPORT_LIMITS when omitted. */
  timeLimitMs?: number
  /** Stopped when the reader yields nothing for this long (a damaged file the reader never finishes). */
  idleLimitMs?: number
  /** Once aborted, the import stops (nothing written) if it has not yet begun to commit. */
  signal?: AbortSignal
  /** Called when the import begins to commit: from then on it can no longer be stopped by the signal. */
  onCommitting?: () => void
}

/** An import stopped before it finished (time limit, a reader that hung or failed, another import running). */
/** A problem whose message quotes a bad value cut short: a multi-megabyte cell is never repeated back in full. */
const shortened = <P extends { message: string }>(problem: P): P => ({
  ...problem,
  message: cutLongValues(problem.message),
})

export class ImportStoppedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ImportStoppedError'
  }
}

/** A million-record extract imports in about two minutes on SQLite, four on PostgreSQL: an hour is far beyond it. */
export const IMPORT_LIMITS = { timeLimitMs: 60 * 60_000, idleLimitMs: 120_000 }

/**
 * The items, ending in ImportStoppedError when the reader yields nothing for idleMs or the whole import passes its
 * deadline. The transaction around the import then rolls back, so its lock is released.
 */
async function* timeLimited<T>(
  items: AsyncIterable<T> | Iterable<T>,
  idleMs: number,
  deadline: number,
): AsyncGenerator<T> {
  const iterator =
    Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]()
  let finished = false
  try {
    for (;;) {
      const left = deadline - Date.now()
      if (left <= 0) throw new ImportStoppedError('the import took longer than its time limit')
      let timer: NodeJS.Timeout | undefined
      const stop = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new ImportStoppedError(
                left < idleMs
                  ? 'the import took longer than its time limit'
                  : `reading the extract stopped making progress for ${Math.round(idleMs / 1000)} seconds, so the file is damaged or not an extract the reader understands`,
              ),
            ),
          Math.min(left, idleMs),
        )
      })
      try {
        const next = await Promise.race([Promise.resolve(iterator.next()), stop])
        if (next.done) {
          finished = true
          return
        }
        yield next.value
      } finally {
        clearTimeout(timer)
      }
    }
  } finally {
    // A reader stuck in its own await cannot be waited for: ask it to stop and go on.
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => {})
  }
}

export interface ImportSummary {
  /** Set when the import committed but what follows it (screening and linkage) failed. */
  afterImportError?: string
  force: string
  /** Whether anything was written (false when the import was refused). */
  written: boolean
  records: number
  created: number
  updated: number
  classifications: number
  people: number
  /** Bad rows: skipped (with --skip-bad-rows) or the reason the import was refused. */
  problems: RowProblem[]
  durationMs: number
}

const LARGE_IMPORT = 20000

/** Called after an import commits, with the force whose crimes changed (screening re-links and re-queues them). */
export type ImportListener = (actor: ActorContext, forceId: number) => Promise<unknown>

export class CrimeImportService {
  private readonly listeners: ImportListener[] = []
  /** The import running in this process, if any: a second is refused at once with a clear message. */
  private running: { force: string; since: string } | null = null

  /** Whether an import is running in this process (another is refused until it ends). */
  get busy(): boolean {
    return this.running !== null
  }

  /** Runs the listener after every import that wrote records; a failing listener does not undo the import. */
  onImported(listener: ImportListener): void {
    this.listeners.push(listener)
  }

  constructor(
    private readonly repository: CrimeRepository,
    private readonly audit: AuditService,
    private readonly catalogue: ClassificationCatalogue,
  ) {}

  /** Checks a record against the reference data; returns its problems (empty when good) or the prepared record. */
  validate(record: CrimeRecordInput, source: RecordSource): RowProblem[] | PreparedRecord {
    return prepareRecord(this.catalogue, record, source)
  }

  /** Imports every record the reader yields, in one transaction. Refused (nothing written) on a bad row unless skipBadRows. */
  async importRecords(
    actor: ActorContext,
    items: AsyncIterable<ImportItem> | Iterable<ImportItem>,
    options: ImportOptions,
  ): Promise<ImportSummary> {
    const started = performance.now()
    const batchSize = options.batchSize ?? 2000
    const summary: ImportSummary = {
      force: options.force,
      written: false,
      records: 0,
      created: 0,
      updated: 0,
      classifications: 0,
      people: 0,
      problems: [],
      durationMs: 0,
    }
    const refused = new Error('import refused')
    let importedForceId: number | null = null
    if (this.running) {
      throw new ImportStoppedError(
        `another import (${this.running.force}, started ${this.running.since.slice(11, 19)} UTC) is running; try again when it has finished`,
      )
    }
    const timeLimitMs = options.timeLimitMs ?? IMPORT_LIMITS.timeLimitMs
    const limited = timeLimited(items, options.idleLimitMs ?? IMPORT_LIMITS.idleLimitMs, Date.now() + timeLimitMs)
    this.running = { force: options.force, since: new Date().toISOString() }
    try {
      await this.repository.importTransaction(async (repository, trx) => {
        await repository.deferIndexesIfEmpty()
        const force = await repository.forceByName(options.force)
        const forceId = force?.id ?? (await repository.insertForce(options.force))
        importedForceId = forceId
        summary.force = force?.name ?? options.force
        const writer = new BatchWriter(repository, forceId, this.catalogue, summary)
        const seen = new Map<string, RecordSource>()
        let batch: PreparedRecord[] = []
        for await (const item of limited) {
          if ('problem' in item) {
            summary.problems.push(shortened(item.problem))
          } else {
            summary.records++
            const checked = item.prepared ?? this.validate(item.record, item.source)
            const reference = Array.isArray(checked) ? '' : checked.reference
            const earlier = reference ? seen.get(reference) : undefined
            if (Array.isArray(checked)) {
              summary.problems.push(...checked.map(shortened))
            } else if (earlier) {
              summary.problems.push(
                shortened({
                  ...item.source,
                  field: 'forceReference',
                  message: `crime reference ${reference} appears again (first at ${earlier.file} line ${earlier.line})`,
                }),
              )
            } else {
              seen.set(reference, item.source)
              // Once a bad row means refusal, reading on only lists the other problems.
              if (options.skipBadRows || summary.problems.length === 0) batch.push(checked)
            }
          }
          if (batch.length >= batchSize) {
            await writer.write(batch)
            batch = []
          }
          options.onProgress?.({ records: summary.records, problems: summary.problems.length })
        }
        if (summary.problems.length > 0 && !options.skipBadRows) throw refused
        await writer.write(batch)
        await this.audit.record(trx, actorInForce(actor, forceId), {
          action: 'crime.imported',
          subjectType: 'force',
          subjectId: forceId,
          details: {
            files: options.files ?? [],
            records: summary.records,
            created: summary.created,
            updated: summary.updated,
            skipped: summary.problems.length,
          },
        })
        // The last moment to stop: checked and passed in one turn of the event loop, so a stop asked for after this
        // is refused (onCommitting), never half-honoured.
        if (options.signal?.aborted) throw new ImportStoppedError('the import was cancelled')
        options.onCommitting?.()
      })
      summary.written = true
    } catch (error) {
      if (error !== refused) throw stoppedError(error)
      summary.created = 0
      summary.updated = 0
      summary.classifications = 0
      summary.people = 0
    } finally {
      this.running = null
    }
    if (summary.written && summary.created + summary.updated >= LARGE_IMPORT) await this.repository.refreshStatistics()
    if (summary.written && importedForceId !== null && summary.created + summary.updated > 0) {
      for (const listener of this.listeners) {
        try {
          await listener(actorInForce(actor, importedForceId), importedForceId)
        } catch (error) {
          summary.afterImportError = `The records were imported, but screening them did not finish: ${(error as Error).message}. Run "threadline screening run".`
        }
      }
    }
    summary.durationMs = Math.round(performance.now() - started)
    return summary
  }
}

/** The database being locked by another process's import or write, said in words; anything else as it was. */
function stoppedError(error: unknown): unknown {
  const code = (error as { code?: string })?.code
  if (
    code === 'SQLITE_BUSY' ||
    code === 'SQLITE_BUSY_SNAPSHOT' ||
    /database is locked/.test(String((error as Error)?.message))
  ) {
    return new ImportStoppedError(
      'another import or a long write is holding the database (another "threadline crime import" or an import through the web pages); try again when it has finished',
    )
  }
  // PostgreSQL: lock_timeout or a statement cancelled while waiting for another import's locks.
  if (code === '55P03') {
    return new ImportStoppedError('another import is holding the crime tables; try again when it has finished')
  }
  return error
}

/** Writes batches of prepared records for one force, remembering the people it has already resolved. */
class BatchWriter {
  private readonly people = new Map<string, number>()
  private written = 0
  /** Statistics are refreshed each time the import doubles in size from here: a few times, however large. */
  private nextStatistics = 20000

  constructor(
    private readonly repository: CrimeRepository,
    private readonly forceId: number,
    private readonly catalogue: ClassificationCatalogue,
    private readonly summary: ImportSummary,
  ) {}

  async write(batch: PreparedRecord[]): Promise<void> {
    if (batch.length === 0) return
    const { repository, forceId } = this
    const now = new Date().toISOString()
    const existing = await repository.crimeIdsByReference(
      forceId,
      batch.map((item) => item.reference),
    )
    const rows = batch.map((item) => this.crimeRow(item, now))
    const fresh = rows.filter((row) => !existing.has(row.force_reference))
    const ids = await repository.insertCrimes(fresh)
    const updatedIds = [...existing.values()]
    if (updatedIds.length > 0) {
      await repository.clearCrimeDetails(updatedIds, (code) => this.catalogue.searchKeys(code))
      for (const row of rows) {
        const id = existing.get(row.force_reference)
        if (id !== undefined) {
          const { created_at: _created, ...changes } = row
          await repository.updateCrime(id, changes)
          ids.set(row.force_reference, id)
        }
      }
    }
    this.summary.created += fresh.length
    this.summary.updated += updatedIds.length

    const personIds = await this.resolvePeople(batch, now)
    const occurrences: Insertable<CrimeOccurrencesTable>[] = []
    const classifications: Insertable<CrimeClassificationsTable>[] = []
    const index: CrimeClassificationIndexTable[] = []
    const parties: Insertable<CrimePartiesTable>[] = []
    const identifiers: Insertable<PersonIdentifiersTable>[] = []
    const links: { intelligence_id: number; force_id: number; linked_reference: string }[] = []
    for (const item of batch) {
      const { record } = item
      const crimeId = ids.get(item.reference) as number
      for (const occurrence of record.occurrences) {
        occurrences.push({ crime_id: crimeId, occurred_from: occurrence.from, occurred_to: occurrence.to })
      }
      if (item.principal) {
        classifications.push({
          crime_id: crimeId,
          code: item.principal,
          role: 'principal',
          added_by: null,
          added_at: null,
          reason: null,
        })
      }
      for (const entry of item.included) {
        classifications.push({
          crime_id: crimeId,
          code: entry.code,
          role: 'included',
          added_by: entry.addedBy,
          added_at: entry.addedAt,
          reason: entry.reason,
        })
      }
      for (const { key, role } of item.indexKeys) {
        index.push({ force_id: forceId, search_key: key, reported_at: item.reportedAt, crime_id: crimeId, role })
      }
      this.summary.classifications += (item.principal ? 1 : 0) + item.included.length
      for (const party of item.parties) {
        const personId = personIds.get(party.key) as number
        parties.push({ crime_id: crimeId, person_id: personId, role: party.party.role })
        // A person's identifiers repeat on every crime they appear in: the store keeps each once (insert or ignore).
        for (const identifier of party.identifiers) {
          identifiers.push({
            person_id: personId,
            force_id: forceId,
            kind: identifier.kind,
            value: identifier.value,
            value_norm: identifier.valueNorm,
          })
        }
      }
      for (const reference of new Set(record.linkedCrimeRefs)) {
        links.push({ intelligence_id: crimeId, force_id: forceId, linked_reference: reference })
      }
    }
    await repository.insertOccurrences(occurrences)
    await repository.insertClassifications(classifications)
    await repository.insertIndexRows(index)
    await repository.insertParties(parties)
    await repository.insertIdentifiers(identifiers)
    await repository.insertIntelligenceLinks(links)
    await repository.indexText(
      rows.map((row) => ({
        id: ids.get(row.force_reference) as number,
        reported_at: row.reported_at,
        narrative: row.narrative,
      })),
    )
    this.written += batch.length
    if (this.written >= this.nextStatistics) {
      await repository.refreshStatisticsDuringImport()
      this.nextStatistics = this.written * 2
    }
  }

  private crimeRow(item: PreparedRecord, now: string): Insertable<CrimesTable> & { force_reference: string } {
    const { record } = item
    return {
      force_id: this.forceId,
      force_reference: item.reference,
      kind: record.kind,
      reported_at: item.reportedAt,
      first_occurred_on: item.firstOccurredOn,
      last_occurred_on: item.lastOccurredOn,
      principal_code: item.principal,
      domestic_abuse: record.flags.domesticAbuse ? 1 : 0,
      online: record.flags.online ? 1 : 0,
      repeat_victim: record.flags.repeatVictim ? 1 : 0,
      stalking_flag: record.flags.stalking ? 1 : 0,
      narrative: record.narrative ?? '',
      team: record.team,
      officer_in_case: record.officerInCase,
      status: record.status,
      outcome: record.outcome,
      location: record.location,
      created_at: now,
      updated_at: now,
    }
  }

  /** Finds or creates the person of every party in the batch; returns ids by person key. */
  private async resolvePeople(batch: PreparedRecord[], now: string): Promise<Map<string, number>> {
    const wanted = new Map<string, PreparedParty>()
    for (const item of batch) for (const party of item.parties) wanted.set(party.key, party)
    const unknown = [...wanted.keys()].filter((key) => !this.people.has(key))
    const found = await this.repository.peopleByKey(this.forceId, unknown)
    const fresh: Insertable<PeopleTable>[] = []
    for (const key of unknown) {
      const { party, forenameNorm, surnameNorm } = wanted.get(key) as PreparedParty
      const fields = {
        forename: party.forename,
        surname: party.surname,
        forename_norm: forenameNorm,
        surname_norm: surnameNorm,
        date_of_birth: party.dateOfBirth,
      }
      const existing = found.get(key)
      if (existing) {
        this.people.set(key, existing.id)
        const changed =
          existing.forename !== party.forename ||
          existing.surname !== party.surname ||
          existing.date_of_birth !== party.dateOfBirth
        if (changed) await this.repository.updatePerson(existing.id, fields)
      } else {
        fresh.push({ force_id: this.forceId, person_key: key, ...fields, created_at: now, updated_at: now })
      }
    }
    const inserted = await this.repository.insertPeople(fresh)
    for (const [key, id] of inserted) this.people.set(key, id)
    this.summary.people += inserted.size
    return this.people
  }
}
