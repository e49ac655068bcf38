// Victim care pages: a crime's victims with their Victims' Code rights, needs assessments and referrals, and the forms
// to record each; the force's support-service directory (and its public page); the monitoring of referrals. Thin: the
// service validates, checks the force and audits.
import { Router, type NextFunction, type Request, type Response } from 'express'
import type { VictimContext } from '../context.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { errorList, monthsRangeFromQuery, recordIdParam, viewerOf } from '../../platform/web/requestHelpers.ts'
import { NEEDS, REFERRAL_OUTCOMES, RIGHTS_METHODS, SERVICE_KINDS } from '../services/victimService.ts'
import {
  KIND_LABELS,
  LOW_MONTH_RULE,
  NEED_LABELS,
  OUTCOME_LABELS,
  RIGHTS_METHOD_LABELS,
  SUPPORT_LABELS,
  VictimInputError,
  type Viewer,
} from '../services/victimService.ts'

type CareForm = 'rights' | 'needs' | 'referral' | 'outcome'

const labels = {
  methods: RIGHTS_METHODS.map((value) => ({ value, text: RIGHTS_METHOD_LABELS[value] })),
  needOptions: NEEDS.map((value) => ({ value, text: NEED_LABELS[value] })),
  supportLabels: SUPPORT_LABELS,
  outcomes: REFERRAL_OUTCOMES.map((value) => ({ value, text: OUTCOME_LABELS[value] })),
  kinds: SERVICE_KINDS.map((value) => ({ value, text: KIND_LABELS[value] })),
}

/** The id prefix of a form's inputs on the victim care page: one set of forms per victim, one outcome form per referral. */
export function fieldPrefix(form: CareForm, key: number): string {
  return form === 'outcome' ? `r${key}-` : `v${key}-${form}-`
}

const asArray = (value: unknown) => (value === undefined || value === null || value === '' ? [] : [value].flat())

export function victimRouter(services: VictimContext): Router {
  const router = Router()
  const victims = services.victims.service

  async function renderCare(
    req: Request,
    res: Response,
    failed?: { form: CareForm; key: number; errors: Record<string, string>; values: Record<string, unknown> },
  ) {
    const id = recordIdParam(req.params.id)
    const view = await victims.crimeView(viewerOf(res), id)
    if (!view) throw new NotFoundError('There is no such crime')
    const errors = failed?.errors ?? {}
    const prefix = failed ? fieldPrefix(failed.form, failed.key) : ''
    const ids = Object.fromEntries(Object.keys(errors).map((field) => [field, `${prefix}${field}`]))
    res.status(failed ? 400 : 200).render('victims/views/care.njk', {
      ...labels,
      pageTitle: `Victim care – ${view.crime.force_reference}`,
      view,
      canEdit: res.locals.permissions.can('case:edit', view.crime.force_id),
      failed: failed ? { form: failed.form, key: failed.key } : {},
      errors,
      errorList: errorList(errors, ids),
      values: failed ? { ...failed.values, needs: asArray(failed.values.needs) } : {},
    })
  }

  router.get('/crimes/:id', requireCapability('case:read'), async (req, res) => {
    await renderCare(req, res)
  })

  /** Records what a form sent; bad input re-renders the page with the errors and what was typed in that form. */
  function recordRoute(
    path: string,
    form: CareForm,
    keyParam: 'personId' | 'referralId',
    record: (viewer: Viewer, crimeId: number, key: number, body: unknown) => Promise<unknown>,
    flash: string,
  ) {
    router.post(path, requireCapability('case:edit'), async (req, res) => {
      const id = recordIdParam(req.params.id)
      const key = recordIdParam(req.params[keyParam])
      const body = (req.body ?? {}) as Record<string, unknown>
      try {
        await record(viewerOf(res), id, key, body)
      } catch (error) {
        if (!(error instanceof VictimInputError)) throw error
        if (error.errors.crime) throw new NotFoundError('There is no such crime')
        if (error.errors.person) throw new NotFoundError('This person is not recorded as a victim of this crime')
        if (error.errors.referral) throw new NotFoundError('There is no such referral on this crime')
        await renderCare(req, res, { form, key, errors: error.errors, values: body })
        return
      }
      req.session.flash = { type: 'success', text: flash }
      const anchor = form === 'outcome' ? `#referral-${key}` : `#victim-${key}`
      res.redirect(`/victims/crimes/${id}${anchor}`)
    })
  }

  recordRoute(
    '/crimes/:id/victims/:personId/rights',
    'rights',
    'personId',
    (viewer, id, personId, body) => victims.recordRights(viewer, id, personId, body),
    "Victims' Code rights recorded.",
  )
  recordRoute(
    '/crimes/:id/victims/:personId/needs',
    'needs',
    'personId',
    (viewer, id, personId, body) => victims.recordAssessment(viewer, id, personId, body),
    'Needs assessment recorded.',
  )
  recordRoute(
    '/crimes/:id/victims/:personId/referrals',
    'referral',
    'personId',
    (viewer, id, personId, body) => victims.recordReferral(viewer, id, personId, body),
    'Referral recorded.',
  )
  recordRoute(
    '/crimes/:id/referrals/:referralId',
    'outcome',
    'referralId',
    (viewer, id, referralId, body) => victims.updateReferralOutcome(viewer, id, referralId, body),
    'Referral outcome updated.',
  )

  // ---- The support-service directory ------------------------------------------------------------------------------

  router.get('/services', async (req, res) => {
    const viewer = viewerOf(res)
    const canEdit = victims.canEditDirectory(viewer)
    const list = await victims.directory(viewer, { all: canEdit })
    const force = res.locals.permissions.user
    const code = await services.victims.service.publicDirectoryCode(viewer.forceId)
    res.render('victims/views/services.njk', {
      pageTitle: 'Stalking support services',
      services: list,
      canEdit,
      forceName: force?.forceName,
      publicHref: code ? `/public/support/${code}` : null,
    })
  })

  function renderServiceForm(
    res: Response,
    options: { serviceId?: number; values: Record<string, unknown>; errors?: Record<string, string> },
  ) {
    const errors = options.errors ?? {}
    res.status(Object.keys(errors).length ? 400 : 200).render('victims/views/service-form.njk', {
      ...labels,
      pageTitle: options.serviceId ? 'Change a support service' : 'Add a support service',
      serviceId: options.serviceId,
      values: options.values,
      errors,
      errorList: errorList(errors, { kind: 'kind', listed: 'listed' }),
    })
  }

  const requireDirectoryEditor = (res: Response) => {
    const viewer = viewerOf(res)
    if (!victims.canEditDirectory(viewer)) res.locals.permissions.check('plan:edit')
    return viewer
  }

  router.get('/services/new', (_req, res) => {
    requireDirectoryEditor(res)
    renderServiceForm(res, { values: { listed: 'yes' } })
  })

  router.post('/services', async (req, res) => {
    const viewer = requireDirectoryEditor(res)
    try {
      await victims.addService(viewer, req.body ?? {})
    } catch (error) {
      if (!(error instanceof VictimInputError)) throw error
      renderServiceForm(res, { values: req.body ?? {}, errors: error.errors })
      return
    }
    req.session.flash = { type: 'success', text: 'Support service added to the directory.' }
    res.redirect('/victims/services')
  })

  router.get('/services/:serviceId/edit', async (req, res) => {
    const viewer = requireDirectoryEditor(res)
    const serviceId = recordIdParam(req.params.serviceId)
    const row = await victims.service(viewer, serviceId)
    if (!row) throw new NotFoundError('There is no such service in your directory')
    renderServiceForm(res, {
      serviceId,
      values: {
        name: row.name,
        kind: row.kind,
        areaCovered: row.area_covered,
        phone: row.phone,
        website: row.website,
        referralRoute: row.referral_route,
        listed: row.listed ? 'yes' : 'no',
      },
    })
  })

  router.post('/services/:serviceId', async (req, res) => {
    const viewer = requireDirectoryEditor(res)
    const serviceId = recordIdParam(req.params.serviceId)
    let found: boolean
    try {
      found = await victims.updateService(viewer, serviceId, req.body ?? {})
    } catch (error) {
      if (!(error instanceof VictimInputError)) throw error
      renderServiceForm(res, { serviceId, values: req.body ?? {}, errors: error.errors })
      return
    }
    if (!found) throw new NotFoundError('There is no such service in your directory')
    req.session.flash = { type: 'success', text: 'Support service changed.' }
    res.redirect('/victims/services')
  })

  // ---- Monitoring (14.5) ------------------------------------------------------------------------------------------

  router.get('/monitoring', requireCapability('analysis:read'), async (req, res) => {
    await renderMonitoring(req, res)
  })

  router.post('/monitoring/rule', requireCapability('analysis:read'), async (req, res) => {
    try {
      await services.victims.alerts.setRule(viewerOf(res), req.body ?? {})
    } catch (error) {
      if (!(error instanceof VictimInputError)) throw error
      await renderMonitoring(req, res, { errors: error.errors, values: (req.body ?? {}) as Record<string, unknown> })
      return
    }
    req.session.flash = { type: 'success', text: 'Low-referral rule changed.' }
    res.redirect('/victims/monitoring#low-referrals')
  })

  /** The alerts are the force lead's (the action plan owner or executive lead: plan:edit). */
  const requireAlertReader = (res: Response) => {
    if (!res.locals.permissions.can('plan:edit')) res.locals.permissions.check('plan:edit')
  }

  router.get('/alerts', async (_req, res) => {
    requireAlertReader(res)
    const viewer = viewerOf(res)
    res.render('victims/views/alerts.njk', {
      pageTitle: 'Referral alerts',
      notifications: await services.victims.alerts.notifications(viewer),
    })
  })

  router.post('/alerts/read', async (req, res) => {
    requireAlertReader(res)
    await services.victims.alerts.markRead(viewerOf(res))
    req.session.flash = { type: 'success', text: 'Referral alerts marked as read.' }
    res.redirect('/victims/alerts')
  })

  async function renderMonitoring(
    req: Request,
    res: Response,
    ruleFailed?: { errors: Record<string, string>; values: Record<string, unknown> },
  ) {
    const viewer = viewerOf(res)
    const range = monthsRangeFromQuery(req.query)
    const errors = range.errors
    // The period only once both days are real: an end date that is not one has no next day (it was a 500).
    const [detail, monthly] = errors
      ? [null, null]
      : await Promise.all([
          victims.measureDetail(viewer.forceId, { from: `${range.from}T00:00:00.000Z`, to: nextDay(range.to) }),
          victims.referralsByTeamAndMonth(viewer.forceId, range.from, range.to),
        ])
    const [rule, alerts] = await Promise.all([
      services.victims.alerts.rule(viewer.forceId),
      errors ? Promise.resolve([]) : services.victims.alerts.alerts(viewer.forceId, range.from, range.to),
    ])
    res.status(errors || ruleFailed ? 400 : 200).render('victims/views/monitoring.njk', {
      pageTitle: 'Victim care and referrals to support',
      rule,
      alerts,
      canEditRule: victims.canEditDirectory(viewer),
      canReadCrimes: res.locals.permissions.can('case:read'),
      ruleErrors: ruleFailed?.errors ?? {},
      ruleValues: ruleFailed?.values ?? {
        thresholdPercent: String(rule.thresholdPercent),
        minVictims: String(rule.minVictims),
      },
      from: range.values.from,
      to: range.values.to,
      rangeFrom: range.from,
      rangeTo: range.to,
      errors: errors ?? {},
      errorList: errorList({ ...(errors ?? {}), ...(ruleFailed?.errors ?? {}) }),
      detail,
      monthly,
      lowRule: LOW_MONTH_RULE,
      outcomes: labels.outcomes,
    })
  }

  return router
}

/** The header link to a force lead's referral alerts (those who can change the rule), with the unread count. */
export function referralAlertLinks(services: VictimContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const permissions = res.locals.permissions
    if (req.path.startsWith('/api/') || req.method !== 'GET' || !permissions?.signedIn || !permissions.can('plan:edit'))
      return next()
    try {
      const unread = await services.victims.alerts.unread(viewerOf(res))
      res.locals.headerLinks = [
        ...(res.locals.headerLinks ?? []),
        { href: '/victims/alerts', text: unread > 0 ? `Referral alerts (${unread} unread)` : 'Referral alerts' },
      ]
    } catch (error) {
      return next(error)
    }
    next()
  }
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString()

/** The public list of a force's stalking support services: no sign-in, for victims and the public (evidence 14.3). */
export function publicSupportRouter(services: VictimContext): Router {
  const router = Router()
  router.get('/:code', async (req, res) => {
    const found = await services.victims.service.publicDirectory(String(req.params.code))
    if (!found) throw new NotFoundError('There is no such force')
    res.render('victims/views/public-support.njk', {
      pageTitle: `Support for victims of stalking – ${found.force.name}`,
      force: found.force,
      services: found.services,
    })
  })
  return router
}
