// Investigation pages: a crime's allocation and supervisory reviews (`/investigation/crimes/:id`) with their forms,
// and the force's register of trained stalking investigators (`/investigation/officers`). Thin: the service validates,
// checks the force and audits.
import { Router, type Request, type Response } from 'express'
import type { InvestigationContext } from '../context.ts'
import { ForbiddenError, type Capability } from '../../platform/services/permissions.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { errorList, recordIdParam, requireConfirmation, viewerOf } from '../../platform/web/requestHelpers.ts'
import { formatDate } from '../../platform/web/nunjucks.ts'
import { RISK_LEVELS, SKILL_LEVELS } from '../services/investigationService.ts'
import { ANSWER_LABELS } from '../services/checklist.ts'
import {
  InvestigationInputError,
  LIST_STATUS_LABELS,
  LIST_STATUSES,
  REVIEW_WITHIN_DAYS,
  RISK_LABELS,
  SKILL_LEVEL_LABELS,
  type Viewer,
} from '../services/investigationService.ts'
import { pageLinks } from '../../platform/forms.ts'

/** Where each field's error links to (radios: the first input is named after the field). */
const FIELD_IDS: Record<string, string> = { crime: 'allocate' }

/** The list's URL for its filters and a page (page 1 and no filter are left out). */
export function listHref(filters: { status?: string }, page = 1): string {
  const params = new URLSearchParams()
  if (filters.status) params.set('status', filters.status)
  if (page > 1) params.set('page', String(page))
  const query = params.toString()
  return `/investigation${query ? `?${query}` : ''}`
}

export function investigationRouter(services: InvestigationContext): Router {
  const router = Router()
  const investigation = services.investigation.service
  const checklist = investigation.checklist

  /** Investigations: the force's stalking crimes with their allocation and reviews, filtered in the URL, paged. */
  router.get('/', requireCapability('case:read'), async (req, res) => {
    const statuses = LIST_STATUSES.map((value) => ({ value, text: LIST_STATUS_LABELS[value] }))
    try {
      const result = await investigation.list(viewerOf(res), req.query)
      res.render('investigation/views/list.njk', {
        pageTitle: 'Investigations',
        statuses,
        filters: result.filters,
        result,
        errors: {},
        errorList: [],
        ...pageLinks(result, result.crimes.length, (page) => listHref(result.filters, page)),
      })
    } catch (error) {
      if (!(error instanceof InvestigationInputError)) throw error
      res.status(400).render('investigation/views/list.njk', {
        pageTitle: 'Error: Investigations',
        statuses,
        filters: req.query,
        errors: error.errors,
        errorList: errorList(error.errors),
      })
    }
  })

  async function renderCrime(
    req: Request,
    res: Response,
    extra: { errors?: Record<string, string>; allocationValues?: unknown; reviewValues?: unknown } = {},
  ) {
    const view = await investigation.crimeView(viewerOf(res), recordIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such crime')
    const errors = extra.errors ?? {}
    const latest = view.latestAllocation
    res.status(Object.keys(errors).length ? 400 : 200).render('investigation/views/crime.njk', {
      pageTitle: `${Object.keys(errors).length ? 'Error: ' : ''}Investigation – ${view.crime.force_reference}`,
      view,
      checklist,
      answerLabels: ANSWER_LABELS,
      riskLevels: RISK_LEVELS.map((value) => ({ value, text: RISK_LABELS[value] })),
      reviewWithinDays: REVIEW_WITHIN_DAYS,
      canEdit: res.locals.permissions.can('case:edit', view.crime.force_id),
      canReview: res.locals.permissions.can('case:supervise', view.crime.force_id),
      errors,
      errorList: errorList(errors, FIELD_IDS),
      allocationValues: extra.allocationValues ?? {
        team: latest?.team ?? view.crime.team ?? '',
        officer: latest?.officer ?? view.crime.officer_in_case ?? '',
        allocatedOn: new Date().toISOString().slice(0, 10),
        riskLevel: latest?.risk_level ?? '',
      },
      reviewValues: extra.reviewValues ?? { reviewedOn: new Date().toISOString().slice(0, 10) },
    })
  }

  router.get('/crimes/:id', requireCapability('case:read'), async (req, res) => {
    await renderCrime(req, res)
  })

  /** Records what a form sent; bad input re-renders the page with the errors and what was typed in that form. */
  function recordRoute(
    path: string,
    record: (viewer: Viewer, crimeId: number, body: unknown) => Promise<unknown>,
    typed: 'allocationValues' | 'reviewValues',
    flash: string,
    anchor: string,
    capability: Capability,
  ) {
    router.post(path, requireCapability(capability), async (req, res) => {
      const id = recordIdParam(req.params.id)
      try {
        await record(viewerOf(res), id, req.body ?? {})
      } catch (error) {
        if (!(error instanceof InvestigationInputError)) throw error
        if (error.errors.crime) throw new NotFoundError('There is no such crime')
        await renderCrime(req, res, { errors: error.errors, [typed]: req.body ?? {} })
        return
      }
      req.session.flash = { type: 'success', text: flash }
      res.redirect(`/investigation/crimes/${id}${anchor}`)
    })
  }
  recordRoute(
    '/crimes/:id/allocations',
    (viewer, id, body) => investigation.allocate(viewer, id, body),
    'allocationValues',
    'Allocation recorded.',
    '#allocation',
    'case:edit',
  )
  recordRoute(
    '/crimes/:id/reviews',
    (viewer, id, body) => investigation.review(viewer, id, body),
    'reviewValues',
    'Supervisory review recorded.',
    '#reviews',
    'case:supervise',
  )

  // ---- The skills register ------------------------------------------------------------------------------------

  async function renderOfficers(res: Response, extra: { errors?: Record<string, string>; values?: unknown } = {}) {
    const viewer = viewerOf(res)
    const register = await investigation.skills(viewer)
    const errors = extra.errors ?? {}
    res.status(Object.keys(errors).length ? 400 : 200).render('investigation/views/officers.njk', {
      pageTitle: `${Object.keys(errors).length ? 'Error: ' : ''}Trained stalking investigators`,
      register,
      levels: SKILL_LEVELS.map((value) => ({ value, text: SKILL_LEVEL_LABELS[value] })),
      canManage: investigation.canManageSkills(viewer),
      errors,
      errorList: errorList(errors, { skill: 'register' }),
      values: extra.values ?? {},
    })
  }

  router.get('/officers', async (_req, res) => {
    await renderOfficers(res)
  })

  router.post('/officers', async (req, res) => {
    try {
      await investigation.addSkill(viewerOf(res), req.body ?? {})
    } catch (error) {
      if (!(error instanceof InvestigationInputError)) throw error
      await renderOfficers(res, { errors: error.errors, values: req.body ?? {} })
      return
    }
    req.session.flash = { type: 'success', text: 'Officer added to the register.' }
    res.redirect('/investigation/officers')
  })

  router.post('/officers/:skillId/remove', async (req, res) => {
    const viewer = viewerOf(res)
    if (!investigation.canManageSkills(viewer)) throw new ForbiddenError('users:manage', viewer.forceId)
    const skillId = recordIdParam(req.params.skillId)
    const entry = (await investigation.skills(viewer)).entries.find((candidate) => candidate.id === skillId)
    if (!entry) throw new NotFoundError('No such entry on the register')
    const confirmed = requireConfirmation(req, res, {
      title: `Take ${entry.officer} off the register?`,
      paragraphs: [
        `${entry.officer} will no longer be offered as a trained stalking investigator (${entry.course_name}, trained ${formatDate(entry.trained_on)}) when crimes are allocated.`,
        'Allocations already made keep the training they were matched with.',
      ],
      button: `Yes, take ${entry.officer} off the register`,
      back: '/investigation/officers',
      destructive: true,
    })
    if (!confirmed) return
    try {
      await investigation.removeSkill(viewer, skillId)
    } catch (error) {
      if (error instanceof InvestigationInputError) throw new NotFoundError(error.message)
      throw error
    }
    req.session.flash = { type: 'success', text: 'Officer taken off the register.' }
    res.redirect('/investigation/officers')
  })

  return router
}
