// JSON API for Stalking Protection Orders under /api/safeguarding, described in the OpenAPI document. The same service
// as the pages: the same validation (errors by field name), the same force check (403) and the same audit rows.
import { Router } from 'express'
import type { SafeguardingContext } from '../context.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { recordIdParam as crimeIdParam, viewerOf } from '../../platform/web/requestHelpers.ts'
import { COURT_OUTCOMES, SPO_DECISIONS } from '../services/safeguardingService.ts'
import { LIST_DECISIONS, SafeguardingInputError } from '../services/safeguardingService.ts'
import { crimeListResponses, errorResponse, invalidResponse, pageParameter } from '../../platform/openapi.ts'

export function safeguardingApiRouter(services: SafeguardingContext): Router {
  const router = Router()
  const safeguarding = services.safeguarding.service
  router.use(requireCapability('case:read'))

  router.get('/crimes', async (req, res) => {
    try {
      res.json(await safeguarding.list(viewerOf(res), req.query))
    } catch (error) {
      if (!(error instanceof SafeguardingInputError)) throw error
      res.status(400).json({ error: 'The filters are not valid', fields: error.errors })
    }
  })

  router.get('/crimes/:id/spo', async (req, res) => {
    const view = await safeguarding.crimeView(viewerOf(res), crimeIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such crime')
    res.json(view)
  })

  const record = (
    path: string,
    what: string,
    run: (res: Parameters<typeof viewerOf>[0], id: number, body: unknown) => Promise<unknown>,
  ) => {
    router.post(path, requireCapability('case:edit'), async (req, res) => {
      try {
        res.status(201).json(await run(res, crimeIdParam(req.params.id), req.body ?? {}))
      } catch (error) {
        if (!(error instanceof SafeguardingInputError)) throw error
        if (error.errors.crime) throw new NotFoundError(error.errors.crime)
        res.status(400).json({ error: `The ${what} is not valid`, fields: error.errors })
      }
    })
  }
  record('/crimes/:id/spo', 'consideration', (res, id, body) =>
    safeguarding.recordConsideration(viewerOf(res), id, body),
  )
  record('/crimes/:id/spo/breaches', 'breach', (res, id, body) => safeguarding.recordBreach(viewerOf(res), id, body))

  return router
}

const error = errorResponse
const invalid = invalidResponse
const crimeId = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } }
const date = { type: 'string', format: 'date' }

export const safeguardingOpenApiPaths: Record<string, unknown> = {
  '/api/safeguarding/crimes': {
    get: {
      summary: "Your force's stalking crimes (8Q, principal or included) with their latest SPO decision (audited)",
      parameters: [
        {
          name: 'decision',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: [...LIST_DECISIONS] },
          description: "the latest decision; 'none' for crimes with no consideration yet",
        },
        pageParameter,
      ],
      responses: crimeListResponses(error),
    },
  },
  '/api/safeguarding/crimes/{id}/spo': {
    get: {
      summary: "A crime's Stalking Protection Order record: considerations (newest first) and breaches (audited)",
      parameters: [crimeId],
      responses: {
        '200': { description: 'The record', content: { 'application/json': { schema: { type: 'object' } } } },
        '403': { description: "Another force's crime", ...error },
        '404': { description: 'No such crime', ...error },
      },
    },
    post: {
      summary: 'Record a Stalking Protection Order consideration on the crime (audited); the latest one counts',
      parameters: [crimeId],
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['decision'],
              properties: {
                decision: { type: 'string', enum: [...SPO_DECISIONS] },
                reason: { type: 'string', maxLength: 5000, description: "required when decision is 'not_apply'" },
                appliedOn: date,
                interim: { type: 'string', enum: ['yes', 'no'], description: "required when decision is 'apply'" },
                courtOutcome: {
                  type: 'string',
                  enum: [...COURT_OUTCOMES],
                  description: "required when decision is 'apply'",
                },
                orderMadeOn: { ...date, description: "required when courtOutcome is 'granted'" },
                orderExpiresOn: date,
              },
            },
          },
        },
      },
      responses: {
        '201': {
          description: 'Recorded',
          content: {
            'application/json': {
              schema: { type: 'object', properties: { considerationId: { type: 'integer' } } },
            },
          },
        },
        '400': invalid,
        '403': { description: "Another force's crime, or your role cannot record", ...error },
        '404': { description: 'No such crime', ...error },
      },
    },
  },
  '/api/safeguarding/crimes/{id}/spo/breaches': {
    post: {
      summary: 'Record a breach of the order on the crime (audited); refused unless an order is granted or in place',
      parameters: [crimeId],
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['occurredOn', 'actionTaken'],
              properties: {
                occurredOn: date,
                breachCrimeReference: { type: 'string', maxLength: 40 },
                actionTaken: { type: 'string', maxLength: 5000 },
              },
            },
          },
        },
      },
      responses: {
        '201': {
          description: 'Recorded',
          content: {
            'application/json': { schema: { type: 'object', properties: { breachId: { type: 'integer' } } } },
          },
        },
        '400': invalid,
        '403': { description: "Another force's crime, or your role cannot record", ...error },
        '404': { description: 'No such crime', ...error },
      },
    },
  },
}
