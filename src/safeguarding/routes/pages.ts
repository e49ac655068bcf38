// Stalking Protection Order pages: a crime's SPO record (considerations and breaches) with the forms to record a
// consideration and a breach. Thin: the service validates, checks the force and audits.
import { Router, type Request, type Response } from 'express'
import type { SafeguardingContext } from '../context.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { COURT_OUTCOMES, SPO_DECISIONS } from '../services/safeguardingService.ts'
import {
  COURT_OUTCOME_LABELS,
  DECISION_LABELS,
  LIST_DECISION_LABELS,
  LIST_DECISIONS,
  SafeguardingInputError,
  type Viewer,
} from '../services/safeguardingService.ts'
import { errorList, recordIdParam as crimeIdParam, viewerOf } from '../../platform/web/requestHelpers.ts'
import { pageLinks } from '../../platform/forms.ts'

/** Where each field's error links to in the error summary (the first input of radios is named after the field). */
const FIELD_IDS: Record<string, string> = {
  decision: 'decision',
  reason: 'reason',
  appliedOn: 'appliedOn',
  interim: 'interim',
  courtOutcome: 'courtOutcome',
  orderMadeOn: 'orderMadeOn',
  orderExpiresOn: 'orderExpiresOn',
  order: 'decision',
  breachCrimeReference: 'breachCrimeReference',
  occurredOn: 'occurredOn',
  actionTaken: 'actionTaken',
}

const labels = {
  decisionLabels: DECISION_LABELS,
  courtOutcomeLabels: COURT_OUTCOME_LABELS,
  decisions: SPO_DECISIONS,
  courtOutcomes: COURT_OUTCOMES,
}

/** The list's URL for its filters and a page (page 1 and no filter are left out). */
export function listHref(filters: { decision?: string }, page = 1): string {
  const params = new URLSearchParams()
  if (filters.decision) params.set('decision', filters.decision)
  if (page > 1) params.set('page', String(page))
  const query = params.toString()
  return `/safeguarding${query ? `?${query}` : ''}`
}

export function safeguardingRouter(services: SafeguardingContext): Router {
  const router = Router()
  const safeguarding = services.safeguarding.service

  /** Protection orders: the force's stalking crimes with their latest SPO decision, filtered in the URL, paged. */
  router.get('/', requireCapability('case:read'), async (req, res) => {
    const decisions = LIST_DECISIONS.map((value) => ({ value, text: LIST_DECISION_LABELS[value] }))
    try {
      const result = await safeguarding.list(viewerOf(res), req.query)
      res.render('safeguarding/views/list.njk', {
        pageTitle: 'Protection orders',
        decisions,
        filters: result.filters,
        result,
        errors: {},
        errorList: [],
        ...pageLinks(result, result.crimes.length, (page) => listHref(result.filters, page)),
      })
    } catch (error) {
      if (!(error instanceof SafeguardingInputError)) throw error
      res.status(400).render('safeguarding/views/list.njk', {
        pageTitle: 'Error: Protection orders',
        decisions,
        filters: req.query,
        errors: error.errors,
        errorList: errorList(error.errors),
      })
    }
  })

  async function renderSpo(
    req: Request,
    res: Response,
    extra: { errors?: Record<string, string>; values?: unknown; breachValues?: unknown } = {},
  ) {
    const id = crimeIdParam(req.params.id)
    const view = await safeguarding.crimeView(viewerOf(res), id)
    if (!view) throw new NotFoundError('There is no such crime')
    const errors = extra.errors ?? {}
    res.status(Object.keys(errors).length ? 400 : 200).render('safeguarding/views/spo.njk', {
      ...labels,
      pageTitle: `Stalking Protection Order – ${view.crime.force_reference}`,
      view,
      canEdit: res.locals.permissions.can('case:edit', view.crime.force_id),
      errors,
      errorList: errorList(errors, FIELD_IDS),
      values: extra.values ?? {},
      breachValues: extra.breachValues ?? {},
    })
  }

  router.get('/crimes/:id/spo', requireCapability('case:read'), async (req, res) => {
    await renderSpo(req, res)
  })

  /** Records what a form sent; bad input re-renders the page with the errors and what was typed in that form. */
  function recordRoute(
    path: string,
    record: (viewer: Viewer, crimeId: number, body: unknown) => Promise<unknown>,
    typed: 'values' | 'breachValues',
    flash: string,
    anchor = '',
  ) {
    router.post(path, requireCapability('case:edit'), async (req, res) => {
      const id = crimeIdParam(req.params.id)
      try {
        await record(viewerOf(res), id, req.body ?? {})
      } catch (error) {
        if (!(error instanceof SafeguardingInputError)) throw error
        if (error.errors.crime) throw new NotFoundError('There is no such crime')
        await renderSpo(req, res, { errors: error.errors, [typed]: req.body ?? {} })
        return
      }
      req.session.flash = { type: 'success', text: flash }
      res.redirect(`/safeguarding/crimes/${id}/spo${anchor}`)
    })
  }

  recordRoute(
    '/crimes/:id/spo',
    (viewer, id, body) => safeguarding.recordConsideration(viewer, id, body),
    'values',
    'Stalking Protection Order consideration recorded.',
  )
  recordRoute(
    '/crimes/:id/spo/breaches',
    (viewer, id, body) => safeguarding.recordBreach(viewer, id, body),
    'breachValues',
    'Breach of the Stalking Protection Order recorded.',
    '#breaches',
  )

  return router
}
