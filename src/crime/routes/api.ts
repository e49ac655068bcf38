// JSON API under /api/crimes: the same search, crime and person reads as the pages, audited the same way.
import { Router } from 'express'
import { z } from 'zod'
import type { CrimeContext } from '../context.ts'
import { HttpError, NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { crimeSearchSchema, FLAGS, MATCH_ROLES, searchErrors, SORTS } from '../services/searchFilters.ts'
import { viewerOf } from './pages.ts'
import { errorResponse } from '../../platform/openapi.ts'

const idParam = z.object({ id: z.coerce.number().int().positive() })

export function crimeApiRouter(services: CrimeContext): Router {
  const router = Router()
  router.use(requireCapability('case:read'))

  router.get('/', async (req, res) => {
    const parsed = crimeSearchSchema.safeParse(req.query)
    if (!parsed.success)
      throw new HttpError(
        400,
        searchErrors(parsed.error)
          .map((e) => `${e.field}: ${e.text}`)
          .join('; '),
      )
    const result = await services.crime.records.search(viewerOf(res), parsed.data)
    res.json(result)
  })

  router.get('/people/:id', async (req, res) => {
    const params = idParam.safeParse(req.params)
    if (!params.success) throw new NotFoundError()
    const view = await services.crime.records.person(viewerOf(res), params.data.id)
    if (!view) throw new NotFoundError('There is no such person')
    res.json(view)
  })

  router.get('/:id', async (req, res) => {
    const params = idParam.safeParse(req.params)
    if (!params.success) throw new NotFoundError()
    const view = await services.crime.records.crime(viewerOf(res), params.data.id)
    if (!view) throw new NotFoundError('There is no such crime record')
    res.json(view)
  })
  return router
}

const error = errorResponse
const query = (name: string, schema: Record<string, unknown>, description: string) => ({
  name,
  in: 'query',
  required: false,
  schema,
  description,
})

export const crimeOpenApiPaths: Record<string, unknown> = {
  '/api/crimes': {
    get: {
      summary: 'Search crime records and intelligence reports in your force',
      description:
        'Every classification is searchable: match the classification as principal, included or either (the default). ' +
        'The search is written to the audit log.',
      parameters: [
        query('classification', { type: 'string', example: '8Q' }, 'Home Office offence class'),
        query(
          'match',
          { type: 'string', enum: [...MATCH_ROLES], default: 'either' },
          'how the classification must match',
        ),
        query('group', { type: 'string' }, "offence group or subgroup key, e.g. 'group:sexual-offences'"),
        query('from', { type: 'string', format: 'date' }, 'reported on or after'),
        query('to', { type: 'string', format: 'date' }, 'reported on or before'),
        query('team', { type: 'string' }, 'team, exactly'),
        query('flags', { type: 'array', items: { type: 'string', enum: [...FLAGS] } }, 'flags that must all be set'),
        query('outcome', { oneOf: [{ type: 'integer', minimum: 1, maximum: 22 }, { const: 'none' }] }, 'outcome type'),
        query('kind', { type: 'string', enum: ['crime', 'intelligence'] }, 'record type'),
        query('name', { type: 'string' }, "a party's name or its start"),
        query('dob', { type: 'string', format: 'date' }, "a party's date of birth"),
        query('identifier', { type: 'string' }, "a party's phone, email, handle or vehicle"),
        query('text', { type: 'string' }, 'words in the narrative'),
        query('sort', { type: 'string', enum: [...SORTS], default: 'reported' }, 'sort column'),
        query('order', { type: 'string', enum: ['asc', 'desc'], default: 'desc' }, 'sort direction'),
        query('page', { type: 'integer', minimum: 1, default: 1 }, 'page number'),
        query('pageSize', { type: 'integer', minimum: 1, maximum: 200, default: 25 }, 'records per page'),
      ],
      responses: {
        '200': {
          description: 'One page of matching records and the total',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  crimes: { type: 'array', items: { type: 'object' } },
                  total: { type: 'integer', description: 'matches, counted up to 10,000' },
                  totalCapped: { type: 'boolean', description: 'true when there are more matches than total' },
                  page: { type: 'integer' },
                  pageSize: { type: 'integer' },
                  pageCount: { type: 'integer' },
                },
              },
            },
          },
        },
        '400': { description: 'A filter is not valid', ...error },
        '403': { description: 'Your role cannot read crime records', ...error },
      },
    },
  },
  '/api/crimes/{id}': {
    get: {
      summary: 'A crime or intelligence report with its classifications, occurrences, parties and links (audited)',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      responses: {
        '200': { description: 'The record', content: { 'application/json': { schema: { type: 'object' } } } },
        '403': { description: "Another force's record", ...error },
        '404': { description: 'No such record', ...error },
      },
    },
  },
  '/api/crimes/people/{id}': {
    get: {
      summary: 'A person with identifiers and every record they appear in, oldest first (audited)',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      responses: {
        '200': { description: 'The person', content: { 'application/json': { schema: { type: 'object' } } } },
        '403': { description: "Another force's person", ...error },
        '404': { description: 'No such person', ...error },
      },
    },
  },
}
