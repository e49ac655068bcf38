// The daily case work job: a run refused because the database is busy (on SQLite, a long import holding the write
// lock) is tried again soon, not the next day; any other failure is logged and waits for the next day.
import { describe, expect, it, vi } from 'vitest'
import { startCaseJobs } from '../../src/cases/index.ts'

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })
const settle = () => new Promise((resolve) => setTimeout(resolve, 60))

describe('the daily case work job', () => {
  it('tries again after the retry wait when the database was busy, then sends', async () => {
    const sendNotifications = vi.fn().mockRejectedValueOnce(busy()).mockResolvedValueOnce({ sent: 3 })
    const log = vi.fn()
    const stop = startCaseJobs({ cases: { sendNotifications } } as never, log, { firstMs: 0, retryMs: 10 })
    await settle()
    stop()
    expect(sendNotifications).toHaveBeenCalledTimes(2)
    expect(log.mock.calls.map((call) => call[0])).toEqual([
      'case work notifications waited: the database is busy (an import?); trying again in five minutes',
      'case work notifications: {"sent":3}',
    ])
  })

  it('logs any other failure and does not try again before the next day', async () => {
    const failure = new Error('SMTP refused')
    const sendNotifications = vi.fn().mockRejectedValue(failure)
    const log = vi.fn()
    const stop = startCaseJobs({ cases: { sendNotifications } } as never, log, { firstMs: 0, retryMs: 10 })
    await settle()
    stop()
    expect(sendNotifications).toHaveBeenCalledTimes(1)
    expect(log).toHaveBeenCalledWith('case work notifications failed', failure)
  })
})
