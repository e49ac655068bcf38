// Judging narratives on a worker thread. A full screening run reads and links every record on its own thread while the
// narratives it has already read are judged here, so on two cores the run takes about as long as the slower of the
// two instead of their sum (bench/README.md, "Screening every crime"). The judgement is the same function either way:
// should the worker fail (it cannot start, or passes its limits), the batch is judged on the caller's thread.
import { WorkerPool, servePool, type WorkerLimits } from '../../platform/worker.ts'
import { explainNarrative, type NarrativeExplanation } from '../indicators/index.ts'
import { formerPartnersMatch } from './reasons.ts'

/** What a run keeps of a narrative once it has been read. */
export interface NarrativeJudgement {
  /** The narrative's explanation; null when it found no indicator and does not suggest stalking. */
  explanation: NarrativeExplanation | null
  /** formerPartnersMatch(narrative) where it was asked for, else null. */
  formerPartners: string | null
}

interface Request {
  narratives: string[]
  /** For each narrative, whether the rules look for former partners in it (domestic abuse flagged, and watched). */
  formerPartners: boolean[]
}

/** Reads one narrative: its explanation (kept only when it found something) and the former-partners words. */
export function judgeNarrative(narrative: string, lookForFormerPartners: boolean): NarrativeJudgement {
  // Every record is screened: its narrative is always read (a crime under any classification may be stalking).
  const explanation = explainNarrative(narrative)
  return {
    explanation: explanation.indicators.length > 0 || explanation.suggestsStalking ? explanation : null,
    formerPartners: lookForFormerPartners ? formerPartnersMatch(narrative) : null,
  }
}

function judgeAll(request: Request): NarrativeJudgement[] {
  return request.narratives.map((narrative, i) => judgeNarrative(narrative, request.formerPartners[i]))
}

/** A batch of 20,000 narratives takes about half a second; the limits are far beyond that. */
const JUDGE_LIMITS: WorkerLimits = { memoryMb: 1024, timeoutMs: 300_000 }

const pool = new WorkerPool(import.meta.url, 1)

/** judgeNarrative over a batch, on the worker thread (or on this one when the worker fails). */
export async function judgeInWorker(narratives: string[], formerPartners: boolean[]): Promise<NarrativeJudgement[]> {
  const request: Request = { narratives, formerPartners }
  try {
    return await pool.run<NarrativeJudgement[]>(request, JUDGE_LIMITS)
  } catch {
    return judgeAll(request)
  }
}

/** Ends the judging worker (tests; it otherwise ends itself when idle). */
export const closeJudges = (): Promise<void> => pool.close()

servePool(async (data) => judgeAll(data as Request))
