// JSON API for screening under /api/screening, described in the OpenAPI document.
import { Router } from 'express'
import { z } from 'zod'
import type { ScreeningContext } from '../context.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { parseSdashForm, SDASH_QUESTIONS } from '../services/sdash.ts'
import { ScreeningInputError } from '../services/screeningService.ts'
import { crimeIdParam, defaultPeriod, measuresQuerySchema, queueFiltersSchema, viewerOf } from './helpers.ts'

const explainSchema = z.object({ narratives: z.array(z.string().max(100000)).min(1).max(1000) })

function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const issue of error.issues) errors[String(issue.path[0] ?? 'request')] ??= issue.message
  return errors
}

export function screeningApiRouter(services: ScreeningContext): Router {
  const router = Router()
  const screening = services.screening.service
  router.use(requireCapability('screening:read'))

  router.get('/queue', async (req, res) => {
    const parsed = queueFiltersSchema.safeParse(req.query)
    if (!parsed.success) {
      res.status(400).json({ error: 'The filters are not valid', fields: fieldErrors(parsed.error) })
      return
    }
    res.json(await screening.queue(viewerOf(res), parsed.data, parsed.data.page, 50))
  })

  router.get('/crimes/:id', async (req, res) => {
    const view = await screening.crimeView(viewerOf(res), crimeIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such crime')
    res.json({
      crimeId: view.crime.id,
      reference: view.crime.force_reference,
      reportedAt: view.crime.reported_at,
      classifications: view.classifications,
      queue: view.entry,
      indicators: view.explanation,
      courses: view.courses.map((course) => ({
        ...course,
        records: course.records.map(({ narrative: _narrative, ...record }) => record),
      })),
      decisions: view.decisions,
      earlierDecisions: view.earlierDecisions,
      assessments: view.assessments,
    })
  })

  router.post('/crimes/:id/decision', requireCapability('screening:decide'), async (req, res) => {
    try {
      const result = await screening.decide(viewerOf(res), crimeIdParam(req.params.id), req.body ?? {})
      res.status(201).json(result)
    } catch (error) {
      if (!(error instanceof ScreeningInputError)) throw error
      if (error.errors.crime) throw new NotFoundError(error.errors.crime)
      res.status(400).json({ error: 'The decision is not valid', fields: error.errors })
    }
  })

  router.post('/crimes/:id/assessments', requireCapability('case:edit'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const answers = (typeof body.answers === 'object' && body.answers !== null ? body.answers : {}) as Record<
      string,
      unknown
    >
    const comments = (typeof body.comments === 'object' && body.comments !== null ? body.comments : {}) as Record<
      string,
      unknown
    >
    const form: Record<string, unknown> = { judgement: body.judgement, riskLevel: body.riskLevel }
    for (const question of SDASH_QUESTIONS) {
      form[question.id] = answers[question.id]
      form[`${question.id}-comment`] = comments[question.id]
    }
    const parsed = parseSdashForm(form)
    if (!parsed.ok) {
      res.status(400).json({ error: 'The assessment is not valid', fields: parsed.errors })
      return
    }
    try {
      res.status(201).json(await screening.assess(viewerOf(res), crimeIdParam(req.params.id), parsed.value))
    } catch (error) {
      if (error instanceof ScreeningInputError) throw new NotFoundError(error.message)
      throw error
    }
  })

  router.get('/measures', requireCapability('screening:read'), async (req, res) => {
    const parsed = measuresQuerySchema.safeParse(req.query)
    if (!parsed.success) {
      res.status(400).json({ error: 'The period is not valid', fields: fieldErrors(parsed.error) })
      return
    }
    const period = defaultPeriod()
    res.json(
      await services.screening.screeningMeasures(viewerOf(res).forceId, {
        from: parsed.data.from ?? period.from,
        to: parsed.data.to ?? period.to,
        withinDays: parsed.data.withinDays,
      }),
    )
  })

  router.post('/explain', async (req, res) => {
    const parsed = explainSchema.safeParse(req.body ?? {})
    if (!parsed.success) {
      res.status(400).json({ error: 'Send { "narratives": ["..."] } with 1 to 1000 narratives' })
      return
    }
    res.json(parsed.data.narratives.map((narrative) => screening.explain(narrative)))
  })

  return router
}

const error = { $ref: '#/components/schemas/Error' }
const crimeId = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } }

export const screeningOpenApiPaths: Record<string, unknown> = {
  '/api/screening/queue': {
    get: {
      summary: "The force's screening queue, oldest report first, with each crime's reasons (audited)",
      parameters: [
        { name: 'status', in: 'query', schema: { type: 'string', enum: ['open', 'decided', 'all'], default: 'open' } },
        { name: 'team', in: 'query', schema: { type: 'string' } },
        { name: 'classification', in: 'query', schema: { type: 'string' } },
        {
          name: 'reason',
          in: 'query',
          schema: { type: 'string', enum: ['classification', 'former_partners', 'narrative', 'course'] },
        },
        { name: 'from', in: 'query', schema: { type: 'string', format: 'date' } },
        { name: 'to', in: 'query', schema: { type: 'string', format: 'date' } },
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
      ],
      responses: { '200': { description: 'One page of queue entries' }, '400': { description: 'Bad filters' } },
    },
  },
  '/api/screening/crimes/{id}': {
    get: {
      summary: "A crime's screening view: reasons, indicators, courses of conduct, decisions, S-DASH (audited)",
      parameters: [crimeId],
      responses: {
        '200': { description: 'The screening view' },
        '403': { description: "Another force's crime", content: { 'application/json': { schema: error } } },
        '404': { description: 'No such crime' },
      },
    },
  },
  '/api/screening/crimes/{id}/decision': {
    post: {
      summary: 'Record a screening decision (stalking identified adds 8Q as included when asked)',
      parameters: [crimeId],
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['outcome', 'rationale'],
              properties: {
                outcome: { type: 'string', enum: ['stalking_identified', 'harassment_only', 'not_relevant'] },
                action: { type: 'string', enum: ['add_included_8q', 'propose_reclassification'] },
                rationale: { type: 'string', maxLength: 5000 },
              },
            },
          },
        },
      },
      responses: { '201': { description: 'Recorded' }, '400': { description: 'Invalid, with fields' } },
    },
  },
  '/api/screening/crimes/{id}/assessments': {
    post: {
      summary: 'Record a stalking screening tool (S-DASH) assessment: 11 answers, judgement and chosen risk level',
      parameters: [crimeId],
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['answers', 'judgement', 'riskLevel'],
              properties: {
                answers: {
                  type: 'object',
                  additionalProperties: { type: 'string', enum: ['yes', 'no', 'unknown'] },
                  description: 'q1 to q11',
                },
                comments: { type: 'object', additionalProperties: { type: 'string' } },
                judgement: { type: 'string' },
                riskLevel: { type: 'string', enum: ['standard', 'medium', 'high'] },
              },
            },
          },
        },
      },
      responses: { '201': { description: 'Recorded, with the yes count' }, '400': { description: 'Invalid' } },
    },
  },
  '/api/screening/measures': {
    get: {
      summary: 'Screening coverage, yield and time to screen, by month and team',
      parameters: [
        { name: 'from', in: 'query', schema: { type: 'string', format: 'date' } },
        { name: 'to', in: 'query', schema: { type: 'string', format: 'date' } },
        { name: 'withinDays', in: 'query', schema: { type: 'integer', default: 7 } },
      ],
      responses: { '200': { description: 'The measures' } },
    },
  },
  '/api/screening/explain': {
    post: {
      summary: 'Behaviour indicators in narratives, with the words matched',
      requestBody: {
        content: {
          'application/json': {
            schema: { type: 'object', properties: { narratives: { type: 'array', items: { type: 'string' } } } },
          },
        },
      },
      responses: { '200': { description: 'One explanation per narrative, in order' } },
    },
  },
}
