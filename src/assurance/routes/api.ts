// JSON API for assurance under /api/assurance, described in the OpenAPI document. The same service as the pages: the
// same validation (errors by field name), the same force check (403) and the same audit rows.
import { Router, type Response } from 'express'
import type { AssuranceContext } from '../context.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { monthsRangeFromQuery, recordIdParam, viewerOf } from '../../platform/web/requestHelpers.ts'
import { FINDING_ANSWERS, SATISFACTION, SURVEY_METHODS } from '../services/assuranceService.ts'
import { loadAuditChecklist } from '../services/checklist.ts'
import {
  AUDIT_READ,
  AUDIT_RECORD,
  AssuranceInputError,
  DEFAULT_SAMPLE_SIZE,
  MAX_SAMPLE_SIZE,
  METRICS,
} from '../services/assuranceService.ts'
import { errorResponse, invalidResponse } from '../../platform/openapi.ts'

export function assuranceApiRouter(services: AssuranceContext): Router {
  const router = Router()
  const assurance = services.assurance.service

  const recorded = async (res: Response, status: number, what: string, run: () => Promise<unknown>) => {
    try {
      res.status(status).json(await run())
    } catch (error) {
      if (!(error instanceof AssuranceInputError)) throw error
      for (const key of ['audit', 'crime', 'person']) if (error.errors[key]) throw new NotFoundError(error.errors[key])
      res.status(400).json({ error: `The ${what} is not valid`, fields: error.errors })
    }
  }

  router.get('/audits', requireCapability(AUDIT_READ), async (_req, res) => {
    res.json(await assurance.audits(viewerOf(res)))
  })
  router.post('/audits', requireCapability(AUDIT_RECORD), async (req, res) => {
    await recorded(res, 201, 'audit', () => assurance.createAudit(viewerOf(res), req.body ?? {}))
  })
  router.get('/audits/:id', requireCapability(AUDIT_READ), async (req, res) => {
    const view = await assurance.auditView(viewerOf(res), recordIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such audit')
    res.json(view)
  })
  router.get('/audits/:id/cases/:crimeId', requireCapability(AUDIT_READ), async (req, res) => {
    const view = await assurance.caseView(
      viewerOf(res),
      recordIdParam(req.params.id),
      recordIdParam(req.params.crimeId),
    )
    if (!view) throw new NotFoundError('This crime is not in the audit’s sample')
    res.json(view)
  })
  router.post('/audits/:id/cases/:crimeId', requireCapability(AUDIT_RECORD), async (req, res) => {
    await recorded(res, 200, 'findings', () =>
      assurance.recordFindings(
        viewerOf(res),
        recordIdParam(req.params.id),
        recordIdParam(req.params.crimeId),
        req.body ?? {},
      ),
    )
  })

  router.get('/crimes/:id/feedback', requireCapability('case:read'), async (req, res) => {
    const view = await assurance.feedbackView(viewerOf(res), recordIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such crime')
    res.json(view)
  })
  router.post('/crimes/:id/victims/:personId/feedback', requireCapability('case:edit'), async (req, res) => {
    await recorded(res, 201, 'survey response', () =>
      assurance.recordSurvey(
        viewerOf(res),
        recordIdParam(req.params.id),
        recordIdParam(req.params.personId),
        req.body ?? {},
      ),
    )
  })
  router.get('/feedback', requireCapability(AUDIT_READ), async (req, res) => {
    const range = monthsRangeFromQuery(req.query)
    if (range.errors) {
      res.status(400).json({ error: 'The dates are not valid', fields: range.errors })
      return
    }
    res.json(await assurance.feedbackSummary(viewerOf(res), range.from, range.to))
  })
  return router
}

const error = errorResponse
const invalid = invalidResponse
const date = { type: 'string', format: 'date' }
const auditId = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } }
const crimeIdIn = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'integer' } })
const object = { 'application/json': { schema: { type: 'object' } } }

/** The findings body's properties, from the checklist (data): one answer and one note per question. */
function findingsProperties(): Record<string, unknown> {
  const properties: Record<string, unknown> = {}
  for (const question of loadAuditChecklist().questions) {
    properties[question.id] = {
      type: 'string',
      enum: [...FINDING_ANSWERS, ''],
      description: `${question.label}; blank or missing: not answered (clears an earlier answer)`,
    }
    properties[`${question.id}-note`] = {
      type: 'string',
      maxLength: 2000,
      description: `required when ${question.id} is no`,
    }
  }
  return properties
}

const surveyProperties: Record<string, unknown> = {
  surveyedOn: { ...date, description: 'on or after the crime was reported, not in the future' },
  method: { type: 'string', enum: [...SURVEY_METHODS] },
  ...Object.fromEntries(
    METRICS.map(({ field, label }) => [field, { type: 'string', enum: [...SATISFACTION], description: label }]),
  ),
  comment: { type: 'string', maxLength: 2000 },
}

export const assuranceOpenApiPaths: Record<string, unknown> = {
  '/api/assurance/audits': {
    get: {
      summary: "Your force's stalking case audits, newest first, with completion and compliance (audited)",
      responses: {
        '200': { description: 'The audits' },
        '403': { description: 'Your role cannot read audits', ...error },
      },
    },
    post: {
      summary:
        "Create a case audit and draw its sample at random (seeded from the audit's id) from your force's 8Q crimes reported in the period (audited)",
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['title', 'periodFrom', 'periodTo'],
              properties: {
                title: { type: 'string', maxLength: 200 },
                periodFrom: date,
                periodTo: date,
                sampleSize: { type: 'integer', minimum: 1, maximum: MAX_SAMPLE_SIZE, default: DEFAULT_SAMPLE_SIZE },
              },
            },
          },
        },
      },
      responses: {
        '201': {
          description: 'Created, with the number of cases drawn',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { auditId: { type: 'integer' }, sampled: { type: 'integer' } },
              },
            },
          },
        },
        '400': invalid,
        '403': { description: 'Your role cannot create audits', ...error },
      },
    },
  },
  '/api/assurance/audits/{id}': {
    get: {
      summary: 'An audit: its sampled cases with completion, compliance by question and overall (audited)',
      parameters: [auditId],
      responses: {
        '200': { description: 'The audit', content: object },
        '403': { description: "Another force's audit", ...error },
        '404': { description: 'No such audit', ...error },
      },
    },
  },
  '/api/assurance/audits/{id}/cases/{crimeId}': {
    get: {
      summary: "A sampled case's findings by question (audited)",
      parameters: [auditId, crimeIdIn('crimeId')],
      responses: {
        '200': { description: 'The case', content: object },
        '403': { description: "Another force's audit", ...error },
        '404': { description: 'No such audit, or the crime is not in its sample', ...error },
      },
    },
    post: {
      summary: "Record the auditor's answers on a sampled case: yes, no (with a note) or not applicable (audited)",
      parameters: [auditId, crimeIdIn('crimeId')],
      requestBody: {
        content: { 'application/json': { schema: { type: 'object', properties: findingsProperties() } } },
      },
      responses: {
        '200': {
          description: 'Recorded, with the questions answered and whether the case is complete',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { answered: { type: 'integer' }, complete: { type: 'boolean' } },
              },
            },
          },
        },
        '400': invalid,
        '403': { description: "Another force's audit, or your role cannot record findings", ...error },
        '404': { description: 'No such audit, or the crime is not in its sample', ...error },
      },
    },
  },
  '/api/assurance/crimes/{id}/feedback': {
    get: {
      summary: "A crime's victims with their satisfaction survey responses, newest first (audited)",
      parameters: [crimeIdIn('id')],
      responses: {
        '200': { description: 'The record', content: object },
        '403': { description: "Another force's crime", ...error },
        '404': { description: 'No such crime', ...error },
      },
    },
  },
  '/api/assurance/crimes/{id}/victims/{personId}/feedback': {
    post: {
      summary: "Record a victim's satisfaction survey response on a stalking crime (audited)",
      parameters: [crimeIdIn('id'), crimeIdIn('personId')],
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['surveyedOn', 'method', ...METRICS.map((metric) => metric.field)],
              properties: surveyProperties,
            },
          },
        },
      },
      responses: {
        '201': {
          description: 'Recorded',
          content: {
            'application/json': { schema: { type: 'object', properties: { surveyId: { type: 'integer' } } } },
          },
        },
        '400': invalid,
        '403': { description: "Another force's crime, or your role cannot record", ...error },
        '404': { description: 'No such crime, or the person is not its victim', ...error },
      },
    },
  },
  '/api/assurance/feedback': {
    get: {
      summary:
        "Your force's survey responses on stalking crimes in a period: % satisfied (very or fairly, of those answering) per question, overall and by month",
      parameters: [
        { name: 'from', in: 'query', required: false, schema: date, description: 'default: 11 months before this one' },
        { name: 'to', in: 'query', required: false, schema: date, description: 'default: today' },
      ],
      responses: {
        '200': { description: 'The summary', content: object },
        '400': invalid,
        '403': { description: 'Your role cannot read the summary', ...error },
      },
    },
  },
}
