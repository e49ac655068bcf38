// Published plans: no sign-in. A force's plan is here once a plan owner has published it.
import { Router } from 'express'
import type { PlanContext } from '../context.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { EXPORT_FORMATS, exportPlan, fileNameFor, isExportFormat } from '../export/index.ts'
import type { ForceRef } from '../services/planService.ts'
import { forceFromCode, planViewGlobals } from './helpers.ts'
import { sendDocument } from './plans.ts'

const FORMAT_LABELS: Record<string, string> = {
  json: 'JSON (Threadline plan interchange format)',
  csv: 'CSV',
  xlsx: 'Excel (XLSX)',
  ods: 'OpenDocument spreadsheet (ODS)',
  html: 'Web page (HTML)',
  pdf: 'PDF',
}

export function publicPlanRouter(services: PlanContext): Router {
  const router = Router()
  const plans = services.plan.service

  async function publishedForce(code: unknown): Promise<ForceRef> {
    const force = await forceFromCode(services, code)
    const summary = (await plans.listPlans({ publishedOnly: true })).find((p) => p.force_id === force.id)
    if (!summary) throw new NotFoundError('This force has not published a plan on Threadline')
    return force
  }

  const documentBase = (force: ForceRef) => `/public/plans/${force.code}/documents`

  router.get('/', async (_req, res) => {
    const list = await plans.listPlans({ publishedOnly: true })
    res.render('plan/views/public-index.njk', { pageTitle: 'Published stalking action plans', plans: list })
  })

  router.get('/:code', async (req, res) => {
    const force = await publishedForce(req.params.code)
    const view = await plans.planView(force.id, { documentBase: documentBase(force), audience: 'public' })
    if (!view) throw new NotFoundError()
    res.render('plan/views/public-plan.njk', {
      ...planViewGlobals,
      pageTitle: `${force.name}: Police Stalking Action Plan`,
      view,
      formats: EXPORT_FORMATS.map((format) => ({
        format,
        label: FORMAT_LABELS[format],
        href: `/public/plans/${force.code}/export.${format}`,
      })),
    })
  })

  router.get('/:code/export.:format', async (req, res) => {
    const force = await publishedForce(req.params.code)
    const format = req.params.format
    if (!isExportFormat(format)) throw new NotFoundError()
    const exportable = await plans.exportable(force.id, { documentBase: documentBase(force), audience: 'public' })
    if (!exportable) throw new NotFoundError()
    const file = await exportPlan(exportable, format)
    res.attachment(fileNameFor(force.name, format))
    res.type(file.mediaType).send(file.body)
  })

  router.get('/:code/documents/:id', async (req, res) => {
    const force = await publishedForce(req.params.code)
    const id = Number(req.params.id)
    if (!Number.isInteger(id) || id < 1) throw new NotFoundError()
    const found = await plans.documentContent(force.id, id, { approvedOnly: true })
    if (!found) throw new NotFoundError('No such document')
    sendDocument(res, found.row.name, found.row.media_type, found.content)
  })
  return router
}
