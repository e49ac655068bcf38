// JSON API under /api/victims: a crime's victim care (audited like the page) and the force's support directory.
import { Router } from 'express'
import type { VictimContext } from '../context.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { recordIdParam, viewerOf } from '../../platform/web/requestHelpers.ts'
import { NEEDS, REFERRAL_OUTCOMES, RIGHTS_METHODS, SERVICE_KINDS } from '../services/victimService.ts'
import { errorResponse } from '../../platform/openapi.ts'

export function victimApiRouter(services: VictimContext): Router {
  const router = Router()
  const victims = services.victims.service

  router.get('/crimes/:id', requireCapability('case:read'), async (req, res) => {
    const view = await victims.crimeView(viewerOf(res), recordIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such crime')
    res.json(view)
  })

  router.get('/services', async (_req, res) => {
    const viewer = viewerOf(res)
    const list = await victims.directory(viewer)
    res.json({
      services: list.map((s) => ({
        id: s.id,
        name: s.name,
        kind: s.kind,
        areaCovered: s.area_covered,
        phone: s.phone,
        website: s.website,
        referralRoute: s.referral_route,
      })),
    })
  })
  return router
}

const error = errorResponse
const service = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    kind: { type: 'string', enum: [...SERVICE_KINDS] },
    areaCovered: { type: 'string' },
    phone: { type: 'string', description: 'Empty when not known' },
    website: { type: 'string', description: 'An https URL, or empty' },
    referralRoute: { type: 'string' },
  },
}

export const victimOpenApiPaths: Record<string, unknown> = {
  '/api/victims/crimes/{id}': {
    get: {
      summary:
        "A crime's victims, each with Victims' Code rights records, needs assessments and referrals, newest first (audited)",
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      responses: {
        '200': {
          description: 'The victim care record',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  crime: { type: 'object' },
                  victims: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        person_id: { type: 'integer' },
                        name: { type: 'string' },
                        rights: {
                          type: 'array',
                          items: {
                            type: 'object',
                            properties: {
                              told_on: { type: 'string', format: 'date' },
                              method: { type: 'string', enum: [...RIGHTS_METHODS] },
                              enhanced: { type: 'integer', enum: [0, 1] },
                            },
                          },
                        },
                        assessments: {
                          type: 'array',
                          items: {
                            type: 'object',
                            properties: {
                              assessed_on: { type: 'string', format: 'date' },
                              needs: { type: 'array', items: { type: 'string', enum: [...NEEDS] } },
                              support_wanted: { type: 'string', enum: ['yes', 'declined'] },
                            },
                          },
                        },
                        referrals: {
                          type: 'array',
                          items: {
                            type: 'object',
                            properties: {
                              service_name: { type: 'string' },
                              referred_on: { type: 'string', format: 'date' },
                              consented: { type: 'integer', enum: [0, 1] },
                              outcome: { type: 'string', enum: [...REFERRAL_OUTCOMES] },
                              outcome_on: { type: ['string', 'null'], format: 'date' },
                            },
                          },
                        },
                      },
                    },
                  },
                  services: { type: 'array', items: { type: 'object' } },
                },
              },
            },
          },
        },
        '403': { description: "Another force's crime, or a role that cannot read crime records", ...error },
        '404': { description: 'No such crime', ...error },
      },
    },
  },
  '/api/victims/services': {
    get: {
      summary: "Your force's directory of national and local stalking support services (listed ones)",
      responses: {
        '200': {
          description: 'The directory, national services first',
          content: {
            'application/json': {
              schema: { type: 'object', properties: { services: { type: 'array', items: service } } },
            },
          },
        },
        '403': { description: 'Your role cannot read the directory', ...error },
      },
    },
  },
}
