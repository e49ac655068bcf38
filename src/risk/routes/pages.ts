// Risk assessment pages: a crime's risk (history, assessments, their reviews), the form for each tool, the review
// form. Thin: the service validates, checks the force and audits.
import { Router, type Request, type Response } from 'express'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { errorList, recordIdParam, viewerOf } from '../../platform/web/requestHelpers.ts'
import type { RiskContext } from '../context.ts'
import { RiskInputError } from '../services/riskService.ts'
import { RISK_LEVEL_LABELS, RISK_LEVELS } from '../services/tools.ts'

const levels = RISK_LEVELS.map((value) => ({ value, text: RISK_LEVEL_LABELS[value] }))

export function riskRouter(services: RiskContext): Router {
  const router = Router()
  const risk = services.risk.service

  async function renderCrime(
    req: Request,
    res: Response,
    extra: { errors?: Record<string, string>; values?: Record<string, unknown>; reviewing?: number } = {},
  ) {
    const view = await risk.crimeView(viewerOf(res), recordIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such crime')
    const errors = extra.errors ?? {}
    const permissions = res.locals.permissions
    res.status(Object.keys(errors).length ? 400 : 200).render('risk/views/crime.njk', {
      pageTitle: `${Object.keys(errors).length ? 'Error: ' : ''}Risk assessments – ${view.crime.force_reference}`,
      view,
      tools: [...risk.tools.values()],
      levels,
      canAssess: permissions.can('case:edit', view.crime.force_id),
      canReview: permissions.can('case:supervise', view.crime.force_id),
      errors,
      errorList: errorList(errors, {
        outcome: `outcome-${extra.reviewing}`,
        riskLevel: `riskLevel-${extra.reviewing}`,
        reason: `reason-${extra.reviewing}`,
      }),
      values: extra.values ?? {},
      reviewing: extra.reviewing ?? null,
    })
  }

  router.get('/crimes/:id', requireCapability('case:read'), async (req, res) => {
    await renderCrime(req, res)
  })

  async function renderForm(req: Request, res: Response, errors: Record<string, string> = {}, values: unknown = {}) {
    const tool = risk.tools.get(String(req.params.tool))
    if (!tool) throw new NotFoundError('There is no such risk assessment tool')
    const view = await risk.crimeView(viewerOf(res), recordIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such crime')
    res.status(Object.keys(errors).length ? 400 : 200).render('risk/views/assess.njk', {
      pageTitle: `${Object.keys(errors).length ? 'Error: ' : ''}${tool.shortName} – ${view.crime.force_reference}`,
      view,
      tool,
      levels,
      errors,
      errorList: errorList(errors, { riskLevel: 'riskLevel', rationale: 'rationale' }),
      values,
    })
  }

  router.get('/crimes/:id/assess/:tool', requireCapability('case:edit'), async (req, res) => {
    await renderForm(req, res)
  })

  router.post('/crimes/:id/assess/:tool', requireCapability('case:edit'), async (req, res) => {
    const id = recordIdParam(req.params.id)
    const tool = String(req.params.tool)
    if (!risk.tools.has(tool)) throw new NotFoundError('There is no such risk assessment tool')
    try {
      await risk.assess(viewerOf(res), id, tool, req.body ?? {})
    } catch (error) {
      if (!(error instanceof RiskInputError)) throw error
      if (error.errors.crime) throw new NotFoundError('There is no such crime')
      await renderForm(req, res, error.errors, req.body ?? {})
      return
    }
    req.session.flash = {
      type: 'success',
      text: `${risk.toolName(tool)} recorded. A supervisor or specialist will review it.`,
    }
    res.redirect(`/risk/crimes/${id}`)
  })

  router.post('/crimes/:id/assessments/:assessment/review', requireCapability('case:supervise'), async (req, res) => {
    const id = recordIdParam(req.params.id)
    const assessmentId = recordIdParam(req.params.assessment)
    try {
      await risk.review(viewerOf(res), id, assessmentId, req.body ?? {})
    } catch (error) {
      if (!(error instanceof RiskInputError)) throw error
      if (error.errors.assessment) throw new NotFoundError('There is no such risk assessment')
      await renderCrime(req, res, { errors: error.errors, values: req.body ?? {}, reviewing: assessmentId })
      return
    }
    req.session.flash = { type: 'success', text: 'Risk assessment review recorded.' }
    res.redirect(`/risk/crimes/${id}`)
  })

  return router
}
