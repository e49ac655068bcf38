// NPCC returns: generate a snapshot of the plan as at a date, review it, approve it (then it is frozen), download it
// (JSON, XLSX, PDF), and compare any two returns of the force.
import { Router, type Request, type Response } from 'express'
import type { PlanContext } from '../context.ts'
import { HttpError, NotFoundError } from '../../platform/web/errors.ts'
import { requireConfirmation } from '../../platform/web/requestHelpers.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { PlanInputError, PlanNotFoundError } from '../services/planService.ts'
import {
  RETURN_EXPORT_FORMATS,
  returnCommentSchema,
  returnFileName,
  ReturnFrozenError,
  type ReturnExportFormat,
} from '../services/returns.ts'
import { ukDate } from '../progress.ts'
import { editableForce, planViewGlobals, readableForce, singleError, type FormErrors } from './helpers.ts'

const FORMAT_LABELS: Record<ReturnExportFormat, string> = {
  json: 'JSON (the return, with the plan in the Threadline plan interchange format)',
  xlsx: 'Excel (XLSX)',
  pdf: 'PDF',
}

function idParam(value: unknown): number {
  const id = Number(value)
  if (typeof value !== 'string' || !/^\d{1,12}$/.test(value) || !Number.isSafeInteger(id) || id < 1) {
    throw new NotFoundError()
  }
  return id
}

export function returnsRouter(services: PlanContext): Router {
  const router = Router()
  const returns = services.plan.returns
  router.use(requireCapability('plan:read'))

  async function renderList(req: Request, res: Response, options: { status?: number; errors?: FormErrors } = {}) {
    const force = await readableForce(services, res, req.params.code)
    const view = await services.plan.service.planView(force.id)
    if (!view) throw new NotFoundError('This force has no plan yet')
    const list = await returns.list(force.id)
    res.status(options.status ?? 200).render('plan/views/returns.njk', {
      pageTitle: `${options.errors ? 'Error: ' : ''}NPCC returns – ${force.name}`,
      force,
      returns: list,
      canEdit: res.locals.permissions.can('plan:edit', force.id),
      asAt: typeof req.body?.asAt === 'string' ? req.body.asAt : ukDate(new Date()),
      errors: options.errors?.errors ?? {},
      errorList: options.errors?.errorList ?? [],
    })
  }

  router.get('/:code/returns', async (req, res) => {
    await renderList(req, res)
  })

  router.post('/:code/returns', async (req, res) => {
    const force = await editableForce(services, res, req.params.code)
    let id: number
    try {
      id = await returns.generate(res.locals.actor, force.id, String(req.body?.asAt ?? ''))
    } catch (error) {
      if (!(error instanceof PlanInputError)) throw error
      await renderList(req, res, { status: 400, errors: singleError('asAt', 'asAt', error.message) })
      return
    }
    req.session.flash = { type: 'success', text: 'Return generated: check it, then mark it reviewed' }
    res.redirect(`/plans/${force.code}/returns/${id}`)
  })

  router.get('/:code/returns/compare', async (req, res) => {
    const force = await readableForce(services, res, req.params.code)
    const from = idParam(req.query.from)
    const to = idParam(req.query.to)
    const comparison = await returns.compare(force.id, from, to)
    res.render('plan/views/return-compare.njk', {
      ...planViewGlobals,
      pageTitle: `What changed between the returns as at ${comparison.from.asAt} and ${comparison.to.asAt} – ${force.name}`,
      force,
      comparison,
    })
  })

  async function renderReturn(req: Request, res: Response, options: { status?: number; errors?: FormErrors } = {}) {
    const force = await readableForce(services, res, req.params.code)
    const view = await returns.get(force.id, idParam(req.params.id))
    const others = (await returns.list(force.id)).filter((r) => r.id !== view.id)
    res.status(options.status ?? 200).render('plan/views/return.njk', {
      ...planViewGlobals,
      pageTitle: `${options.errors ? 'Error: ' : ''}NPCC return as at ${view.asAt} – ${force.name}`,
      force,
      ret: view,
      others,
      canReview: view.state === 'draft' && res.locals.permissions.can('plan:edit', force.id),
      canApprove: view.state === 'reviewed' && res.locals.permissions.can('plan:approve', force.id),
      formats: RETURN_EXPORT_FORMATS.map((format) => ({
        format,
        label: FORMAT_LABELS[format],
        href: `/plans/${force.code}/returns/${view.id}/export.${format}`,
      })),
      values: req.body ?? {},
      errors: options.errors?.errors ?? {},
      errorList: options.errors?.errorList ?? [],
    })
  }

  /** The frozen return's page, answering 409 with the refusal in its error summary. */
  async function refuseFrozen(req: Request, res: Response) {
    const text = new ReturnFrozenError().message
    await renderReturn(req, res, { status: 409, errors: { errors: {}, errorList: [{ text, href: '#return-frozen' }] } })
  }

  router.get('/:code/returns/:id', async (req, res) => {
    await renderReturn(req, res)
  })

  router.post('/:code/returns/:id/review', async (req, res) => {
    const force = await editableForce(services, res, req.params.code)
    const id = idParam(req.params.id)
    if ((await returns.get(force.id, id)).frozen) {
      await refuseFrozen(req, res)
      return
    }
    const comment = returnCommentSchema.safeParse(req.body?.comment)
    if (!comment.success) {
      await renderReturn(req, res, {
        status: 400,
        errors: singleError('comment', 'comment', comment.error.issues[0].message),
      })
      return
    }
    await returns.review(res.locals.actor, force.id, id, comment.data)
    req.session.flash = { type: 'success', text: 'Return marked reviewed: the executive lead can now approve it' }
    res.redirect(`/plans/${force.code}/returns/${id}`)
  })

  router.post('/:code/returns/:id/approve', async (req, res) => {
    const force = await readableForce(services, res, req.params.code)
    res.locals.permissions.check('plan:approve', force.id)
    const id = idParam(req.params.id)
    const view = await returns.get(force.id, id)
    if (view.frozen) {
      await refuseFrozen(req, res)
      return
    }
    const comment = returnCommentSchema.safeParse(req.body?.comment)
    if (!comment.success) {
      await renderReturn(req, res, {
        status: 400,
        errors: singleError('comment', 'comment', comment.error.issues[0].message),
      })
      return
    }
    const confirmed = requireConfirmation(req, res, {
      title: `Approve the NPCC return as at ${view.asAt}?`,
      paragraphs: [
        'Once approved, the return is frozen: nothing in it can be changed, and it is the version sent to the NPCC.',
        'Changes to the plan after this are shown in the next return.',
      ],
      button: 'Yes, approve and freeze the return',
      back: `/plans/${force.code}/returns/${id}`,
    })
    if (!confirmed) return
    await returns.approve(res.locals.actor, force.id, id, comment.data)
    req.session.flash = { type: 'success', text: `The return as at ${view.asAt} is approved and frozen` }
    res.redirect(`/plans/${force.code}/returns/${id}`)
  })

  router.get('/:code/returns/:id/export.:format', async (req, res) => {
    const force = await readableForce(services, res, req.params.code)
    const format = req.params.format
    if (!(RETURN_EXPORT_FORMATS as readonly string[]).includes(format)) throw new NotFoundError()
    const id = idParam(req.params.id)
    const view = await returns.get(force.id, id)
    const file = await returns.exportReturn(force.id, id, format as ReturnExportFormat)
    res.attachment(returnFileName(force.name, view.asAt, format as ReturnExportFormat))
    res.type(file.mediaType).send(file.body)
  })

  router.use((error: unknown, _req: Request, _res: Response, next: (error?: unknown) => void) => {
    if (error instanceof PlanNotFoundError) next(new NotFoundError(error.message))
    else if (error instanceof ReturnFrozenError) next(new HttpError(409, error.message))
    else if (error instanceof PlanInputError) next(new HttpError(400, error.message))
    else next(error)
  })
  return router
}
