// Signed-in plan pages: the force's plan, each recommendation and evidence item, updates, owners, documents,
// import (preview then confirm, or straight in), publish, exports.
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import type { Services } from '../../compositionRoot.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { exportPlan, fileNameFor, isExportFormat } from '../export/index.ts'
import { readPlanInWorker } from '../import/worker.ts'
import { PlanImportError } from '../model.ts'
import { ACCEPTED_DOCUMENTS_TEXT, DocumentRefusedError } from '../services/documentCheck.ts'
import {
  cleanFileName,
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

export function planRouter(services: Services): Router {
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
    res.render('plan/views/overview.njk', { ...planViewGlobals, pageTitle: `${force.name} action plan`, view, canEdit })
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
    const publish = req.body?.publish !== 'false'
    await plans.setPublished(res.locals.actor, force.id, publish)
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

  router.post('/:code/items/:ref/updates', async (req, res) => {
    const force = await editableForce(services, res, req.params.code)
    const ref = refParam(req)
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
    req.session.flash = { type: 'success', text: `Update added to ${ref}` }
    res.redirect(`/plans/${force.code}/items/${ref}`)
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
    if (mode === 'now') {
      const result = await plans.importParsed(res.locals.actor, parsed, options)
      res.render('plan/views/import-result.njk', {
        pageTitle: `Import result – ${force.name}`,
        force,
        result,
        fileName,
      })
      return
    }
    const result = await plans.importParsed(res.locals.actor, parsed, { ...options, dryRun: true })
    await plans.holdForPreview(file.buffer)
    req.session.planImport = { forceId: force.id, checksum, fileName }
    res.render('plan/views/import-preview.njk', {
      pageTitle: `Check the import – ${force.name}`,
      force,
      result,
      fileName,
      checksum,
      parsed,
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
    const content = await plans.takePreview(checksum)
    if (!content) {
      delete req.session.planImport
      await renderImportError(res, force, 'That import has expired: choose the file again', 'preview')
      return
    }
    const parsed = await readPlanInWorker(content, pending.fileName, { catalogue: plans.catalogue() })
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

/** Sends a stored document as a download with its checked media type. */
export function sendDocument(res: Response, name: string, mediaType: string | null, content: Buffer): void {
  res.attachment(name)
  res.type(mediaType ?? 'application/octet-stream')
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox")
  res.send(content)
}
