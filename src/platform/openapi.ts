import type { AreaWeb } from './area.ts'
import { version } from './version.ts'

/** A response whose body is the Error schema (spread into a response object with its description). */
export const errorResponse = {
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
}

/** The 400 response of a form-like call: a message per field name, as the page shows them. */
export const invalidResponse = {
  description: 'Not valid: `fields` gives a message per field name, as the page shows them',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: {
          error: { type: 'string' },
          fields: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  },
}

/** The `page` query parameter of a paged list. */
export const pageParameter = {
  name: 'page',
  in: 'query',
  required: false,
  schema: { type: 'integer', minimum: 1, default: 1 },
}

/** The 200 response of one of the stalking-crime lists: a page of 25, newest report first. */
export const crimeListResponses = (error: Record<string, unknown>) => ({
  '200': { description: 'One page of 25 crimes, newest report first, with the total and page count' },
  '400': invalidResponse,
  '403': { description: 'Your role cannot read crime records', ...error },
})

/** The OpenAPI document for /api/, assembled from each area's path items. */
export function buildOpenApiDocument(areas: AreaWeb[]): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Threadline API',
      version,
      description:
        'JSON API of Threadline. Every call needs a signed-in session (cookie); calls that change data also need the ' +
        'CSRF token in the x-csrf-token header. Responses never include data from another force unless the role allows it. ' +
        "The partner API (/api/partner) instead takes an organisation's own key (Authorization: Bearer), without a CSRF token.",
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'threadline.sid' },
        // An organisation's own case system (the partner API): a per-service key, stored hashed, scoped to it.
        partnerKey: { type: 'http', scheme: 'bearer' },
      },
      schemas: { Error: { type: 'object', properties: { error: { type: 'string' }, requestId: { type: 'string' } } } },
    },
    security: [{ session: [] }],
    paths: Object.assign({}, ...areas.map((area) => area.openapiPaths ?? {})),
  }
}
