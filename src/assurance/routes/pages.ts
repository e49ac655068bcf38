// Assurance pages: the force's case audits (`/assurance/audits`), an audit's sample, compliance and CSV export, a
// sampled case's findings form; a crime's victim feedback (`/assurance/crimes/:id/feedback`) and the force's feedback
// summary (`/assurance/feedback`) with its CSV export. Thin: the service validates, checks the force and audits.
import { Router, type Request, type Response } from 'express'
import type { AssuranceContext } from '../context.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { errorList, monthsRangeFromQuery, recordIdParam, viewerOf } from '../../platform/web/requestHelpers.ts'
import { SATISFACTION, SURVEY_METHODS } from '../services/assuranceService.ts'
import { ANSWER_LABELS } from '../services/checklist.ts'
import {
  AUDIT_READ,
  AUDIT_RECORD,
  AssuranceInputError,
  DEFAULT_SAMPLE_SIZE,
  MAX_SAMPLE_SIZE,
  METHOD_LABELS,
  METRICS,
  SATISFACTION_LABELS,
  toCsv,
} from '../services/assuranceService.ts'

const labels = {
  methods: SURVEY_METHODS.map((value) => ({ value, text: METHOD_LABELS[value] })),
  scale: SATISFACTION.map((value) => ({ value, text: SATISFACTION_LABELS[value] })),
  metrics: METRICS,
  answerLabels: ANSWER_LABELS,
}

/** Sends rows as a CSV download. */
export function sendCsv(res: Response, name: string, rows: (string | number | null)[][]) {
  res.setHeader('Content-Disposition', `attachment; filename="${name}"`)
  res.type('text/csv; charset=utf-8').send(toCsv(rows))
}

export function assuranceRouter(services: AssuranceContext): Router {
  const router = Router()
  const assurance = services.assurance.service

  // ---- Case audits --------------------------------------------------------------------------------------------

  router.get('/audits', requireCapability(AUDIT_READ), async (_req, res) => {
    const viewer = viewerOf(res)
    const audits = await assurance.audits(viewer)
    res.render('assurance/views/audits.njk', {
      pageTitle: 'Stalking case audits',
      audits,
      canRecord: assurance.canRecordAudits(viewer),
    })
  })

  function renderNew(res: Response, values: Record<string, unknown>, errors: Record<string, string> = {}) {
    const failed = Object.keys(errors).length > 0
    res.status(failed ? 400 : 200).render('assurance/views/audit-new.njk', {
      pageTitle: `${failed ? 'Error: ' : ''}Create a stalking case audit`,
      values,
      errors,
      errorList: errorList(errors),
      maxSample: MAX_SAMPLE_SIZE,
    })
  }

  router.get('/audits/new', requireCapability(AUDIT_RECORD), (_req, res) => {
    renderNew(res, { sampleSize: String(DEFAULT_SAMPLE_SIZE) })
  })

  router.post('/audits', requireCapability(AUDIT_RECORD), async (req, res) => {
    let created: { auditId: number; sampled: number }
    try {
      created = await assurance.createAudit(viewerOf(res), req.body ?? {})
    } catch (error) {
      if (!(error instanceof AssuranceInputError)) throw error
      renderNew(res, req.body ?? {}, error.errors)
      return
    }
    req.session.flash = {
      type: 'success',
      text: `Audit created: ${created.sampled} ${created.sampled === 1 ? 'case' : 'cases'} drawn at random.`,
    }
    res.redirect(`/assurance/audits/${created.auditId}`)
  })

  router.get('/audits/:id', requireCapability(AUDIT_READ), async (req, res) => {
    const viewer = viewerOf(res)
    const view = await assurance.auditView(viewer, recordIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such audit')
    res.render('assurance/views/audit.njk', {
      pageTitle: view.audit.title,
      view,
      questionCount: assurance.checklist.questions.length,
      canRecord: assurance.canRecordAudits(viewer),
    })
  })

  router.get('/audits/:id/findings.csv', requireCapability(AUDIT_READ), async (req, res) => {
    const id = recordIdParam(req.params.id)
    const exported = await assurance.findingsExport(viewerOf(res), id)
    if (!exported) throw new NotFoundError('There is no such audit')
    sendCsv(res, `audit-${id}-findings.csv`, exported.rows)
  })

  async function renderCase(req: Request, res: Response, failed?: { errors: Record<string, string>; values: unknown }) {
    const viewer = viewerOf(res)
    const auditId = recordIdParam(req.params.id)
    const view = await assurance.caseView(viewer, auditId, recordIdParam(req.params.crimeId))
    if (!view) throw new NotFoundError('This crime is not in the audit’s sample')
    const errors = failed?.errors ?? {}
    const values: Record<string, unknown> = {}
    if (failed) Object.assign(values, failed.values)
    else
      for (const question of view.questions)
        if (question.finding) {
          values[question.id] = question.finding.answer
          values[`${question.id}-note`] = question.finding.note
        }
    res.status(failed ? 400 : 200).render('assurance/views/case.njk', {
      ...labels,
      pageTitle: `${failed ? 'Error: ' : ''}Case ${view.position} of ${view.of} – ${view.case.force_reference}`,
      view,
      values,
      errors,
      errorList: errorList(errors),
      canRecord: assurance.canRecordAudits(viewer),
    })
  }

  router.get('/audits/:id/cases/:crimeId', requireCapability(AUDIT_READ), async (req, res) => {
    await renderCase(req, res)
  })

  router.post('/audits/:id/cases/:crimeId', requireCapability(AUDIT_RECORD), async (req, res) => {
    const auditId = recordIdParam(req.params.id)
    const crimeId = recordIdParam(req.params.crimeId)
    let result: { answered: number; complete: boolean }
    try {
      result = await assurance.recordFindings(viewerOf(res), auditId, crimeId, req.body ?? {})
    } catch (error) {
      if (!(error instanceof AssuranceInputError)) throw error
      if (error.errors.audit) throw new NotFoundError(error.errors.audit)
      if (error.errors.crime) throw new NotFoundError(error.errors.crime)
      await renderCase(req, res, { errors: error.errors, values: req.body ?? {} })
      return
    }
    req.session.flash = {
      type: 'success',
      text: result.complete ? 'Findings recorded: the case is complete.' : 'Findings recorded.',
    }
    res.redirect(`/assurance/audits/${auditId}#case-${crimeId}`)
  })

  // ---- Victim feedback ----------------------------------------------------------------------------------------

  async function renderFeedback(
    req: Request,
    res: Response,
    failed?: { key: number; errors: Record<string, string>; values: Record<string, unknown> },
  ) {
    const view = await assurance.feedbackView(viewerOf(res), recordIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such crime')
    const errors = failed?.errors ?? {}
    const prefix = failed ? `v${failed.key}-` : ''
    const ids = Object.fromEntries(
      Object.keys(errors).map((field) => [field, field === 'stalking' ? 'not-stalking' : `${prefix}${field}`]),
    )
    res.status(failed ? 400 : 200).render('assurance/views/feedback.njk', {
      ...labels,
      pageTitle: `${failed ? 'Error: ' : ''}Victim feedback – ${view.crime.force_reference}`,
      view,
      canEdit: res.locals.permissions.can('case:edit', view.crime.force_id),
      canReadForceFeedback: res.locals.permissions.can(AUDIT_READ),
      failedKey: failed?.key ?? null,
      errors,
      errorList: errorList(errors, ids),
      values: failed?.values ?? {},
      today: new Date().toISOString().slice(0, 10),
    })
  }

  router.get('/crimes/:id/feedback', requireCapability('case:read'), async (req, res) => {
    await renderFeedback(req, res)
  })

  router.post('/crimes/:id/victims/:personId/feedback', requireCapability('case:edit'), async (req, res) => {
    const id = recordIdParam(req.params.id)
    const personId = recordIdParam(req.params.personId)
    const body = (req.body ?? {}) as Record<string, unknown>
    try {
      await assurance.recordSurvey(viewerOf(res), id, personId, body)
    } catch (error) {
      if (!(error instanceof AssuranceInputError)) throw error
      if (error.errors.crime) throw new NotFoundError('There is no such crime')
      if (error.errors.person) throw new NotFoundError('This person is not recorded as a victim of this crime')
      await renderFeedback(req, res, { key: personId, errors: error.errors, values: body })
      return
    }
    req.session.flash = { type: 'success', text: 'Survey response recorded.' }
    res.redirect(`/assurance/crimes/${id}/feedback#victim-${personId}`)
  })

  router.get('/feedback', requireCapability(AUDIT_READ), async (req, res) => {
    const range = monthsRangeFromQuery(req.query)
    const summary = range.errors ? null : await assurance.feedbackSummary(viewerOf(res), range.from, range.to)
    const query = new URLSearchParams({ from: range.from, to: range.to }).toString()
    res.status(range.errors ? 400 : 200).render('assurance/views/feedback-summary.njk', {
      pageTitle: `${range.errors ? 'Error: ' : ''}Victim feedback`,
      from: range.values.from || range.from,
      to: range.values.to || range.to,
      errors: range.errors ?? {},
      errorList: errorList(range.errors ?? {}),
      summary,
      csvHref: `/assurance/feedback.csv?${query}`,
      metrics: METRICS,
    })
  })

  router.get('/feedback.csv', requireCapability(AUDIT_READ), async (req, res) => {
    const range = monthsRangeFromQuery(req.query)
    if (range.errors) {
      res
        .status(400)
        .type('text/plain')
        .send(`The dates are not valid: ${Object.values(range.errors)[0]}`)
      return
    }
    const rows = await assurance.feedbackSummaryCsv(viewerOf(res), range.from, range.to)
    sendCsv(res, `victim-feedback-${range.from}-to-${range.to}.csv`, rows)
  })

  return router
}
