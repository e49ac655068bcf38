// JSON API for case work: a case (/api/cases/{id}) and the queues (/api/queues/mine, /api/queues/team), through the
// same service as the pages: the same force check (403), the same filters and errors, the same audit rows.
import { Router } from 'express'
import { errorResponse, invalidResponse } from '../../platform/openapi.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { recordIdParam, viewerOf } from '../../platform/web/requestHelpers.ts'
import type { CaseServices } from '../context.ts'
import { CaseInputError, queueFilterSchema } from '../services/caseService.ts'

export function caseApiRouter(services: { cases: CaseServices }): Router {
  const router = Router()
  const cases = services.cases.service

  router.get('/cases/:id', requireCapability('case:read'), async (req, res) => {
    const view = await cases.caseView(viewerOf(res), recordIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such crime')
    res.json({
      crimeId: view.crime.id,
      reference: view.crime.force_reference,
      assignedTo: view.assignedName,
      risk: view.caseRow?.risk ?? null,
      obligations: view.tasks.map((task) => ({
        obligation: task.id,
        wording: task.wording,
        recommendation: task.recommendation,
        startedOn: task.row.started_on,
        dueOn: task.row.due_on,
        status: task.status,
        metAt: task.row.met_at,
        metBy: task.row.met_by,
        notApplicableReason: task.exemption?.reason ?? null,
        href: task.href,
      })),
      timeline: view.timeline,
      related: view.related,
    })
  })

  router.get('/queues/mine', requireCapability('case:read'), async (req, res) => {
    const page = Math.max(1, Math.min(10_000, Number(req.query.page) || 1))
    const work = await cases.myWork(viewerOf(res), page)
    res.json({ total: work.total, counts: work.counts, page, items: work.items.map(queueItem) })
  })

  router.get('/queues/team', requireCapability('case:supervise'), async (req, res) => {
    const parsed = queueFilterSchema.safeParse(req.query)
    if (!parsed.success) {
      const fields: Record<string, string> = {}
      for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= issue.message
      res.status(400).json({ error: 'The filters are not valid', fields })
      return
    }
    try {
      const result = await cases.teamQueue(viewerOf(res), parsed.data)
      res.json({
        total: result.total,
        totalCapped: result.capped,
        page: parsed.data.page,
        overdue: result.overdue,
        items: result.items.map(queueItem),
      })
    } catch (error) {
      if (!(error instanceof CaseInputError)) throw error
      res.status(400).json({ error: 'The filters are not valid', fields: error.errors })
    }
  })
  return router
}

function queueItem(item: {
  reference: string
  crime_id: number
  obligation_id: string
  wording: string
  due_on: string
  status: string
  team: string | null
  risk: string | null
  assigned_name: string | null
}) {
  return {
    reference: item.reference,
    crimeId: item.crime_id,
    obligation: item.obligation_id,
    wording: item.wording,
    dueOn: item.due_on,
    status: item.status,
    team: item.team,
    risk: item.risk,
    assignedTo: item.assigned_name,
  }
}

const queueItemSchema = {
  type: 'object',
  required: ['reference', 'crimeId', 'obligation', 'dueOn', 'status', 'assignedTo'],
  properties: {
    reference: { type: 'string' },
    crimeId: { type: 'integer' },
    obligation: { type: 'string', description: 'The obligation id from the case work catalogue' },
    wording: { type: 'string' },
    dueOn: { type: 'string', format: 'date' },
    status: { type: 'string', enum: ['due', 'overdue'] },
    team: { type: ['string', 'null'] },
    risk: { type: ['string', 'null'], enum: ['standard', 'medium', 'high', null] },
    assignedTo: { type: ['string', 'null'] },
  },
}

const filterParameters = [
  { name: 'team', in: 'query', schema: { type: 'string' } },
  { name: 'obligation', in: 'query', schema: { type: 'string' }, description: 'An obligation id' },
  { name: 'risk', in: 'query', schema: { type: 'string', enum: ['high', 'medium', 'standard', 'unknown'] } },
  {
    name: 'within',
    in: 'query',
    schema: { type: 'integer', minimum: 0, maximum: 365 },
    description: 'Due within N days',
  },
  { name: 'status', in: 'query', schema: { type: 'string', enum: ['open', 'overdue'] } },
  { name: 'assigned', in: 'query', schema: { type: 'string' }, description: 'A user id, `none` or `any`' },
  { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
]

export const caseOpenApiPaths: Record<string, unknown> = {
  '/api/cases/{id}': {
    get: {
      summary: 'A stalking case: its obligations (task list), one timeline across the areas, its course of conduct',
      description: "Needs case:read in the crime's force; audited as cases.case.viewed.",
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      responses: {
        200: {
          description: 'The case',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['crimeId', 'reference', 'obligations', 'timeline'],
                properties: {
                  crimeId: { type: 'integer' },
                  reference: { type: 'string' },
                  assignedTo: { type: ['string', 'null'] },
                  risk: { type: ['string', 'null'] },
                  obligations: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        obligation: { type: 'string' },
                        wording: { type: 'string' },
                        recommendation: { type: 'string' },
                        startedOn: { type: 'string', format: 'date' },
                        dueOn: { type: 'string', format: 'date' },
                        status: {
                          type: 'string',
                          enum: ['met_on_time', 'met_late', 'overdue', 'due', 'not_applicable'],
                        },
                        metAt: { type: ['string', 'null'] },
                        metBy: { type: ['string', 'null'] },
                        notApplicableReason: { type: ['string', 'null'] },
                        href: { type: 'string' },
                      },
                    },
                  },
                  timeline: { type: 'array', items: { type: 'object' } },
                  related: { type: 'array', items: { type: 'object' } },
                },
              },
            },
          },
        },
        403: { description: "Another force's crime, or no case:read", ...errorResponse },
        404: { description: 'No such crime', ...errorResponse },
      },
    },
  },
  '/api/queues/mine': {
    get: {
      summary: 'My work: open obligations on the cases assigned to the signed-in user, due first, then highest risk',
      parameters: [{ name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } }],
      responses: {
        200: {
          description: 'One page of 25',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  total: { type: 'integer' },
                  page: { type: 'integer' },
                  counts: {
                    type: 'object',
                    properties: {
                      open: { type: 'integer' },
                      overdue: { type: 'integer' },
                      dueSoon: { type: 'integer' },
                    },
                  },
                  items: { type: 'array', items: queueItemSchema },
                },
              },
            },
          },
        },
      },
    },
  },
  '/api/queues/team': {
    get: {
      summary:
        'The team queue: open obligations across the force, filtered; overdue by officer and team (case:supervise)',
      parameters: filterParameters,
      responses: {
        200: {
          description: 'One page of 25, the total, and overdue counts',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  total: { type: 'integer', description: 'Matches, counted up to 10,000' },
                  totalCapped: { type: 'boolean', description: 'True when there are more than total' },
                  page: { type: 'integer' },
                  overdue: { type: 'object' },
                  items: { type: 'array', items: queueItemSchema },
                },
              },
            },
          },
        },
        400: invalidResponse,
        403: { description: 'Needs case:supervise', ...errorResponse },
      },
    },
  },
}
