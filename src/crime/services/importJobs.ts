// Imports of extracts uploaded through the browser, run as background jobs in the web server's process (ADR 0018).
// Each upload is a row in crime_import_jobs (so the progress page survives a reload, and a restart says what became of
// the import); the live counts (records read, problems so far, bytes read) are kept in memory by the process running
// it, because on SQLite the import holds the one write lock until it commits. Jobs run one at a time, in order; a
// force has at most one import waiting or running, and a second upload is told to wait. Cancelling stops the reader
// and rolls the import back: nothing is written (the import is all or nothing).
import { rm } from 'node:fs/promises'
import { basename } from 'node:path'
import type { ActorContext, AuditService } from '../../platform/services/auditService.ts'
import { personName } from '../../platform/words.ts'
import type { ImportJobRepository, ImportJobRow } from '../data/importJobRepository.ts'
import type { ImportJobStatus } from '../data/tables.ts'
import type { ImportNotice, ReadOptions } from '../import/index.ts'
import { describeProblem } from '../model.ts'
import { ImportStoppedError, type CrimeImportService, type ImportItem } from './importService.ts'
import { readInWorker } from './readerWorker.ts'

export interface UploadedExtract {
  path: string
  originalName: string
  size: number
}

/** How an import ended, as the page shows it (the same figures the CLI prints). */
export interface ImportJobSummary {
  written: boolean
  force: string
  records: number
  created: number
  updated: number
  classifications: number
  people: number
  problemCount: number
  /** The first problems, described and naming the files as uploaded. */
  problems: string[]
  notices: string[]
  durationMs: number
  afterImportError?: string
}

export interface ImportJobProgress {
  records: number
  problems: number
  bytesRead: number
  totalBytes: number
  percent: number
  /** Estimated from the share of the files read so far; null until there is enough to go on. */
  secondsLeft: number | null
  /**
   * 'writing' once every record is read (the last writes, still cancellable); 'finishing' once the import commits (the
   * screening of the new crimes follows), when it can no longer be cancelled.
   */
  phase: 'waiting' | 'reading' | 'writing' | 'finishing'
  cancelling: boolean
}

export interface ImportJobView {
  id: number
  forceId: number
  status: ImportJobStatus
  files: { name: string; size: number }[]
  createdBy: string
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  cancelledBy: string | null
  skipBadRows: boolean
  /** Live figures while the import waits or runs in this process; null once it has ended. */
  progress: ImportJobProgress | null
  summary: ImportJobSummary | null
  error: string | null
}

/** A force's upload refused because its earlier import has not ended. */
export class ImportWaitError extends Error {
  constructor(readonly job: ImportJobRow) {
    super(
      `An import for your force is already ${job.status === 'queued' ? 'waiting to run' : 'running'} (uploaded by ${personName(job.created_by)} at ${job.created_at.slice(11, 16)} UTC): wait for it to finish, then upload again`,
    )
    this.name = 'ImportWaitError'
  }
}

type ExtractReader = AsyncIterable<ImportItem> & { notices(): ImportNotice[] }

export interface ImportJobOptions {
  /** Reads the uploaded files (default: on a worker thread with a memory cap). */
  read?: (files: string[], options: ReadOptions) => ExtractReader
  /** Told of an import that failed for a reason that is not the extract's (a fault to look into). */
  log?: (message: string, error?: unknown) => void
}

/** What the process running a job holds: who asked, and the live counts. */
interface LiveJob {
  actor: ActorContext
  forceName: string
  records: number
  problems: number
  bytesRead: number
  totalBytes: number
  startedAt: number | null
  phase: ImportJobProgress['phase']
  cancelledBy: string | null
  /** Aborted on cancel: stops a reader that is waiting for the file as well as the import before it commits. */
  stop: AbortController
}

const LISTED_PROBLEMS = 200
const WAIT_FOR_IMPORTER_MS = 500
const YIELD_EVERY = 500

export class CrimeImportJobs {
  private readonly live = new Map<number, LiveJob>()
  private draining: Promise<void> | null = null

  constructor(
    private readonly jobs: ImportJobRepository,
    private readonly importer: CrimeImportService,
    private readonly audit: AuditService,
    private options: ImportJobOptions = {},
  ) {}

  /** Queues the uploaded files' import; refused with ImportWaitError while the force's earlier import has not ended. */
  async submit(
    actor: ActorContext,
    force: { id: number; name: string },
    files: UploadedExtract[],
    folder: string,
    skipBadRows: boolean,
  ): Promise<number> {
    const earlier = await this.waitingFor(force.id)
    if (earlier) throw new ImportWaitError(earlier)
    const id = await this.jobs.insert({
      force_id: force.id,
      created_by: actor.actorUsername,
      files: JSON.stringify(files.map((file) => ({ name: file.originalName, size: file.size, path: file.path }))),
      folder,
      skip_bad_rows: skipBadRows ? 1 : 0,
      total_bytes: files.reduce((sum, file) => sum + file.size, 0),
      created_at: new Date().toISOString(),
    })
    this.live.set(id, {
      actor,
      forceName: force.name,
      records: 0,
      problems: 0,
      bytesRead: 0,
      totalBytes: files.reduce((sum, file) => sum + file.size, 0),
      startedAt: null,
      phase: 'waiting',
      cancelledBy: null,
      stop: new AbortController(),
    })
    this.drain()
    return id
  }

  /** The force's import that has not ended, if any. */
  async waitingFor(forceId: number): Promise<ImportJobRow | undefined> {
    return this.jobs.unfinished(forceId)
  }

  /** A job of the force (undefined for another force's, as for a missing one). */
  async view(forceId: number, id: number): Promise<ImportJobView | undefined> {
    const row = await this.jobs.byId(id)
    if (!row || row.force_id !== forceId) return undefined
    return this.toView(row)
  }

  async recent(forceId: number, limit = 5): Promise<ImportJobView[]> {
    return (await this.jobs.recent(forceId, limit)).map((row) => this.toView(row))
  }

  /**
   * Cancels a job of the force that has not ended: the reader stops and the import rolls back. Returns false when
   * there is nothing to cancel (ended, another force's, or already committing).
   */
  cancel(actor: ActorContext, forceId: number, job: ImportJobView): boolean {
    const live = this.live.get(job.id)
    if (!live || job.forceId !== forceId || live.phase === 'finishing') return false
    live.cancelledBy ??= actor.actorUsername
    live.stop.abort()
    this.drain()
    return true
  }

  /**
   * Imports left waiting or running by a process that stopped (a restart, a crash) ended with it, rolled back: each is
   * marked failed, saying so, and its files removed. Called once when the web server starts.
   */
  async recover(): Promise<void> {
    for (const row of await this.jobs.queue()) {
      if (this.live.has(row.id)) continue
      await this.jobs.update(row.id, {
        status: 'failed',
        finished_at: new Date().toISOString(),
        error:
          'The server stopped before this import finished, so nothing was imported. Upload the extract again to import it.',
      })
      await rm(row.folder, { recursive: true, force: true })
    }
  }

  /** Where faults that are not the extract's are reported (the web server's log). */
  logTo(log: (message: string, error?: unknown) => void): void {
    this.options.log = log
  }

  /** Reads uploads with this reader from now on (a test holds an import part-way through its file with it). */
  readWith(read: NonNullable<ImportJobOptions['read']>): void {
    this.options.read = read
  }

  /** Resolves when every queued job has ended (tests; a server stopping). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining
  }

  private drain(): void {
    let failed = false
    this.draining ??= this.runQueue()
      .catch((error: unknown) => {
        // The queue itself could not be read (the database gone): the jobs waiting stay queued until the next upload
        // or a restart ends them (recover).
        failed = true
        this.options.log?.('crime imports stopped running', error)
      })
      .finally(() => {
        this.draining = null
        // A job queued while the last one was finishing.
        if (!failed && [...this.live.values()].some((live) => live.phase === 'waiting')) this.drain()
      })
  }

  private async runQueue(): Promise<void> {
    for (;;) {
      const queue = (await this.jobs.queue()).filter((row) => this.live.has(row.id))
      if (queue.length === 0) return
      const cancelled = queue.find((row) => this.live.get(row.id)?.cancelledBy && row.status === 'queued')
      if (cancelled) {
        await this.finish(cancelled, { status: 'cancelled' })
        continue
      }
      // An import started some other way in this process (the demo loader) runs first: only one at a time.
      if (this.importer.busy) {
        await new Promise((resolve) => setTimeout(resolve, WAIT_FOR_IMPORTER_MS))
        continue
      }
      try {
        await this.run(queue[0])
      } catch (error) {
        // The job's own row could not be written (the database busy or gone): end it, saying so.
        this.options.log?.(`crime import ${queue[0].id} could not run`, error)
        await this.finish(queue[0], { status: 'failed', error: 'The import could not start, so nothing was imported.' })
      }
    }
  }

  private async run(row: ImportJobRow): Promise<void> {
    const live = this.live.get(row.id) as LiveJob
    const files = JSON.parse(row.files) as { name: string; size: number; path: string }[]
    live.startedAt = Date.now()
    live.phase = 'reading'
    await this.jobs.update(row.id, { status: 'running', started_at: new Date().toISOString() })
    const paths = files.map((file) => file.path)
    // Messages name the files as uploaded, never the copies on disk (by path or by name alone).
    const rename = (text: string) =>
      files.reduce((out, file) => out.replaceAll(file.path, file.name).replaceAll(basename(file.path), file.name), text)
    const read = this.options.read ?? readInWorker
    const reader = read(paths, {
      forceName: live.forceName,
      onProgress: (bytesRead, totalBytes) => {
        live.bytesRead = bytesRead
        live.totalBytes = totalBytes
      },
    })
    const stopped = new ImportStoppedError('the import was cancelled')
    // A cancel ends the wait for the reader's next records at once, however long the reader would take to send them.
    const cancelled = new Promise<never>((_, reject) =>
      live.stop.signal.addEventListener('abort', () => reject(stopped), { once: true }),
    )
    cancelled.catch(() => {})
    const items = async function* () {
      const iterator = reader[Symbol.asyncIterator]()
      let count = 0
      let finished = false
      try {
        for (;;) {
          if (live.stop.signal.aborted) throw stopped
          const next = await Promise.race([iterator.next(), cancelled])
          if (next.done) break
          yield next.value
          // The reader runs ahead, so its records arrive without the event loop turning: let the server answer its
          // pages (this import's progress, a cancel) between chunks.
          if (++count % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve))
        }
        finished = true
      } finally {
        // A reader left waiting (for a slow file) is asked to stop, not waited for.
        if (!finished) void Promise.resolve(iterator.return?.()).catch(() => {})
      }
      live.phase = 'writing'
    }
    try {
      const summary = await this.importer.importRecords(live.actor, items(), {
        force: live.forceName,
        skipBadRows: row.skip_bad_rows === 1,
        files: files.map((file) => file.name),
        signal: live.stop.signal,
        onCommitting: () => (live.phase = 'finishing'),
        onProgress: ({ records, problems }) => {
          live.records = records
          live.problems = problems
        },
      })
      const result: ImportJobSummary = {
        written: summary.written,
        force: summary.force,
        records: summary.records,
        created: summary.created,
        updated: summary.updated,
        classifications: summary.classifications,
        people: summary.people,
        problemCount: summary.problems.length,
        problems: summary.problems.slice(0, LISTED_PROBLEMS).map((problem) => rename(describeProblem(problem))),
        notices: reader.notices().map((notice) => rename(`${notice.file}: ${notice.message}`)),
        durationMs: summary.durationMs,
        ...(summary.afterImportError ? { afterImportError: summary.afterImportError } : {}),
      }
      await this.finish(row, { status: summary.written ? 'done' : 'refused', summary: JSON.stringify(result) })
    } catch (error) {
      if (error instanceof ImportStoppedError && live.cancelledBy) {
        await this.finish(row, { status: 'cancelled' })
      } else if (error instanceof ImportStoppedError) {
        await this.finish(row, {
          status: 'failed',
          error: rename(`Import stopped: ${error.message}. Nothing was imported.`),
        })
      } else {
        this.options.log?.(`crime import ${row.id} failed`, error)
        await this.finish(row, {
          status: 'failed',
          error: `The import failed (${rename((error as Error).message)}), so nothing was imported.`,
        })
      }
    }
  }

  private async finish(
    row: ImportJobRow,
    outcome: { status: ImportJobStatus; summary?: string; error?: string },
  ): Promise<void> {
    const live = this.live.get(row.id)
    try {
      await this.jobs.update(row.id, {
        ...outcome,
        finished_at: new Date().toISOString(),
        ...(outcome.status === 'cancelled' ? { cancelled_by: live?.cancelledBy ?? null } : {}),
      })
      if (outcome.status === 'cancelled' && live) {
        await this.audit.recordAlone(
          { ...live.actor, actorUsername: live.cancelledBy ?? live.actor.actorUsername },
          {
            action: 'crime.import_cancelled',
            subjectType: 'force',
            subjectId: row.force_id,
            details: { job: row.id, files: (JSON.parse(row.files) as { name: string }[]).map((file) => file.name) },
          },
        )
      }
    } finally {
      this.live.delete(row.id)
      await rm(row.folder, { recursive: true, force: true })
    }
  }

  private toView(row: ImportJobRow): ImportJobView {
    const live = this.live.get(row.id)
    const unfinished = row.status === 'queued' || row.status === 'running'
    let progress: ImportJobProgress | null = null
    if (live && unfinished) {
      const elapsed = live.startedAt === null ? 0 : (Date.now() - live.startedAt) / 1000
      const share = live.totalBytes > 0 ? live.bytesRead / live.totalBytes : 0
      progress = {
        records: live.records,
        problems: live.problems,
        bytesRead: live.bytesRead,
        totalBytes: live.totalBytes,
        percent: Math.floor(share * 100),
        secondsLeft:
          live.phase === 'reading' && share > 0.01 && elapsed >= 2 ? Math.ceil((elapsed * (1 - share)) / share) : null,
        phase: live.phase,
        cancelling: live.cancelledBy !== null,
      }
    }
    return {
      id: row.id,
      forceId: row.force_id,
      status: row.status,
      files: (JSON.parse(row.files) as { name: string; size: number }[]).map(({ name, size }) => ({ name, size })),
      createdBy: row.created_by,
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      cancelledBy: row.cancelled_by,
      skipBadRows: row.skip_bad_rows === 1,
      progress,
      summary: row.summary ? (JSON.parse(row.summary) as ImportJobSummary) : null,
      error: row.error,
    }
  }
}
