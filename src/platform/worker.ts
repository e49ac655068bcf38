// Work that must not stall the web server's event loop or grow without bound (reading uploaded documents) runs on a
// worker thread with a memory cap and a time limit. The worker is ended when either is passed; the caller gets a
// WorkerLimitError saying which, and the server goes on answering everyone else.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'

export class WorkerLimitError extends Error {
  constructor(
    readonly limit: 'memory' | 'time',
    message: string,
  ) {
    super(message)
    this.name = 'WorkerLimitError'
  }
}

export interface WorkerLimits {
  /** Heap the worker may use (young and old generations), in megabytes. */
  memoryMb: number
  /** Wall-clock time before the worker is ended, in milliseconds. */
  timeoutMs: number
}

/** A module as a worker's entry; run from TypeScript source through tsx's loader, registered first. */
export function workerEntry(moduleUrl: string): URL {
  if (!moduleUrl.endsWith('.ts')) return new URL(moduleUrl)
  const bootstrap =
    `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); ` +
    `await import(${JSON.stringify(moduleUrl)})`
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`)
}

/** The heap limits Node takes for a worker capped at memoryMb. */
export function resourceLimitsFor(memoryMb: number): {
  maxOldGenerationSizeMb: number
  maxYoungGenerationSizeMb: number
} {
  return { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.max(16, Math.min(64, memoryMb / 8)) }
}

interface Job {
  id: number
  data: unknown
  limits: WorkerLimits
  resolve: (value: unknown) => void
  reject: (error: Error) => void
}

interface PoolWorker {
  worker: Worker
  job: Job | null
  idle: NodeJS.Timeout | null
}

/**
 * A few long-lived workers running one module (started on first use, since loading the document libraries takes
 * seconds), each doing one job at a time; jobs beyond them wait their turn, so a burst of uploads cannot exhaust the
 * machine. A worker that passes a job's memory or time limit is ended and replaced on the next job. Workers do not
 * keep the process alive and end after a few idle minutes.
 */
export class WorkerPool {
  private readonly workers: PoolWorker[] = []
  private readonly queue: Job[] = []
  private nextId = 1

  constructor(
    private readonly moduleUrl: string,
    private readonly size: number,
    private readonly idleMs = 5 * 60_000,
  ) {
    pools.add(this)
  }

  run<T>(data: unknown, limits: WorkerLimits): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, data, limits, resolve: resolve as (value: unknown) => void, reject })
      this.dispatch()
    })
  }

  /** Ends every worker (tests, shutdown). */
  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((entry) => entry.worker.terminate()))
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let entry = this.workers.find((candidate) => candidate.job === null)
      if (!entry) {
        if (this.workers.length >= this.size) return
        entry = this.start(this.queue[0].limits)
      }
      this.assign(entry, this.queue.shift() as Job)
    }
  }

  private start(limits: WorkerLimits): PoolWorker {
    const worker = new Worker(workerEntry(this.moduleUrl), {
      workerData: { pooled: true },
      resourceLimits: resourceLimitsFor(limits.memoryMb),
    })
    worker.unref()
    const entry: PoolWorker = { worker, job: null, idle: null }
    this.workers.push(entry)
    worker.on('message', (message: { id: number; reply: unknown }) => {
      const job = entry.job
      if (!job || job.id !== message.id) return
      clearTimeout(timers.get(job.id))
      entry.job = null
      job.resolve(message.reply)
      entry.idle = setTimeout(() => this.retire(entry), this.idleMs).unref()
      this.dispatch()
    })
    const fail = (error: Error) => {
      this.retire(entry)
      const job = entry.job
      entry.job = null
      if (job) {
        clearTimeout(timers.get(job.id))
        job.reject(error)
      }
      this.dispatch()
    }
    worker.on('error', (error: Error & { code?: string }) =>
      fail(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new WorkerLimitError('memory', `needed more than ${entry.job?.limits.memoryMb ?? '?'} MB of memory`)
          : error,
      ),
    )
    worker.on('exit', (code) => fail(new Error(`the worker stopped (exit code ${code}) without an answer`)))
    return entry
  }

  private assign(entry: PoolWorker, job: Job): void {
    if (entry.idle) clearTimeout(entry.idle)
    entry.idle = null
    entry.job = job
    timers.set(
      job.id,
      setTimeout(() => {
        if (entry.job !== job) return
        entry.job = null
        this.retire(entry)
        job.reject(new WorkerLimitError('time', `took longer than ${Math.round(job.limits.timeoutMs / 1000)} seconds`))
        this.dispatch()
      }, job.limits.timeoutMs),
    )
    entry.worker.postMessage({ id: job.id, data: job.data })
  }

  private retire(entry: PoolWorker): void {
    const index = this.workers.indexOf(entry)
    if (index >= 0) this.workers.splice(index, 1)
    if (entry.idle) clearTimeout(entry.idle)
    void entry.worker.terminate()
  }
}

const timers = new Map<number, NodeJS.Timeout>()
const pools = new Set<WorkerPool>()

/**
 * Ends every pool's workers. A command-line command calls it when it is done: an idle worker, kept warm for the web
 * server's next document, otherwise kept `threadline plan import` waiting after it had finished.
 */
export async function closeWorkerPools(): Promise<void> {
  await Promise.all([...pools].map((pool) => pool.close()))
}

/** The worker side of a WorkerPool: answers each job with the handler's result. */
export function servePool(handler: (data: unknown) => Promise<unknown>): void {
  if (isMainThread || !parentPort || !(workerData as { pooled?: boolean } | undefined)?.pooled) return
  const port = parentPort
  port.on('message', (message: { id: number; data: unknown }) => {
    void handler(message.data).then((reply) => port.postMessage({ id: message.id, reply }))
  })
}
