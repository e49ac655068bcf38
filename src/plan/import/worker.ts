// Reads a plan document on a worker thread with a memory cap and a time limit (src/platform/worker.ts), so an upload
// built to exhaust memory or time is refused with a message while the web server goes on answering everyone else.
import { ArchiveRefusedError, checkArchive } from '../../platform/archive.ts'
import { WorkerLimitError, WorkerPool, servePool, type WorkerLimits } from '../../platform/worker.ts'
import type { Catalogue } from '../catalogue/catalogue.ts'
import type { ParsedPlan } from '../model.ts'
import { PlanImportError } from '../model.ts'
import { PLAN_ARCHIVE_LIMITS, readPlanDocument } from './index.ts'

/** A published plan reads in a second or two in well under 100 MB; these are far beyond any real one. */
export const PLAN_READ_LIMITS: WorkerLimits = { memoryMb: 512, timeoutMs: 60_000 }

interface Request {
  content: Uint8Array
  fileName: string
  catalogue?: Catalogue
}

type Reply = { plan: ParsedPlan } | { refused: { message: string; location: string | null } }

const pool = new WorkerPool(import.meta.url, 2)

/** readPlanDocument, on a worker thread; every refusal is a PlanImportError naming the file. */
export async function readPlanInWorker(
  content: Buffer,
  fileName: string,
  options: { catalogue?: Catalogue; limits?: Partial<WorkerLimits> } = {},
): Promise<ParsedPlan> {
  const limits = { ...PLAN_READ_LIMITS, ...options.limits }
  let reply: Reply
  try {
    // A zip container is checked here first (inflated natively off the event loop, nothing kept): a zip bomb is
    // refused in a moment, without waiting for a worker.
    if (content.subarray(0, 2).toString('latin1') === 'PK') await checkArchive(content, PLAN_ARCHIVE_LIMITS)
    reply = await pool.run<Reply>({ content, fileName, catalogue: options.catalogue } satisfies Request, limits)
  } catch (error) {
    if (error instanceof ArchiveRefusedError) throw new PlanImportError(error.message, fileName)
    if (error instanceof WorkerLimitError) {
      throw new PlanImportError(
        `reading the document ${error.message}, far more than any plan needs; it is not a plan, or it is built to exhaust the server`,
        fileName,
      )
    }
    throw error
  }
  if ('refused' in reply) {
    const refusal = new PlanImportError('', null)
    refusal.message = reply.refused.message
    Object.assign(refusal, { location: reply.refused.location })
    throw refusal
  }
  return reply.plan
}

/** Ends the reading workers (tests; the server's workers end themselves when idle). */
export const closePlanReaders = (): Promise<void> => pool.close()

servePool(async (data) => {
  const request = data as Request
  try {
    return {
      plan: await readPlanDocument(Buffer.from(request.content), request.fileName, { catalogue: request.catalogue }),
    } satisfies Reply
  } catch (error) {
    const refused = error instanceof PlanImportError ? error : new PlanImportError('the document could not be read')
    return { refused: { message: refused.message, location: refused.location } } satisfies Reply
  }
})
