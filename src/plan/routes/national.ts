// The national lead's view: every force's plan side by side.
import { Router } from 'express'
import { z } from 'zod'
import type { PlanContext } from '../context.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { isIsoPlanDate } from '../interchange.ts'
import { nationalTracker } from '../services/tracker.ts'
import { planViewGlobals, singleError } from './helpers.ts'
import { sendTracker, trackerPage } from './tracker.ts'

const querySchema = z.object({
  notUpdatedSince: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : null)),
})

export interface ChartBar {
  label: string
  percent: number
  text: string
  y: number
  width: number
}

export function nationalRouter(services: PlanContext): Router {
  const router = Router()
  router.use(requireCapability('plan:national'))

  router.get('/', async (req, res) => {
    const query = querySchema.safeParse(req.query)
    let since = query.success ? query.data.notUpdatedSince : null
    let errors = null
    if (since !== null && !(/^\d{4}-\d{2}-\d{2}$/.test(since) && isIsoPlanDate(since))) {
      errors = singleError('notUpdatedSince', 'notUpdatedSince', 'Enter a real date, for example 27 3 2025')
      since = null
    }
    const view = await services.plan.service.nationalView({ notUpdatedSince: since })
    const tracker = trackerPage(await nationalTracker(services.plan.service, 'national'))
    const barHeight = 28
    const bars: ChartBar[] = view.rows.map((row, index) => ({
      label: row.force.name,
      percent: row.progress.percent ?? 0,
      text: row.percentText,
      y: index * barHeight + 4,
      width: Math.round(((row.progress.percent ?? 0) / 100) * 400),
    }))
    res.status(errors ? 400 : 200).render('plan/views/national.njk', {
      ...planViewGlobals,
      pageTitle: `${errors ? 'Error: ' : ''}National view of action plans`,
      view,
      withoutPlan: tracker.withoutPlan,
      bars,
      chartHeight: Math.max(view.rows.length * barHeight + 8, 40),
      rawSince: typeof req.query.notUpdatedSince === 'string' ? req.query.notUpdatedSince : '',
      errors: errors?.errors ?? {},
      errorList: errors?.errorList ?? [],
    })
  })
  // The national tracker's open data as the national lead sees it: every plan, drafts included (audience
  // 'national'), in the public download's documented shape (docs/national-tracker.md).
  router.get('/export.:format', async (req, res) => {
    const format = req.params.format
    if (format !== 'csv' && format !== 'json') throw new NotFoundError()
    sendTracker(res, await nationalTracker(services.plan.service, 'national'), format)
  })
  return router
}
