import type { AreaRoutes } from './area.ts'
import { version } from './version.ts'

/** The OpenAPI document for /api/, assembled from each area's path items. */
export function buildOpenApiDocument(areas: AreaRoutes[]): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Threadline API',
      version,
      description:
        'JSON API of Threadline. Every call needs a signed-in session (cookie); calls that change data also need the ' +
        'CSRF token in the x-csrf-token header. Responses never include data from another force unless the role allows it.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'threadline.sid' } },
      schemas: { Error: { type: 'object', properties: { error: { type: 'string' }, requestId: { type: 'string' } } } },
    },
    security: [{ session: [] }],
    paths: Object.assign({}, ...areas.map((area) => area.openapiPaths ?? {})),
  }
}
