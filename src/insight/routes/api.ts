// JSON API for the stalking problem profile under /api/insight, described in the OpenAPI document: the same service
// as the page (the same period rules with errors by field, the same 403 and the same audit row).
import { Router } from 'express'
import type { InsightContext } from '../context.ts'
import { FieldInputError } from '../../platform/services/viewer.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { viewerOf } from '../../platform/web/requestHelpers.ts'
import { MAX_PERIOD_YEARS, parseProfileRange } from '../services/problemProfile.ts'
import { errorResponse, invalidResponse } from '../../platform/openapi.ts'

export function insightApiRouter(services: InsightContext): Router {
  const router = Router()
  router.get('/profile', requireCapability('analysis:read'), async (req, res) => {
    let range
    try {
      range = parseProfileRange(req.query)
    } catch (error) {
      if (!(error instanceof FieldInputError)) throw error
      res.status(400).json({ error: 'The period is not valid', fields: error.errors })
      return
    }
    const viewer = viewerOf(res)
    res.json(await services.insight.profile.profile(viewer, viewer.forceId, range, 'json'))
  })
  return router
}

const error = errorResponse
const integer = { type: 'integer', minimum: 0 }
const percent = { type: ['number', 'null'], description: 'percentage to one decimal place; null when the whole is 0' }
const month = { type: 'string', pattern: '^\\d{4}-\\d{2}$' }
const range = {
  type: 'object',
  properties: { from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } },
}
const table = (properties: Record<string, unknown>) => ({ type: 'array', items: { type: 'object', properties } })

const profileSchema = {
  type: 'object',
  properties: {
    forceId: { type: 'integer' },
    forceName: { type: 'string' },
    period: range,
    previous: { ...range, description: 'the period of the same length just before (whole months when the period is)' },
    generatedAt: { type: 'string', format: 'date-time' },
    scale: table({
      id: {
        type: 'string',
        enum: [
          'stalking_principal',
          'stalking_included_only',
          'harassment',
          'malicious_communications',
          'breach_offences',
          'intelligence_reports',
          'intelligence_linked',
          'courses_of_conduct',
          'crimes_screened',
          'screened_in',
        ],
      },
      label: { type: 'string' },
      current: integer,
      previous: integer,
      change: { type: 'integer' },
      changePercent: percent,
    }),
    trend: table({ month, principal: integer, includedOnly: integer, total: integer }),
    hidden: {
      type: 'object',
      properties: {
        total: integer,
        byPrincipal: table({ code: { type: ['string', 'null'] }, name: { type: 'string' }, crimes: integer, percent }),
      },
    },
    people: {
      type: 'object',
      properties: {
        stalkingCrimes: integer,
        victims: integer,
        repeatVictims: integer,
        suspects: integer,
        repeatSuspects: integer,
        suspectsWithSeveralVictims: integer,
        domesticAbuse: integer,
        domesticAbusePercent: percent,
        online: integer,
        onlinePercent: percent,
      },
    },
    response: {
      type: 'object',
      properties: {
        stalkingCrimes: integer,
        outcomeGroups: table({ group: { type: 'string' }, crimes: integer, percent }),
        outcomes: table({
          group: { type: 'string' },
          outcome: { type: ['integer', 'null'], description: 'Home Office outcome type; null when not finalised' },
          name: { type: 'string' },
          crimes: integer,
          percent,
        }),
        spo: {
          type: ['object', 'null'],
          properties: {
            stalkingCrimes: integer,
            considered: integer,
            consideredPercent: percent,
            appliedFor: integer,
            granted: integer,
            breaches: integer,
          },
        },
        teams: table({ team: { type: 'string' }, crimes: integer, finalised: integer, charged: integer }),
      },
    },
    demand: {
      type: 'object',
      properties: {
        history: table({ month, crimes: integer, trend: { type: 'number' } }),
        projection: table({ month, crimes: { type: 'number', minimum: 0 } }),
        slopePerMonth: { type: ['number', 'null'] },
        historyLastTwelve: integer,
        projectedNextTwelve: integer,
        basis: { type: 'string' },
      },
    },
  },
}

export const insightOpenApiPaths: Record<string, unknown> = {
  '/api/insight/profile': {
    get: {
      summary:
        "Your force's stalking problem profile for a period (Recommendation 11: evidence 11.1 and 11.4); counts only, audited",
      parameters: [
        {
          name: 'from',
          in: 'query',
          required: false,
          schema: { type: 'string', format: 'date' },
          description: 'first reported day; with `to` left out too, the last twelve whole months',
        },
        {
          name: 'to',
          in: 'query',
          required: false,
          schema: { type: 'string', format: 'date' },
          description: `last reported day, not after today; the period is at most ${MAX_PERIOD_YEARS} years`,
        },
      ],
      responses: {
        '200': { description: 'The profile', content: { 'application/json': { schema: profileSchema } } },
        '400': {
          ...invalidResponse,
          description: 'The period is not valid: `fields` gives a message per parameter, as the page shows them',
        },
        '403': { description: 'Your role cannot read analysis', ...error },
      },
    },
  },
}
