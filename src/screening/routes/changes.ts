// The crime registrar's page (issue 14): every change Threadline made that the force's records system should hold (an
// included classification added by a screening decision, an intelligence report flagged stalking), with the crime
// reference, the change, who decided, when and why; filtered in the URL and exported as CSV or JSON, the same rows as
// `threadline changes export`. For those who bring the records system's extracts in (case:import).
import { Router, type Response } from 'express'
import type { ScreeningContext } from '../context.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { changesCsv, changesFilterSchema, type ChangesFilter } from '../services/screeningService.ts'
import { errorList, viewerOf } from './helpers.ts'

/** The page's words for the filters' problems (the schema's are the command line's). */
const MESSAGES: Record<string, string> = {
  since: 'The date the changes were decided from must be a real date, for example 27 3 2025',
  status: 'Choose pending, confirmed or all changes',
  overdueDays: 'Enter the days after which a pending change is overdue as a whole number, 1 or more',
}

/** The filters from the URL: the page lists pending changes unless asked otherwise. */
function parseFilters(query: Record<string, unknown>) {
  return changesFilterSchema.safeParse({
    since: query.since,
    status: query.status === undefined || query.status === '' ? 'pending' : query.status,
    overdueDays: query.overdueDays,
  })
}

/** The filters written back as a query string, for the export links. */
function queryOf(filter: ChangesFilter): string {
  const params = new URLSearchParams({ status: filter.status, overdueDays: String(filter.overdueDays) })
  if (filter.since) params.set('since', filter.since)
  return `?${params.toString()}`
}

export function recordsChangesRouter(services: ScreeningContext): Router {
  const router = Router()
  const screening = services.screening.service
  const registrar = requireCapability('case:import')

  const refuse = (res: Response, query: Record<string, unknown>, issues: { path: PropertyKey[] }[]) => {
    const errors: Record<string, string> = {}
    for (const issue of issues) {
      const field = String(issue.path[0])
      errors[field] ??= MESSAGES[field] ?? 'Check the filters'
    }
    res.status(400).render('screening/views/changes.njk', {
      pageTitle: 'Changes for the records system',
      filters: query,
      errors,
      errorList: errorList(errors),
      changes: null,
    })
  }

  router.get('/records-changes', registrar, async (req, res) => {
    const query = req.query as Record<string, unknown>
    const parsed = parseFilters(query)
    if (!parsed.success) return refuse(res, query, parsed.error.issues)
    const changes = await screening.changesFor(viewerOf(res), parsed.data)
    res.render('screening/views/changes.njk', {
      pageTitle: 'Changes for the records system',
      filters: parsed.data,
      errors: {},
      errorList: [],
      changes,
      overdue: changes.filter((change) => change.overdue).length,
      csvHref: `/records-changes.csv${queryOf(parsed.data)}`,
      jsonHref: `/records-changes.json${queryOf(parsed.data)}`,
    })
  })

  // The exports: the same rows as the page and as `threadline changes export`, audited as exported.
  for (const format of ['csv', 'json'] as const) {
    router.get(`/records-changes.${format}`, registrar, async (req, res) => {
      const query = req.query as Record<string, unknown>
      const parsed = parseFilters(query)
      if (!parsed.success) return refuse(res, query, parsed.error.issues)
      const changes = await screening.changesFor(viewerOf(res), parsed.data, true)
      const day = new Date().toISOString().slice(0, 10)
      res.attachment(`records-system-changes-${day}.${format}`)
      if (format === 'csv') res.type('text/csv; charset=utf-8').send(changesCsv(changes))
      else res.type('application/json; charset=utf-8').send(`${JSON.stringify(changes, null, 2)}\n`)
    })
  }
  return router
}
