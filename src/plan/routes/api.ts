// JSON API for plans under /api/plans, described in the OpenAPI document.
import { Router } from 'express'
import type { PlanContext } from '../context.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { toInterchange } from '../interchange.ts'
import { updateInputSchema } from '../services/planService.ts'
import { editableForce, readableForce } from './helpers.ts'

export function planApiRouter(services: PlanContext): Router {
  const router = Router()
  const plans = services.plan.service
  router.use(requireCapability('plan:read'))

  router.get('/', async (_req, res) => {
    const permissions = res.locals.permissions
    const list = (await plans.listPlans()).filter((p) => permissions.can('plan:read', p.force_id))
    const out = []
    for (const p of list) {
      const view = await plans.planView(p.force_id)
      out.push({
        force: p.force_name,
        code: p.force_code,
        published: p.published === 1,
        publishedAt: p.published_at,
        lastUpdated: view?.lastUpdated ?? null,
        percent: view?.progress.percent ?? null,
        estimated: view?.progress.estimated ?? false,
        overdue: view?.overdueCount ?? 0,
        href: `/api/plans/${p.force_code}`,
      })
    }
    res.json({ plans: out })
  })

  router.get('/:code', async (req, res) => {
    const force = await readableForce(services, res, req.params.code)
    const exportable = await plans.exportable(force.id)
    if (!exportable) throw new NotFoundError('This force has no plan yet')
    res.json(toInterchange(exportable))
  })

  router.post('/:code/items/:ref/updates', async (req, res) => {
    const force = await editableForce(services, res, req.params.code)
    const ref = String(req.params.ref)
    const body = (req.body ?? {}) as Record<string, unknown>
    const date = typeof body.date === 'string' ? body.date : ''
    const [year = '', month = '', day = ''] = date ? date.split('-') : []
    const parsed = updateInputSchema.safeParse({ ...body, date: { year, month, day } })
    if (!parsed.success) {
      res.status(400).json({
        error: 'The update is not valid',
        fields: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? 'update'), i.message])),
      })
      return
    }
    try {
      const id = await plans.addUpdate(res.locals.actor, force.id, ref, parsed.data)
      res.status(201).json({ id, ...parsed.data })
    } catch (error) {
      if ((error as Error).name === 'PlanNotFoundError') throw new NotFoundError((error as Error).message)
      throw error
    }
  })
  return router
}

const error = { $ref: '#/components/schemas/Error' }
const codeParam = {
  name: 'code',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'Force code, e.g. northamptonshire',
}

export const planOpenApiPaths: Record<string, unknown> = {
  '/api/plans': {
    get: {
      summary: 'Plans the user may read, with overall %, overdue count and last update',
      tags: ['plans'],
      responses: { '200': { description: 'The plans' } },
    },
  },
  '/api/plans/{code}': {
    get: {
      summary: "A force's plan in the plan interchange format (docs/plan-interchange.schema.json)",
      tags: ['plans'],
      parameters: [codeParam],
      responses: {
        '200': { description: 'The plan', content: { 'application/json': { schema: { type: 'object' } } } },
        '403': { description: 'Not permitted', content: { 'application/json': { schema: error } } },
        '404': { description: 'No such force or plan', content: { 'application/json': { schema: error } } },
      },
    },
  },
  '/api/plans/{code}/items/{ref}/updates': {
    post: {
      summary: 'Add a dated update to an evidence item (plan owners of that force)',
      tags: ['plans'],
      parameters: [
        codeParam,
        { name: 'ref', in: 'path', required: true, schema: { type: 'string' }, description: 'Item, e.g. 12.3' },
        { name: 'x-csrf-token', in: 'header', required: true, schema: { type: 'string' } },
      ],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['text', 'status'],
              properties: {
                text: { type: 'string' },
                status: { type: 'string', enum: ['not_started', 'in_progress', 'complete'] },
                percent: { type: ['integer', 'null'], minimum: 0, maximum: 100 },
                date: { type: 'string', description: 'YYYY-MM-DD or YYYY-MM; today when left out' },
              },
            },
          },
        },
      },
      responses: {
        '201': { description: 'The update was added' },
        '400': { description: 'The update is not valid; fields names each problem' },
        '403': { description: 'Not permitted', content: { 'application/json': { schema: error } } },
      },
    },
  },
}
