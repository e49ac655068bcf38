// Signed-in plan pages: the force's plan, each recommendation and evidence item, updates, owners, documents,
// import (preview then confirm, or straight in), publish, exports.
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import type { PlanContext } from '../context.ts'
import type { ApprovalKind } from '../services/planService.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireConfirmation } from '../../platform/web/requestHelpers.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { exportPlan, fileNameFor, isExportFormat } from '../export/index.ts'
import { readPlanInWorker } from '../import/worker.ts'
import { PlanImportError } from '../model.ts'
import { ACCEPTED_DOCUMENTS_TEXT, DocumentRefusedError } from '../services/documentCheck.ts'
import {
  approvalInputSchema,
  cleanFileName,
  correctionReasonSchema,
  ownerInputSchema,
  PlanInputError,
  PlanNotFoundError,
  sha256,
  updateInputSchema,
  type PlanView,
} from '../services/planService.ts'
import {
  editableForce,
  formErrors,
  idOf,
  planViewGlobals,
  readableForce,
  singleError,
  type FormErrors,
} from './helpers.ts'

declare module 'express-session' {
  interface SessionData {
    planImport?: { forceId: number; checksum: string; fileName: string }
  }
}

const REF = /^\d{1,3}(\.\d{1,3})?$/
const importModeSchema = z.object({ mode: z.enum(['preview', 'now']).default('preview') })

function uploadedFile(req: Request, field: string): Express.Multer.File | undefined {
  const files = Array.isArray(req.files) ? req.files : []
  return files.find((file) => file.fieldname === field && file.size > 0)
}

function refParam(req: Request): string {
  const ref = String(req.params.ref ?? '')
  if (!REF.test(ref)) throw new NotFoundError()
  return ref
}

export function planRouter(services: PlanContext): Router {
  const router = Router()
  const plans = services.plan.service
  router.use(requireCapability('plan:read'))

  async function loadView(forceId: number): Promise<PlanView> {
    const view = await plans.planView(forceId)
    if (!view) throw new NotFoundError('This force has no plan yet')
    return view
  }

  router.get('/', async (_req, res) => {
    const permissions = res.locals.permissions
    if (permissions.can('plan:national')) {
      const list = await plans.listPlans()
      res.render('plan/views/forces.njk', { pageTitle: 'Action plans', plans: list })
      return
    }
    const force = await plans.forceById(permissions.forceId!)
    if (!force) throw new NotFoundError()
    res.redirect(`/plans/${force.code}`)
  })

  router.get('/:code', async (req, res) => {
    const force = await readableForce(services, res, req.params.code)
    const view = await plans.planView(force.id)
    const canEdit = res.locals.permissions.can('plan:edit', force.id)
    if (!view) {
      res.render('plan/views/no-plan.njk', { pageTitle: `${force.name} action plan`, force, canEdit })
      return
    }
    res.render('plan/views/overview.njk', {
      ...planViewGlobals,
      pageTitle: `${force.name} action plan`,
      view,
      canEdit,
      canApprove: res.locals.permissions.can('plan:approve', force.id),
    })
  })

  router.post('/:code/start', async (req, res) => {
    const force = await editableForce(services, res, req.params.code)
    try {
      await plans.startFromCatalogue(res.locals.actor, force.id)
    } catch (error) {
      if (!(error instanceof PlanInputError)) throw error
      req.session.flash = { type: 'error', text: error.message }
    }
    res.redirect(`/plans/${force.code}`)
  })

  router.post('/:code/publish', async (req, res) => {
    const force = await editableForce(services, res, req.params.code)
    // Publishing is a sign-off: it approves every draft waiting, so only the executive lead (plan:approve) may.
    res.locals.permissions.check('plan:approve', force.id)
    const publish = req.body?.publish !== 'false'
    const confirmed = requireConfirmation(
      req,
      res,
      publish
        ? {
            title: `Publish the ${force.name} action plan?`,
            paragraphs: [
              `Anyone will be able to read the plan, its updates and its supporting documents at /public/plans/${force.code}, without signing in, and download it in every export format.`,
              'Check that no update or document names a victim, suspect or officer.',
            ],
            button: 'Yes, publish the plan',
            back: `/plans/${force.code}`,
          }
        : {
            title: 'Withdraw the public page?',
            paragraphs: [
              `The plan will no longer be shown at /public/plans/${force.code}, and its exports will no longer be offered to the public. Nothing in the plan is deleted; you can publish it again.`,
            ],
            button: 'Yes, withdraw the public page',
            back: `/plans/${force.code}`,
            destructive: true,
          },
    )
    if (!confirmed) return
    await plans.setPublished(res.locals.actor, force.id, publish, 'Published')
    req.session.flash = {
      type: 'success',
      text: publish
        ? `The plan is published at /public/plans/${force.code}`
        : 'The plan is no longer published: its public page is withdrawn',
    }
    res.redirect(`/plans/${force.code}`)
  })

  router.get('/:code/recommendations/:number', async (req, res) => {
    const force = await readableForce(services, res, req.params.code)
    const view = await loadView(force.id)
    const recommendation = view.recommendations.find((r) => String(r.number) === req.params.number)
    if (!recommendation) throw new NotFoundError('The plan has no such recommendation')
    res.render('plan/views/recommendation.njk', {
      ...planViewGlobals,
      pageTitle: `Recommendation ${recommendation.number} – ${force.name}`,
      view,
      recommendation,
      canEdit: res.locals.permissions.can('plan:edit', force.id),
      idOf,
    })
  })

  async function renderItem(
    req: Request,
    res: Response,
    options: { status?: number; form?: string; values?: Record<string, unknown>; errors?: FormErrors } = {},
  ) {
    const force = await readableForce(services, res, req.params.code)
    const ref = refParam(req)
    const view = await loadView(force.id)
    const recommendation = view.recommendations.find((r) => r.items.some((i) => i.ref === ref))
    const item = recommendation?.items.find((i) => i.ref === ref)
    if (!recommendation || !item) throw new NotFoundError('The plan has no such evidence item')
    const canEdit = res.locals.permissions.can('plan:edit', force.id)
    const canUpdate = canEdit || isItemOwner(res, force.id, item.owner)
    const history =
      canEdit || res.locals.permissions.can('plan:read', force.id) ? await plans.itemHistory(force.id, ref) : null
    const liveFigures = (await services.insight.evidence.evidenceFigures(force.id, [ref])).get(ref) ?? []
    // "Quote in an update" pre-fills the update form with the figure's sentence: nothing typed twice.
    const quoted =
      typeof req.query.quote === 'string' ? liveFigures.find((figure) => figure.id === req.query.quote) : undefined
    if (quoted && !options.form) {
      options = { ...options, form: 'update', values: { text: quoted.sentence } }
    }
    res.status(options.status ?? 200).render('plan/views/item.njk', {
      ...planViewGlobals,
      pageTitle: `${options.errors ? 'Error: ' : ''}Evidence item ${ref} – ${force.name}`,
      view,
      recommendation,
      item,
      canEdit,
      canUpdate,
      events: history?.events ?? [],
      form: options.form ?? null,
      values: options.values ?? {},
      errors: options.errors?.errors ?? {},
      errorList: options.errors?.errorList ?? [],
      acceptedDocuments: ACCEPTED_DOCUMENTS_TEXT,
      liveFigures,
    })
  }

  router.get('/:code/items/:ref', async (req, res) => {
    await renderItem(req, res)
  })

  /** The force's plan, if the user may add updates to this item: plan:edit, or plan:read as the item's named owner. */
  async function updatableItem(req: Request, res: Response) {
    const force = await readableForce(services, res, req.params.code)
    const ref = refParam(req)
    const view = await loadView(force.id)
    const item = view.recommendations.flatMap((r) => r.items).find((i) => i.ref === ref)
    if (!item) throw new NotFoundError('The plan has no such evidence item')
    if (!isItemOwner(res, force.id, item.owner)) res.locals.permissions.check('plan:edit', force.id)
    return { force, ref, item }
  }

  router.post('/:code/items/:ref/updates', async (req, res) => {
    const { force, ref } = await updatableItem(req, res)
    const body = req.body ?? {}
    const values = {
      text: body.text,
      status: body.status,
      percent: body.percent,
      date: { day: body['date-day'] ?? '', month: body['date-month'] ?? '', year: body['date-year'] ?? '' },
    }
    const parsed = updateInputSchema.safeParse(values)
    if (!parsed.success) {
      const errors = formErrors(parsed.error, {
        text: 'update-text',
        status: 'update-status',
        percent: 'update-percent',
        date: 'update-date-day',
      })
      await renderItem(req, res, { status: 400, form: 'update', values: body, errors })
      return
    }
    await plans.addUpdate(res.locals.actor, force.id, ref, parsed.data)
    req.session.flash = {
      type: 'success',
      text: `Update added to ${ref}. It is a draft until the executive lead approves it.`,
    }
    res.redirect(`/plans/${force.code}/items/${ref}`)
  })

  router.post('/:code/items/:ref/updates/:id/correction', async (req, res) => {
    const { force, ref, item } = await updatableItem(req, res)
    const updateId = Number(req.params.id)
    const update = item.updates.find((u) => u.id === updateId)
    if (!update) throw new NotFoundError('The item has no such update')
    const body = req.body ?? {}
    const parsed = updateInputSchema.safeParse({
      text: body.text,
      status: body.status,
      percent: body.percent,
      date: { day: body['date-day'] ?? '', month: body['date-month'] ?? '', year: body['date-year'] ?? '' },
    })
    const reason = correctionReasonSchema.safeParse(body.reason)
    if (!parsed.success || !reason.success) {
      const prefix = `correct-${updateId}`
      const errors = parsed.success
        ? { errors: {}, errorList: [] }
        : formErrors(parsed.error, {
            text: `${prefix}-text`,
            status: `${prefix}-status`,
            percent: `${prefix}-percent`,
            date: `${prefix}-date-day`,
          })
      if (!reason.success) {
        const message = reason.error.issues[0]?.message ?? 'Enter the reason for the correction'
        errors.errors = { ...errors.errors, reason: message }
        errors.errorList = [...errors.errorList, { text: message, href: `#${prefix}-reason` }]
      }
      await renderItem(req, res, { status: 400, form: `correct-${updateId}`, values: body, errors })
      return
    }
    await plans.correctUpdate(res.locals.actor, force.id, ref, updateId, parsed.data, reason.data)
    req.session.flash = {
      type: 'success',
      text: `Correction recorded on ${ref}. It is a draft until the executive lead approves it.`,
    }
    res.redirect(`/plans/${force.code}/items/${ref}`)
  })

  // ---------------------------------------------------------------------------------------------------- sign-off

  async function renderApprovals(
    req: Request,
    res: Response,
    options: { status?: number; values?: Record<string, unknown>; errors?: FormErrors; selected?: string[] } = {},
  ) {
    const force = await readableForce(services, res, req.params.code)
    const plan = await loadView(force.id)
    const [drafts, approvals] = await Promise.all([plans.drafts(force.id), plans.approvalHistory(force.id)])
    res.status(options.status ?? 200).render('plan/views/approvals.njk', {
      pageTitle: `${options.errors ? 'Error: ' : ''}Drafts waiting for approval – ${force.name}`,
      force,
      view: plan,
      drafts,
      approvals,
      canApprove: res.locals.permissions.can('plan:approve', force.id),
      values: options.values ?? {},
      selected: options.selected ?? [],
      errors: options.errors?.errors ?? {},
      errorList: options.errors?.errorList ?? [],
    })
  }

  router.get('/:code/approvals', async (req, res) => {
    await renderApprovals(req, res)
  })

  router.post('/:code/approvals', async (req, res) => {
    const force = await readableForce(services, res, req.params.code)
    res.locals.permissions.check('plan:approve', force.id)
    const body = req.body ?? {}
    const picked = (Array.isArray(body.drafts) ? body.drafts : body.drafts ? [body.drafts] : []).map(String)
    const selection = picked
      .map((value: string) => /^(update|owner|correction|document|import):(\d{1,12})$/.exec(value))
      .filter((m: RegExpExecArray | null): m is RegExpExecArray => m !== null)
      .map((m: RegExpExecArray) => ({ kind: m[1] as ApprovalKind, id: Number(m[2]) }))
    const all = body.scope === 'all'
    const comment = approvalInputSchema.safeParse({ comment: body.comment })
    const errors: FormErrors = { errors: {}, errorList: [] }
    if (!comment.success) {
      errors.errors.comment = comment.error.issues[0].message
      errors.errorList.push({ text: errors.errors.comment, href: '#comment' })
    }
    if (!all && selection.length === 0) {
      errors.errors.drafts = 'Select at least one draft to approve, or approve them all'
      errors.errorList.push({ text: errors.errors.drafts, href: '#drafts' })
    }
    if (errors.errorList.length || !comment.success) {
      await renderApprovals(req, res, { status: 400, values: body, errors, selected: picked })
      return
    }
    try {
      const result = await plans.approve(res.locals.actor, force.id, all ? 'all' : selection, comment.data.comment)
      req.session.flash = {
        type: 'success',
        text: `${result.approved} ${result.approved === 1 ? 'draft' : 'drafts'} approved: the public page now shows ${result.approved === 1 ? 'it' : 'them'}`,
      }
    } catch (error) {
      if (!(error instanceof PlanInputError)) throw error
      await renderApprovals(req, res, {
        status: 400,
        values: body,
        errors: singleError('drafts', 'drafts', error.message),
        selected: picked,
      })
      return
    }
    res.redirect(`/plans/${force.code}/approvals`)
  })

  router.get('/:code/approvals/imports/:id', async (req, res) => {
    const force = await readableForce(services, res, req.params.code)
    const id = Number(req.params.id)
    if (!Number.isInteger(id) || id < 1) throw new NotFoundError()
    const { held, result } = await plans.heldImportPreview(res.locals.actor, force.id, id)
    res.render('plan/views/held-import.njk', {
      pageTitle: `Import of ${held.file_name} – ${force.name}`,
      force,
      held,
      result,
      canApprove: res.locals.permissions.can('plan:approve', force.id),
    })
  })

  router.post('/:code/approvals/imports/:id/reject', async (req, res) => {
    const force = await readableForce(services, res, req.params.code)
    res.locals.permissions.check('plan:approve', force.id)
    const id = Number(req.params.id)
    if (!Number.isInteger(id) || id < 1) throw new NotFoundError()
    const comment = approvalInputSchema.safeParse({ comment: req.body?.comment })
    await plans.rejectHeldImport(
      res.locals.actor,
      force.id,
      id,
      comment.success ? comment.data.comment : 'Rejected without a comment',
    )
    req.session.flash = { type: 'success', text: 'The import was rejected: nothing of it was applied' }
    res.redirect(`/plans/${force.code}/approvals`)
  })

  router.post('/:code/items/:ref/owner', async (req, res) => {
    const force = await editableForce(services, res, req.params.code)
    const ref = refParam(req)
    const parsed = ownerInputSchema.safeParse(req.body ?? {})
    if (!parsed.success) {
      const errors = formErrors(parsed.error, { owner: 'owner' })
      await renderItem(req, res, { status: 400, form: 'owner', values: req.body ?? {}, errors })
      return
    }
    const changed = await plans.changeOwner(res.locals.actor, force.id, ref, parsed.data.owner)
    req.session.flash = {
      type: 'success',
      text: changed
        ? `${ref} is now owned by ${parsed.data.owner}`
        : `${ref} was already owned by ${parsed.data.owner}`,
    }
    res.redirect(`/plans/${force.code}/items/${ref}`)
  })

  router.post('/:code/items/:ref/documents', async (req, res) => {
    const force = await editableForce(services, res, req.params.code)
    const ref = refParam(req)
    const file = uploadedFile(req, 'document')
    if (!file) {
      await renderItem(req, res, {
        status: 400,
        form: 'document',
        errors: singleError('document', 'document', `Choose ${ACCEPTED_DOCUMENTS_TEXT} to upload`),
      })
      return
    }
    try {
      await plans.addDocument(res.locals.actor, force.id, ref, { content: file.buffer, fileName: file.originalname })
    } catch (error) {
      if (!(error instanceof DocumentRefusedError)) throw error
      await renderItem(req, res, {
        status: 400,
        form: 'document',
        errors: singleError('document', 'document', error.message),
      })
      return
    }
    req.session.flash = { type: 'success', text: `${cleanFileName(file.originalname)} added to ${ref}` }
    res.redirect(`/plans/${force.code}/items/${ref}`)
  })

  router.get('/:code/documents/:id', async (req, res) => {
    const force = await readableForce(services, res, req.params.code)
    const id = Number(req.params.id)
    if (!Number.isInteger(id) || id < 1) throw new NotFoundError()
    const found = await plans.documentContent(force.id, id)
    if (!found) throw new NotFoundError('No such document')
    sendDocument(res, found.row.name, found.row.media_type, found.content)
  })

  router.get('/:code/export.:format', async (req, res) => {
    const force = await readableForce(services, res, req.params.code)
    const format = req.params.format
    if (!isExportFormat(format)) throw new NotFoundError()
    const exportable = await plans.exportable(force.id)
    if (!exportable) throw new NotFoundError('This force has no plan yet')
    const file = await exportPlan(exportable, format)
    res.attachment(fileNameFor(force.name, format))
    res.type(file.mediaType).send(file.body)
  })

  // ------------------------------------------------------------------------------------------------------ import

  router.get('/:code/import', async (req, res) => {
    const force = await editableForce(services, res, req.params.code)
    const view = await plans.planView(force.id)
    res.render('plan/views/import.njk', { pageTitle: `Import a plan – ${force.name}`, force, view, values: {} })
  })

  async function renderImportError(
    res: Response,
    force: { id: number; name: string; code: string },
    message: string,
    mode: string,
  ) {
    const view = await plans.planView(force.id)
    const errors = singleError('file', 'file', message)
    res.status(400).render('plan/views/import.njk', {
      pageTitle: `Error: Import a plan – ${force.name}`,
      force,
      view,
      values: { mode },
      errors: errors.errors,
      errorList: errors.errorList,
    })
  }

  router.post('/:code/import', async (req, res) => {
    const force = await editableForce(services, res, req.params.code)
    const { mode } = importModeSchema.catch({ mode: 'preview' }).parse(req.body ?? {})
    const file = uploadedFile(req, 'file')
    if (!file) {
      await renderImportError(res, force, 'Choose the plan document to import', mode)
      return
    }
    const fileName = cleanFileName(file.originalname)
    let parsed
    try {
      parsed = await readPlanInWorker(file.buffer, fileName, { catalogue: plans.catalogue() })
    } catch (error) {
      if (!(error instanceof PlanImportError)) throw error
      await renderImportError(res, force, `${error.message}. Nothing was imported.`, mode)
      return
    }
    const checksum = sha256(file.buffer)
    const options = { fileName, checksum, forceId: force.id }
    // An import that names another force or replaces the leads stops at the confirmation page, whatever the mode.
    const preview = await plans.importParsed(res.locals.actor, parsed, { ...options, dryRun: true })
    if (mode === 'now' && preview.confirmationReasons.length === 0) {
      const result = await plans.importParsed(res.locals.actor, parsed, options)
      res.render('plan/views/import-result.njk', {
        pageTitle: `Import result – ${force.name}`,
        force,
        result,
        fileName,
      })
      return
    }
    await plans.holdForPreview(file.buffer)
    req.session.planImport = { forceId: force.id, checksum, fileName }
    res.render('plan/views/import-preview.njk', {
      pageTitle: `${preview.confirmationReasons.length ? 'Confirm' : 'Check'} the import – ${force.name}`,
      force,
      result: preview,
      fileName,
      checksum,
      parsed,
      willHold: preview.held === null && (await plans.planView(force.id))?.published === true,
    })
  })

  router.post('/:code/import/confirm', async (req, res) => {
    const force = await editableForce(services, res, req.params.code)
    const pending = req.session.planImport
    const checksum = String(req.body?.checksum ?? '')
    if (!pending || pending.forceId !== force.id || pending.checksum !== checksum || !/^[a-f0-9]{64}$/.test(checksum)) {
      await renderImportError(res, force, 'That import has expired: choose the file again', 'preview')
      return
    }
    const content = await plans.peekPreview(checksum)
    if (!content) {
      delete req.session.planImport
      await renderImportError(res, force, 'That import has expired: choose the file again', 'preview')
      return
    }
    const parsed = await readPlanInWorker(content, pending.fileName, { catalogue: plans.catalogue() })
    const options = { fileName: pending.fileName, checksum, forceId: force.id }
    const preview = await plans.importParsed(res.locals.actor, parsed, { ...options, dryRun: true })
    if (preview.confirmationReasons.length && req.body?.confirmed !== 'yes') {
      const errors = singleError(
        'confirmed',
        'confirmed',
        'Confirm that you have checked every change, or choose a different file',
      )
      res.status(400).render('plan/views/import-preview.njk', {
        pageTitle: `Error: Confirm the import – ${force.name}`,
        force,
        result: preview,
        fileName: pending.fileName,
        checksum,
        parsed,
        willHold: (await plans.planView(force.id))?.published === true,
        errors: errors.errors,
        errorList: errors.errorList,
      })
      return
    }
    await plans.takePreview(checksum)
    const result = await plans.importParsed(res.locals.actor, parsed, {
      fileName: pending.fileName,
      checksum,
      forceId: force.id,
    })
    delete req.session.planImport
    res.render('plan/views/import-result.njk', {
      pageTitle: `Import result – ${force.name}`,
      force,
      result,
      fileName: pending.fileName,
    })
  })

  router.use((error: unknown, _req: Request, _res: Response, next: (error?: unknown) => void) => {
    if (error instanceof PlanNotFoundError) next(new NotFoundError(error.message))
    else next(error)
  })
  return router
}

/** Whether the signed-in user is the item's named owner in their own force ("PC Alex Carter" owns the item). */
function isItemOwner(res: Response, forceId: number, owner: string | null): boolean {
  const user = res.locals.permissions.user
  if (!user || !owner || !res.locals.permissions.can('plan:read', forceId) || user.forceId !== forceId) return false
  const norm = (t: string) => t.toLowerCase().replace(/\s+/g, ' ').trim()
  return norm(owner) === norm(user.displayName)
}

/** Sends a stored document as a download with its checked media type. */
export function sendDocument(res: Response, name: string, mediaType: string | null, content: Buffer): void {
  res.attachment(name)
  res.type(mediaType ?? 'application/octet-stream')
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox")
  res.send(content)
}
