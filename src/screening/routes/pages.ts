// Screening pages: the queue, a crime's screening page with the decision form, the S-DASH form, the measures, and
// the stalking search (crimes recorded with 8Q, principal or included, through the crime area's search).
import { Router, type Request, type Response } from 'express'
import type { ScreeningContext } from '../context.ts'
import { crimeSearchSchema } from '../../crime/index.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { REASON_LABELS } from '../services/reasons.ts'
import { parseSdashForm, RISK_LABELS, SDASH_QUESTIONS, SDASH_SOURCE } from '../services/sdash.ts'
import { ACTION_LABELS, OUTCOME_LABELS, ScreeningInputError } from '../services/screeningService.ts'
import {
  crimeIdParam,
  defaultPeriod,
  errorList,
  settingsFormSchema,
  type SettingsFormValues,
  measuresQuerySchema,
  queryString,
  queueFiltersSchema,
  viewerOf,
} from './helpers.ts'

const PAGE_SIZE = 25

const labels = {
  outcomeLabels: OUTCOME_LABELS,
  actionLabels: ACTION_LABELS,
  reasonLabels: REASON_LABELS,
  riskLabels: RISK_LABELS,
  questions: SDASH_QUESTIONS,
  sdashSource: SDASH_SOURCE,
}

export function screeningRouter(services: ScreeningContext): Router {
  const router = Router()
  const screening = services.screening.service
  router.use(requireCapability('screening:read'))

  router.get('/', async (req, res) => {
    const parsed = queueFiltersSchema.safeParse(req.query)
    const viewer = viewerOf(res)
    const teams = await screening.teams(viewer.forceId)
    if (!parsed.success) {
      const errors: Record<string, string> = {}
      for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message
      res.status(400).render('screening/views/queue.njk', {
        ...labels,
        pageTitle: 'Screening queue',
        filters: req.query,
        errors,
        errorList: errorList(errors),
        teams,
        result: null,
      })
      return
    }
    const filters = parsed.data
    const result = await screening.queue(viewer, filters, filters.page, PAGE_SIZE)
    const { page: _page, ...rest } = filters
    res.render('screening/views/queue.njk', {
      ...labels,
      pageTitle: 'Screening queue',
      filters,
      errors: {},
      errorList: [],
      teams,
      result,
      canRun: res.locals.permissions.can('screening:decide'),
      canConfigure: res.locals.permissions.can('screening:decide'),
      previousHref: filters.page > 1 ? `/screening${queryString(rest, { page: filters.page - 1 })}` : null,
      nextHref: filters.page < result.pageCount ? `/screening${queryString(rest, { page: filters.page + 1 })}` : null,
    })
  })

  router.post('/run', requireCapability('screening:decide'), async (req, res) => {
    const full = req.body?.mode === 'full'
    const forceId = viewerOf(res).forceId
    const summary = full
      ? await screening.run(res.locals.actor, forceId, { mode: 'full' })
      : await screening.screenChangedCrimes(res.locals.actor, forceId)
    req.session.flash = {
      type: 'success',
      text: `Screened ${summary.screened} ${full ? '' : 'new or changed '}crimes: ${summary.queued} added to the queue, ${summary.updated} updated; ${summary.courses} courses of conduct (${summary.coursesChanged} changed).`,
    }
    res.redirect('/screening')
  })

  async function renderSettings(res: Response, values: SettingsFormValues, errors: Record<string, string> = {}) {
    const watched = new Set(values.watched)
    const groups = new Map<string, { label: string; stalkingRelated: boolean; watchedCount: number; items: object[] }>()
    for (const entry of services.crime.catalogue.classes) {
      let group = groups.get(entry.group)
      if (!group)
        groups.set(entry.group, (group = { label: entry.group, stalkingRelated: false, watchedCount: 0, items: [] }))
      group.stalkingRelated ||= entry.stalkingRelated
      if (watched.has(entry.code)) group.watchedCount++
      group.items.push({
        value: entry.code,
        text: `${entry.code} ${entry.name}`,
        checked: watched.has(entry.code),
        hint: entry.stalkingRelated ? { text: 'Stalking-related' } : undefined,
      })
    }
    res.status(Object.keys(errors).length ? 400 : 200).render('screening/views/settings.njk', {
      pageTitle: 'Screening settings',
      groups: [...groups.values()].sort((a, b) => Number(b.stalkingRelated) - Number(a.stalkingRelated)),
      values,
      errors,
      errorList: errorList(errors, { watched: 'watched', windowDays: 'windowDays', minIncidents: 'minIncidents' }),
    })
  }

  router.get('/settings', requireCapability('screening:decide'), async (_req, res) => {
    const settings = await screening.settings(viewerOf(res).forceId)
    await renderSettings(res, {
      ...settings,
      windowDays: String(settings.windowDays),
      minIncidents: String(settings.minIncidents),
    })
  })

  router.post('/settings', requireCapability('screening:decide'), async (req, res) => {
    const values = settingsFormSchema.parse(req.body ?? {})
    try {
      await screening.saveSettings(res.locals.actor, viewerOf(res).forceId, {
        watched: values.watched,
        watchFormerPartners: values.watchFormerPartners,
        windowDays: /^\d{1,5}$/.test(values.windowDays) ? Number(values.windowDays) : Number.NaN,
        minIncidents: /^\d{1,5}$/.test(values.minIncidents) ? Number(values.minIncidents) : Number.NaN,
      })
    } catch (error) {
      if (!(error instanceof ScreeningInputError)) throw error
      await renderSettings(res, values, error.errors)
      return
    }
    req.session.flash = {
      type: 'success',
      text: 'Screening settings saved. New and changed crimes are screened with them; run a full screening to apply them to every crime.',
    }
    res.redirect('/screening/settings')
  })

  async function renderCrime(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const id = crimeIdParam(req.params.id)
    const view = await screening.crimeView(viewerOf(res), id)
    if (!view) throw new NotFoundError('There is no such crime')
    res.status(status).render('screening/views/crime.njk', {
      ...labels,
      pageTitle: `Screening ${view.crime.force_reference}`,
      view,
      canDecide: res.locals.permissions.can('screening:decide', view.crime.force_id),
      canAssess: res.locals.permissions.can('case:edit', view.crime.force_id),
      errors: {},
      errorList: [],
      values: {},
      ...extra,
    })
  }

  router.get('/crimes/:id', async (req, res) => {
    await renderCrime(req, res)
  })

  router.post('/crimes/:id/decision', requireCapability('screening:decide'), async (req, res) => {
    const id = crimeIdParam(req.params.id)
    try {
      const result = await screening.decide(viewerOf(res), id, req.body ?? {})
      req.session.flash = {
        type: 'success',
        text: result.classificationAdded
          ? 'Decision recorded. 8Q Stalking is now an included classification on this crime.'
          : 'Decision recorded.',
      }
      res.redirect(`/screening/crimes/${id}`)
    } catch (error) {
      if (!(error instanceof ScreeningInputError) || error.errors.crime) throw error
      await renderCrime(
        req,
        res,
        {
          errors: error.errors,
          errorList: errorList(error.errors, {
            outcome: 'outcome',
            action: 'action',
            rationale: 'rationale',
          }),
          values: req.body ?? {},
        },
        400,
      )
    }
  })

  router.get('/crimes/:id/sdash', requireCapability('case:edit'), async (req, res) => {
    const id = crimeIdParam(req.params.id)
    const view = await screening.crimeView(viewerOf(res), id)
    if (!view) throw new NotFoundError('There is no such crime')
    res.render('screening/views/sdash.njk', {
      ...labels,
      pageTitle: `Stalking screening tool (S-DASH) – ${view.crime.force_reference}`,
      view,
      errors: {},
      errorList: [],
      values: {},
    })
  })

  router.post('/crimes/:id/sdash', requireCapability('case:edit'), async (req, res) => {
    const id = crimeIdParam(req.params.id)
    const parsed = parseSdashForm((req.body ?? {}) as Record<string, unknown>)
    if (!parsed.ok) {
      const view = await screening.crimeView(viewerOf(res), id)
      if (!view) throw new NotFoundError('There is no such crime')
      const ids: Record<string, string> = { judgement: 'judgement', riskLevel: 'riskLevel' }
      res.status(400).render('screening/views/sdash.njk', {
        ...labels,
        pageTitle: `Stalking screening tool (S-DASH) – ${view.crime.force_reference}`,
        view,
        errors: parsed.errors,
        errorList: errorList(parsed.errors, ids),
        values: req.body ?? {},
      })
      return
    }
    const result = await screening.assess(viewerOf(res), id, parsed.value)
    req.session.flash = {
      type: 'success',
      text: `S-DASH recorded: ${result.yesCount} of ${SDASH_QUESTIONS.length} questions answered yes, with your professional judgement.`,
    }
    res.redirect(`/screening/crimes/${id}#sdash`)
  })

  router.get('/measures', async (req, res) => {
    const parsed = measuresQuerySchema.safeParse(req.query)
    const viewer = viewerOf(res)
    if (!parsed.success) {
      const errors: Record<string, string> = {}
      for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message
      res.status(400).render('screening/views/measures.njk', {
        pageTitle: 'Screening measures',
        query: req.query,
        errors,
        errorList: errorList(errors),
        measures: null,
      })
      return
    }
    const period = defaultPeriod()
    const options = {
      from: parsed.data.from ?? period.from,
      to: parsed.data.to ?? period.to,
      withinDays: parsed.data.withinDays,
    }
    const measures = await services.screening.screeningMeasures(viewer.forceId, options)
    res.render('screening/views/measures.njk', {
      pageTitle: 'Screening measures',
      query: options,
      errors: {},
      errorList: [],
      measures,
    })
  })

  router.get('/stalking', requireCapability('case:read'), async (req, res) => {
    const match = ['principal', 'included'].includes(String(req.query.match)) ? String(req.query.match) : 'either'
    const page = Math.max(1, Math.min(100000, Number.parseInt(String(req.query.page ?? '1'), 10) || 1))
    const search = crimeSearchSchema.parse({ classification: '8Q', match, page: String(page) })
    const result = await services.crime.records.search(viewerOf(res), search)
    const outcomes = await services.screening.outcomesOf(result.crimes.map((crime) => crime.id))
    res.render('screening/views/stalking.njk', {
      ...labels,
      pageTitle: 'Crimes recorded as stalking',
      match,
      result,
      outcomes: Object.fromEntries(outcomes),
      previousHref: page > 1 ? `/screening/stalking?match=${match}&page=${page - 1}` : null,
      nextHref: page < result.pageCount ? `/screening/stalking?match=${match}&page=${page + 1}` : null,
    })
  })

  return router
}
