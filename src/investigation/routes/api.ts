// JSON API for investigations under /api/investigation, described in the OpenAPI document. The same service as the
// pages: the same validation (errors by field name), the same force check (403) and the same audit rows.
import { Router, type Response } from 'express'
import type { InvestigationContext } from '../context.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { recordIdParam, viewerOf } from '../../platform/web/requestHelpers.ts'
import { RISK_LEVELS, SKILL_LEVELS } from '../services/investigationService.ts'
import { loadChecklist } from '../services/checklist.ts'
import { InvestigationInputError, LIST_STATUSES } from '../services/investigationService.ts'
import { crimeListResponses, errorResponse, invalidResponse, pageParameter } from '../../platform/openapi.ts'

export function investigationApiRouter(services: InvestigationContext): Router {
  const router = Router()
  const investigation = services.investigation.service

  const created = async (res: Response, what: string, run: () => Promise<unknown>) => {
    try {
      res.status(201).json(await run())
    } catch (error) {
      if (!(error instanceof InvestigationInputError)) throw error
      if (error.errors.crime) throw new NotFoundError(error.errors.crime)
      res.status(400).json({ error: `The ${what} is not valid`, fields: error.errors })
    }
  }

  router.get('/crimes', requireCapability('case:read'), async (req, res) => {
    try {
      res.json(await investigation.list(viewerOf(res), req.query))
    } catch (error) {
      if (!(error instanceof InvestigationInputError)) throw error
      res.status(400).json({ error: 'The filters are not valid', fields: error.errors })
    }
  })
  router.get('/crimes/:id', requireCapability('case:read'), async (req, res) => {
    const view = await investigation.crimeView(viewerOf(res), recordIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such crime')
    res.json(view)
  })
  router.post('/crimes/:id/allocations', requireCapability('case:edit'), async (req, res) => {
    await created(res, 'allocation', () =>
      investigation.allocate(viewerOf(res), recordIdParam(req.params.id), req.body ?? {}),
    )
  })
  router.post('/crimes/:id/reviews', requireCapability('case:supervise'), async (req, res) => {
    await created(res, 'review', () =>
      investigation.review(viewerOf(res), recordIdParam(req.params.id), req.body ?? {}),
    )
  })

  router.get('/officers', async (_req, res) => {
    res.json(await investigation.skills(viewerOf(res)))
  })
  router.post('/officers', async (req, res) => {
    await created(res, 'register entry', () => investigation.addSkill(viewerOf(res), req.body ?? {}))
  })
  router.post('/officers/:skillId/remove', async (req, res) => {
    try {
      await investigation.removeSkill(viewerOf(res), recordIdParam(req.params.skillId))
    } catch (error) {
      if (error instanceof InvestigationInputError) throw new NotFoundError(error.message)
      throw error
    }
    res.status(204).end()
  })
  return router
}

const error = errorResponse
const invalid = invalidResponse
const crimeId = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } }
const date = { type: 'string', format: 'date' }
const createdWith = (property: string) => ({
  description: 'Recorded',
  content: {
    'application/json': { schema: { type: 'object', properties: { [property]: { type: 'integer' } } } },
  },
})

/** The review body's properties, from the checklist (data): one answer per item, with its date and reason. */
function reviewProperties(): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    reviewedOn: date,
    notes: { type: 'string', maxLength: 5000 },
  }
  for (const item of loadChecklist().sections.flatMap((section) => section.items)) {
    const answers =
      item.kind === 'line' ? ['pursued', 'not_applicable', 'not_pursued'] : (['yes', 'no'] as readonly string[])
    properties[item.id] = { type: 'string', enum: answers, description: item.label }
    if (item.kind === 'action')
      properties[`${item.id}-date`] = { ...date, description: `required when ${item.id} is yes` }
    if (item.kind !== 'yesno')
      properties[`${item.id}-reason`] = {
        type: 'string',
        maxLength: 2000,
        description: `required when ${item.id} is ${item.kind === 'line' ? 'not_pursued' : 'no'}`,
      }
  }
  return properties
}

export const investigationOpenApiPaths: Record<string, unknown> = {
  '/api/investigation/crimes': {
    get: {
      summary: "Your force's stalking crimes (8Q, principal or included) with their allocation and reviews (audited)",
      parameters: [
        {
          name: 'status',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: [...LIST_STATUSES] },
          description: 'not allocated, allocated to an officer not on the register, high risk, or no review',
        },
        pageParameter,
      ],
      responses: crimeListResponses(error),
    },
  },
  '/api/investigation/crimes/{id}': {
    get: {
      summary: "A crime's allocations and supervisory reviews, newest first (audited)",
      parameters: [crimeId],
      responses: {
        '200': { description: 'The record', content: { 'application/json': { schema: { type: 'object' } } } },
        '403': { description: "Another force's crime", ...error },
        '404': { description: 'No such crime', ...error },
      },
    },
  },
  '/api/investigation/crimes/{id}/allocations': {
    post: {
      summary: 'Allocate the crime to a team and officer (audited); trained is derived from the skills register',
      parameters: [crimeId],
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['team', 'officer', 'allocatedOn', 'riskLevel'],
              properties: {
                team: { type: 'string', maxLength: 100 },
                officer: { type: 'string', maxLength: 100, description: 'as crimes name them, e.g. DC 4821' },
                allocatedOn: date,
                riskLevel: { type: 'string', enum: [...RISK_LEVELS] },
                complexityNotes: { type: 'string', maxLength: 5000 },
              },
            },
          },
        },
      },
      responses: {
        '201': {
          description: 'Recorded, with whether the officer is trained',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { allocationId: { type: 'integer' }, officerTrained: { type: 'boolean' } },
              },
            },
          },
        },
        '400': invalid,
        '403': { description: "Another force's crime, or your role cannot record", ...error },
        '404': { description: 'No such crime', ...error },
      },
    },
  },
  '/api/investigation/crimes/{id}/reviews': {
    post: {
      summary: "Record a supervisor's investigation quality review against the checklist (audited)",
      parameters: [crimeId],
      requestBody: {
        content: {
          'application/json': { schema: { type: 'object', required: ['reviewedOn'], properties: reviewProperties() } },
        },
      },
      responses: {
        '201': createdWith('reviewId'),
        '400': invalid,
        '403': { description: "Another force's crime, or your role cannot record", ...error },
        '404': { description: 'No such crime', ...error },
      },
    },
  },
  '/api/investigation/officers': {
    get: {
      summary: "The force's register of trained stalking investigators, and its users to link an entry to (audited)",
      responses: {
        '200': { description: 'The register' },
        '403': { description: 'Your role cannot read it', ...error },
      },
    },
    post: {
      summary: 'Add an officer to the register (force administrators and stalking leads; audited)',
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['officer', 'level', 'courseName', 'trainedOn'],
              properties: {
                officer: { type: 'string', maxLength: 100 },
                userId: { type: 'integer' },
                level: { type: 'string', enum: [...SKILL_LEVELS] },
                courseName: { type: 'string', maxLength: 200 },
                trainedOn: date,
              },
            },
          },
        },
      },
      responses: {
        '201': createdWith('skillId'),
        '400': invalid,
        '403': { description: 'Your role cannot maintain the register', ...error },
      },
    },
  },
  '/api/investigation/officers/{skillId}/remove': {
    post: {
      summary: 'Take an officer off the register (kept, with who and when; audited)',
      parameters: [{ name: 'skillId', in: 'path', required: true, schema: { type: 'integer' } }],
      responses: {
        '204': { description: 'Removed' },
        '403': { description: 'Your role cannot maintain the register', ...error },
        '404': { description: 'No such entry', ...error },
      },
    },
  },
}
