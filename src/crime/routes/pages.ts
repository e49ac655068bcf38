// The crime pages: Find (filters in the URL, server-side sort and paging), exports, a crime, a person, and import.
import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import type { CrimeContext } from '../context.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { isZip, looksLikeText } from '../import/index.ts'
import { ImportWaitError, type ImportJobView } from '../services/importJobs.ts'
import { receiveStreamedUploads, UploadRefusedError } from '../../platform/web/streamedUpload.ts'
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

/** Files in one upload. */
const MAX_IMPORT_FILES = 5

function fileSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`
  return `${Math.max(1, Math.round(bytes / 1024))} KB`
}

function timeLeft(seconds: number | null): string | null {
  if (seconds === null) return null
  if (seconds < 60) return 'less than a minute'
  const minutes = Math.round(seconds / 60)
  return minutes === 1 ? 'about a minute' : `about ${minutes} minutes`
}

/** What the progress page and its script show of a job. */
function jobModel(job: ImportJobView) {
  const { progress } = job
  const finished = !['queued', 'running'].includes(job.status)
  let state: string
  if (finished) state = job.status
  else if (!progress) state = 'elsewhere'
  else if (progress.cancelling) state = 'cancelling'
  else if (progress.phase === 'waiting') state = 'waiting'
  else state = progress.phase
  return {
    job,
    state,
    finished,
    files: job.files.map((file) => `${file.name} (${fileSize(file.size)})`),
    read: progress ? `${progress.percent}% (${fileSize(progress.bytesRead)} of ${fileSize(progress.totalBytes)})` : '',
    timeLeft: progress ? (timeLeft(progress.secondsLeft) ?? 'not known yet') : '',
    seconds: job.summary ? (job.summary.durationMs / 1000).toFixed(1) : '',
    canCancel: Boolean(progress && !progress.cancelling && progress.phase !== 'finishing'),
  }
}

const jobParams = z.object({ id: z.coerce.number().int().positive() })

export function crimeImportRouter(services: CrimeContext): Router {
  const router = Router()
  router.use(requireCapability('case:import'))
  const { imports } = services.crime
  const limit = services.config.importUploadLimitBytes
  const forceOf = (res: Response) => ({
    id: res.locals.permissions.forceId as number,
    name: res.locals.user?.forceName as string,
  })

  const formPage = async (res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const forceId = forceOf(res).id
    const [waiting, recent] = await Promise.all([imports.waitingFor(forceId), imports.recent(forceId)])
    res.status(status).render('crime/views/import.njk', {
      waiting,
      recent: recent.map(jobModel),
      limit: fileSize(limit),
      maxFiles: MAX_IMPORT_FILES,
      ...extra,
    })
  }

  router.get('/', async (_req, res) => {
    await formPage(res, 200)
  })

  router.post('/', async (req, res) => {
    const force = forceOf(res)
    // Told to wait before a byte is uploaded: the force's earlier import has not ended.
    const earlier = await imports.waitingFor(force.id)
    if (earlier) {
      req.resume()
      return formPage(res, 409, { error: new ImportWaitError(earlier).message })
    }
    // On SQLite a running import holds the database's one write lock until it commits: no other upload can even be
    // queued meanwhile, so it is told to wait before it is sent.
    if (services.dialect === 'sqlite' && services.crime.importer.busy) {
      req.resume()
      return formPage(res, 409, {
        error:
          'Another import is running, and on this database one import runs at a time: wait for it to finish, then upload again',
      })
    }
    const folder = join(services.config.uploadDir, 'crime-imports', randomUUID())
    let files
    try {
      files = await receiveStreamedUploads(req, res, {
        dir: folder,
        field: 'extracts',
        maxBytes: limit,
        maxFiles: MAX_IMPORT_FILES,
        checkStart: (start, name) =>
          looksLikeText(start) || isZip(start)
            ? null
            : `${name} is not a CSV extract or Excel workbook: upload the records system's export`,
      })
    } catch (refused) {
      if (!(refused instanceof UploadRefusedError)) throw refused
      return formPage(res, refused.status, { error: refused.message, skipBadRows: req.body?.skipBadRows === 'yes' })
    }
    const skipBadRows = req.body?.skipBadRows === 'yes'
    if (files.length === 0) {
      await rm(folder, { recursive: true, force: true })
      return formPage(res, 400, { error: 'Choose one or more extract files to import', skipBadRows })
    }
    try {
      const id = await imports.submit(res.locals.actor, force, files, folder, skipBadRows)
      res.redirect(303, `/crimes/import/jobs/${id}`)
    } catch (error) {
      await rm(folder, { recursive: true, force: true })
      if (!(error instanceof ImportWaitError)) throw error
      return formPage(res, 409, { error: error.message, skipBadRows })
    }
  })

  const jobOf = async (req: Request, res: Response) => {
    const params = jobParams.safeParse(req.params)
    const job = params.success ? await imports.view(forceOf(res).id, params.data.id) : undefined
    if (!job) throw new NotFoundError('There is no such import')
    return job
  }

  router.get('/jobs/:id', async (req, res) => {
    res.render('crime/views/import-job.njk', {
      ...jobModel(await jobOf(req, res)),
      tooLate: req.query.cancel === 'too-late',
    })
  })

  // The progress page's script asks for the figures every few seconds (the page works without it: a Refresh link).
  router.get('/jobs/:id/progress', async (req, res) => {
    const model = jobModel(await jobOf(req, res))
    res.set('Cache-Control', 'no-store').json({
      state: model.state,
      finished: model.finished,
      records: model.job.progress?.records ?? null,
      problems: model.job.progress?.problems ?? null,
      read: model.read,
      timeLeft: model.timeLeft,
    })
  })

  // The confirmation is a page of its own (GET), not the post's answer: a post answered with a page keeps that page in
  // the session (Post/Redirect/Get), a write that on SQLite would wait behind the running import's write lock.
  router.get('/jobs/:id/cancel', async (req, res) => {
    const model = jobModel(await jobOf(req, res))
    const back = `/crimes/import/jobs/${model.job.id}`
    if (!model.canCancel) return res.redirect(303, back)
    res.render('platform/views/pages/confirm.njk', {
      confirm: {
        title: 'Are you sure you want to cancel this import?',
        paragraphs: [
          `${model.files.join(', ')}: nothing from ${model.files.length === 1 ? 'this file' : 'these files'} will be imported. Records already read are not kept.`,
        ],
        button: 'Yes, cancel the import',
        destructive: true,
        back,
        action: `${back}/cancel`,
        fields: {},
      },
    })
  })

  router.post('/jobs/:id/cancel', async (req, res) => {
    const job = await jobOf(req, res)
    const back = `/crimes/import/jobs/${job.id}`
    if (req.body?.confirmed !== 'yes') return res.redirect(303, `${back}/cancel`)
    const cancelled = imports.cancel(res.locals.actor, forceOf(res).id, job)
    res.redirect(303, cancelled ? back : `${back}?cancel=too-late`)
  })
  return router
}
