// Reads crime extracts on a worker thread, so parsing one chunk overlaps writing the previous one: on two or more
// cores an import takes about as long as the slower of the two instead of their sum. The worker also checks and
// prepares each record (prepareRecord), leaving the writer's thread only the writing.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { resourceLimitsFor, workerEntry } from '../../platform/worker.ts'
import { readCrimeExtracts, type ImportNotice, type ReadOptions } from '../import/index.ts'
import { ClassificationCatalogue } from './classifications.ts'
import { ImportStoppedError, type ImportItem } from './importService.ts'
import { prepareRecord } from './prepareRecord.ts'

const CHUNK = 1000
/** Chunks the worker may run ahead of the writer. */
const AHEAD = 8

interface Start {
  files: string[]
  options: Omit<ReadOptions, 'onProgress'>
}

type Message =
  | { type: 'items'; items: ImportItem[] }
  | { type: 'progress'; bytesRead: number; totalBytes: number }
  | { type: 'done'; notices: ImportNotice[] }
  | { type: 'error'; message: string }

export interface ReaderLimits {
  /** Heap the reading thread may use, in megabytes. */
  memoryMb?: number
  /** The reader is ended when it sends nothing (records, problems or progress) for this long. */
  idleMs?: number
}

/** Reading an extract needs little memory whatever its size (it streams); a workbook's shared strings need the most. */
export const READER_LIMITS = { memoryMb: 1024, idleMs: 60_000 }

/** The extract reader's results, read on a worker thread; notices() is complete once iteration ends. */
export function readInWorker(
  files: string[],
  options: ReadOptions = {},
  limits: ReaderLimits = {},
): AsyncIterable<ImportItem> & { notices(): ImportNotice[] } {
  const { memoryMb, idleMs } = { ...READER_LIMITS, ...limits }
  let notices: ImportNotice[] = []
  return {
    notices: () => notices,
    async *[Symbol.asyncIterator]() {
      const { onProgress, ...rest } = options
      const worker = new Worker(workerEntry(import.meta.url), {
        workerData: { files, options: rest } satisfies Start,
        resourceLimits: resourceLimitsFor(memoryMb),
      })
      const queue: Message[] = []
      let wake: (() => void) | null = null
      let failure: Error | null = null
      worker.on('message', (message: Message) => {
        if (message.type === 'progress') onProgress?.(message.bytesRead, message.totalBytes)
        else queue.push(message)
        wake?.()
      })
      worker.on('error', (error: Error & { code?: string }) => {
        failure =
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ImportStoppedError(
                `reading the extract needed more than ${memoryMb} MB of memory (a workbook with too many distinct texts, or not an extract)`,
              )
            : error
        wake?.()
      })
      worker.on('exit', () => {
        failure ??= new ImportStoppedError('the extract reader stopped before the end of the file')
        wake?.()
      })
      let last = Date.now()
      worker.on('message', () => (last = Date.now()))
      const watchdog = setInterval(
        () => {
          if (Date.now() - last < idleMs) return
          failure ??= new ImportStoppedError(
            `reading the extract stopped making progress for ${Math.round(idleMs / 1000)} seconds, so the file is damaged or not an extract the reader understands`,
          )
          wake?.()
        },
        Math.min(1000, idleMs),
      )
      try {
        for (;;) {
          while (queue.length === 0 && !failure) await new Promise<void>((resolve) => (wake = resolve))
          if (queue.length === 0) throw failure as unknown as Error
          const message = queue.shift() as Message
          if (message.type === 'error') throw new Error(message.message)
          if (message.type === 'done') {
            notices = message.notices
            return
          }
          if (message.type === 'items') {
            worker.postMessage('more')
            yield* message.items
          }
        }
      } finally {
        clearInterval(watchdog)
        await worker.terminate()
      }
    },
  }
}

async function work(start: Start): Promise<void> {
  const port = parentPort!
  let credit = AHEAD
  let resume: (() => void) | null = null
  port.on('message', () => {
    credit++
    resume?.()
  })
  let lastProgress = 0
  const reader = readCrimeExtracts(start.files, {
    ...start.options,
    onProgress: (bytesRead, totalBytes) => {
      const now = Date.now()
      if (now - lastProgress > 100 || bytesRead === totalBytes) {
        lastProgress = now
        port.postMessage({ type: 'progress', bytesRead, totalBytes } satisfies Message)
      }
    },
  })
  const catalogue = ClassificationCatalogue.load()
  let items: ImportItem[] = []
  const flush = async () => {
    while (credit <= 0) await new Promise<void>((resolve) => (resume = resolve))
    credit--
    port.postMessage({ type: 'items', items } satisfies Message)
    items = []
  }
  try {
    for await (const item of reader) {
      items.push('record' in item ? { ...item, prepared: prepareRecord(catalogue, item.record, item.source) } : item)
      if (items.length >= CHUNK) await flush()
    }
    if (items.length) await flush()
    port.postMessage({ type: 'done', notices: reader.notices() } satisfies Message)
  } catch (error) {
    port.postMessage({
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
    } satisfies Message)
  }
}

if (!isMainThread && parentPort && (workerData as Start | undefined)?.files) {
  await work(workerData as Start)
  parentPort.close()
}
