// The crime pages: Find (filters in the URL, server-side sort and paging), exports, a crime, a person, and import.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import type { CrimeContext } from '../context.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { isZip, looksLikeText } from '../import/index.ts'
import { ImportStoppedError } from '../services/importService.ts'
import { readInWorker } from '../services/readerWorker.ts'
import { describeProblem } from '../model.ts'
import { toCsv, toXlsx } from '../services/exportService.ts'
import { EXPORT_LIMIT } from '../services/crimeService.ts'
import {
  crimeSearchSchema,
  FLAG_LABELS,
  FLAGS,
  searchErrors,
  searchToQuery,
  SORTS,
  type CrimeSearch,
} from '../services/searchFilters.ts'
import { viewerOf } from '../../platform/web/requestHelpers.ts'

const idParam = z.object({ id: z.coerce.number().int().positive() })

export { viewerOf }

const SORT_LABELS: Record<(typeof SORTS)[number], string> = {
  reference: 'Reference',
  reported: 'Reported',
  principal: 'Principal classification',
  team: 'Team',
  outcome: 'Outcome',
}

/** Everything the Find page's filter form and table headers need, for a search (valid or not). */
async function findPageModel(services: CrimeContext, res: Response, search: Partial<CrimeSearch>) {
  const { catalogue } = services.crime
  const forceId = res.locals.permissions.forceId as number
  const teams = await services.crime.records.teams(forceId)
  const current = { ...search }
  const sortLinks = SORTS.map((sort) => {
    const active = (search.sort ?? 'reported') === sort
    const order = active && (search.order ?? 'desc') === 'desc' ? 'asc' : 'desc'
    return {
      sort,
      label: SORT_LABELS[sort],
      href: `/crimes?${searchToQuery(current, { sort, order, page: 1 })}`,
      ariaSort: active ? ((search.order ?? 'desc') === 'asc' ? 'ascending' : 'descending') : 'none',
    }
  })
  return {
    search: current,
    outcomeValue: current.outcome === undefined ? '' : String(current.outcome),
    classifications: catalogue.classes.map((entry) => ({ value: entry.code, text: `${entry.code} ${entry.name}` })),
    groups: catalogue.groups.map((group) => ({ value: group.key, text: group.label })),
    outcomes: catalogue.outcomes.map((outcome) => ({
      value: String(outcome.number),
      text: `${outcome.number} ${outcome.name}`,
    })),
    teams,
    flags: FLAGS.map((flag) => ({
      value: flag,
      text: FLAG_LABELS[flag],
      checked: (search.flags ?? []).includes(flag),
    })),
    sortLinks: Object.fromEntries(sortLinks.map((link) => [link.sort, link])),
    canImport: res.locals.permissions.can('case:import'),
  }
}

function pagination(search: CrimeSearch, pageCount: number) {
  const href = (page: number) => `/crimes?${searchToQuery(search, { page })}`
  const pages = new Set([1, pageCount, search.page - 1, search.page, search.page + 1])
  const items: { number?: number; href?: string; current?: boolean; ellipsis?: boolean }[] = []
  let previous = 0
  for (const page of [...pages].filter((p) => p >= 1 && p <= pageCount).sort((a, b) => a - b)) {
    if (page - previous > 1) items.push({ ellipsis: true })
    items.push({ number: page, href: href(page), current: page === search.page })
    previous = page
  }
  return {
    items,
    ...(search.page > 1 ? { previous: { href: href(search.page - 1) } } : {}),
    ...(search.page < pageCount ? { next: { href: href(search.page + 1) } } : {}),
  }
}

export function crimePagesRouter(services: CrimeContext): Router {
  const router = Router()
  router.use(requireCapability('case:read'))

  router.get('/', async (req, res) => {
    const parsed = crimeSearchSchema.safeParse(req.query)
    if (!parsed.success) {
      const errors = searchErrors(parsed.error)
      const raw = req.query as Record<string, unknown>
      res.status(400).render('crime/views/find.njk', {
        ...(await findPageModel(services, res, raw as Partial<CrimeSearch>)),
        errors,
        errorFields: Object.fromEntries(errors.map((error) => [error.field, error.text])),
      })
      return
    }
    const search = parsed.data
    const viewer = viewerOf(res)
    if (search.classification && !services.crime.catalogue.canonical(search.classification)) {
      const errors = [
        { field: 'classification', text: `"${search.classification}" is not a known offence classification` },
      ]
      res.status(400).render('crime/views/find.njk', {
        ...(await findPageModel(services, res, search)),
        errors,
        errorFields: { classification: errors[0].text },
      })
      return
    }
    const result = await services.crime.records.search(viewer, search)
    const screening = Object.fromEntries(await services.screening.outcomesOf(result.crimes.map((crime) => crime.id)))
    const people =
      search.name || search.dob || search.identifier
        ? await services.crime.records.searchPeople(viewer, search, 10)
        : null
    const query = searchToQuery({ ...search, page: 1 })
    res.render('crime/views/find.njk', {
      ...(await findPageModel(services, res, search)),
      result,
      screening,
      people,
      pagination: pagination(search, result.pageCount),
      exportCsv: `/crimes/export.csv${query ? `?${query}` : ''}`,
      exportXlsx: `/crimes/export.xlsx${query ? `?${query}` : ''}`,
      exportLimit: EXPORT_LIMIT,
      first: (search.page - 1) * search.pageSize + 1,
      last: (search.page - 1) * search.pageSize + result.crimes.length,
    })
  })

  const exportRoute = (format: 'csv' | 'xlsx') => async (req: Request, res: Response) => {
    const parsed = crimeSearchSchema.safeParse(req.query)
    if (!parsed.success) {
      res
        .status(400)
        .type('text/plain')
        .send(`The search is not valid: ${searchErrors(parsed.error)[0].text}`)
      return
    }
    const rows = await services.crime.records.exportRows(viewerOf(res), parsed.data, format)
    const name = `crimes-${new Date().toISOString().slice(0, 10)}.${format}`
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`)
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').send(toCsv(rows))
    } else {
      res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await toXlsx(rows))
    }
  }
  router.get('/export.csv', exportRoute('csv'))
  router.get('/export.xlsx', exportRoute('xlsx'))

  router.get('/people/:id', async (req, res) => {
    const { id } = idParam.parse(req.params)
    const view = await services.crime.records.person(viewerOf(res), id)
    if (!view) throw new NotFoundError('There is no such person')
    res.render('crime/views/person.njk', view)
  })

  router.get('/:id', async (req, res) => {
    const params = idParam.safeParse(req.params)
    if (!params.success) throw new NotFoundError()
    const view = await services.crime.records.crime(viewerOf(res), params.data.id)
    if (!view) throw new NotFoundError('There is no such crime record')
    const screening = (await services.screening.outcomesOf([params.data.id])).get(params.data.id) ?? null
    // Victim feedback surveys (Recommendation 11.3) are of stalking victims: offered on crimes carrying 8Q.
    const isStalking = view.classifications.some((entry) => entry.code === '8Q')
    res.render('crime/views/crime.njk', { ...view, flagLabels: FLAG_LABELS, screening, isStalking })
  })
  return router
}

/** An upload is at most 5 files of 20 MB: a few hundred thousand records, imported in well under a minute. */
const WEB_IMPORT_LIMIT_MS = 10 * 60_000

export function crimeImportRouter(services: CrimeContext): Router {
  const router = Router()
  router.use(requireCapability('case:import'))

  router.get('/', (_req, res) => {
    res.render('crime/views/import.njk', {})
  })

  router.post('/', async (req, res) => {
    const uploads = ((req.files as Express.Multer.File[] | undefined) ?? []).filter(
      (file) => file.fieldname === 'extracts',
    )
    const skipBadRows = req.body?.skipBadRows === 'yes'
    const error = (text: string) => res.status(400).render('crime/views/import.njk', { error: text, skipBadRows })
    if (uploads.length === 0) return error('Choose one or more extract files to import')
    const notText = uploads.find((file) => !looksLikeText(file.buffer) && !isZip(file.buffer))
    if (notText) {
      return error(`${notText.originalname} is not a CSV extract or Excel workbook: upload the records system's export`)
    }
    const forceName = res.locals.user?.forceName as string
    const dir = mkdtempSync(join(tmpdir(), 'threadline-import-'))
    try {
      const files = uploads.map((file, index) => {
        const path = join(dir, `${index}-${basename(file.originalname).replace(/[^\w.-]/g, '_') || 'extract.csv'}`)
        writeFileSync(path, file.buffer)
        return path
      })
      // Read on a worker thread with a memory cap and a watchdog: a damaged or hostile workbook cannot stall the
      // server or hold the database; the upload is refused in words and the temporary folder removed.
      const reader = readInWorker(files, { forceName })
      // Messages name the file as uploaded, never the temporary copy (by path or by its name alone).
      const rename = (text: string) =>
        files.reduce(
          (out, file, index) =>
            out.replaceAll(file, uploads[index].originalname).replaceAll(basename(file), uploads[index].originalname),
          text,
        )
      let summary
      try {
        summary = await services.crime.importer.importRecords(res.locals.actor, reader, {
          force: forceName,
          skipBadRows,
          files: uploads.map((file) => file.originalname),
          timeLimitMs: WEB_IMPORT_LIMIT_MS,
        })
      } catch (stopped) {
        if (!(stopped instanceof ImportStoppedError)) throw stopped
        return res.status(422).render('crime/views/import.njk', {
          error: rename(`Import stopped: ${stopped.message}. Nothing was imported.`),
          skipBadRows,
        })
      }
      res.status(summary.written ? 200 : 422).render('crime/views/import.njk', {
        summary,
        skipBadRows,
        problems: summary.problems.slice(0, 200).map((problem) => rename(describeProblem(problem))),
        notices: reader.notices().map((notice) => rename(`${notice.file}: ${notice.message}`)),
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
  return router
}
