// The national lead's harvest page: read a force's plan from where the force publishes it, held for the force to approve.
import { Router } from 'express'
import { z } from 'zod'
import type { PlanContext } from '../context.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { PlanHarvestError } from '../services/harvest.ts'
import { PlanInputError } from '../services/planService.ts'
import { formErrors, singleError, type FormErrors } from './helpers.ts'

const harvestSchema = z.object({
  forceId: z.coerce.number({ message: 'Choose the force' }).int().positive('Choose the force'),
  url: z
    .string({ message: 'Enter the address of the page or document' })
    .trim()
    .min(1, 'Enter the address of the page or document')
    .max(2000, 'The address must be 2,000 characters or fewer'),
})

const FIELD_IDS = { forceId: 'forceId', url: 'url' }

export function harvestRouter(services: PlanContext): Router {
  const router = Router()
  router.use(requireCapability('plan:national'))

  async function renderForm(res: import('express').Response, values: Record<string, unknown>, errors?: FormErrors) {
    const forces = await services.users.forces()
    const chosen = String(values.forceId ?? '')
    res.status(errors ? 400 : 200).render('plan/views/harvest.njk', {
      pageTitle: `${errors ? 'Error: ' : ''}Harvest a published plan`,
      forceItems: [
        { value: '', text: 'Choose a force' },
        ...forces.map((f) => ({ value: String(f.id), text: f.name, selected: String(f.id) === chosen })),
      ],
      values,
      errors: errors?.errors ?? {},
      errorList: errors?.errorList ?? [],
    })
  }

  router.get('/', async (_req, res) => {
    await renderForm(res, {})
  })

  router.post('/', async (req, res) => {
    const parsed = harvestSchema.safeParse(req.body ?? {})
    if (!parsed.success) {
      await renderForm(res, req.body ?? {}, formErrors(parsed.error, FIELD_IDS))
      return
    }
    const force = await services.plan.service.forceById(parsed.data.forceId)
    if (!force) {
      await renderForm(res, parsed.data, singleError('forceId', 'forceId', 'Choose the force'))
      return
    }
    try {
      const harvested = await services.plan.harvester.harvest(res.locals.actor, parsed.data.url, force.name)
      res.render('plan/views/harvest-result.njk', {
        pageTitle: `Harvested – ${force.name}`,
        force,
        harvested,
        result: harvested.import,
        fileName: harvested.fileName,
      })
    } catch (error) {
      if (!(error instanceof PlanHarvestError) && !(error instanceof PlanInputError)) throw error
      await renderForm(res, parsed.data, singleError('url', 'url', `${error.message}. Nothing was imported.`))
    }
  })
  return router
}
