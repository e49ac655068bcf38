// The partner API under /api/partner: an organisation's own case system reads its inbox and posts its answers, contact
// attempts and outcomes with a per-service key (`Authorization: Bearer tlp_…`, stored hashed, made and revoked by the
// force administrator on the organisation's page). The key is scoped to its organisation: another organisation's
// referral is a 403 (audited). Every read and change is audited as the pages' are, the actor named by the key's prefix.
import { Router, type NextFunction, type Request, type Response } from 'express'
import { errorResponse, invalidResponse } from '../../platform/openapi.ts'
import { ForbiddenError } from '../../platform/services/permissions.ts'
import { HttpError, NotFoundError } from '../../platform/web/errors.ts'
import { recordIdParam } from '../../platform/web/requestHelpers.ts'
import type { PartnerContext } from '../context.ts'
import {
  CONTACT_METHODS,
  CONTACT_RESULTS,
  PARTNER_OUTCOMES,
  PartnerInputError,
  REFERRAL_STATES,
  type PartnerViewer,
} from '../services/common.ts'

export function partnerApiRouter(services: PartnerContext): Router {
  const router = Router()
  const partners = services.partners.service

  router.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')
      const viewer = match ? await partners.viewerForKey(match[1], String(req.id ?? '')) : undefined
      if (!viewer) {
        res.set('WWW-Authenticate', 'Bearer realm="threadline-partner"')
        res.status(401).json({ error: 'Send a valid partner API key: Authorization: Bearer tlp_…' })
        return
      }
      res.locals.partnerViewer = viewer
      res.locals.actor = viewer.actor
      next()
    } catch (error) {
      next(error)
    }
  })

  const viewer = (res: Response) => res.locals.partnerViewer as PartnerViewer

  /** Input errors as 400 with a message per field; another organisation's referral as 403. */
  const run = (action: (req: Request, res: Response) => Promise<unknown>) => async (req: Request, res: Response) => {
    try {
      const result = await action(req, res)
      if (result !== undefined) res.json(result)
    } catch (error) {
      if (error instanceof PartnerInputError) {
        if (error.errors.referral) throw new NotFoundError('There is no such referral')
        res.status(error.errors.state ? 409 : 400).json({ error: error.message, fields: error.errors })
        return
      }
      if (error instanceof ForbiddenError) {
        await services.audit.recordAlone(viewer(res).actor, {
          action: 'access.denied',
          subjectType: 'route',
          subjectId: req.originalUrl.split('?')[0],
          details: { capability: error.capability, forceId: error.forceId, method: req.method, answered: 403 },
        })
        throw new HttpError(403, 'This referral was not sent to your organisation')
      }
      throw error
    }
  }

  router.get(
    '/referrals',
    run(async (_req, res) => {
      const inbox = await partners.inbox(viewer(res))
      return { organisation: inbox.agency, open: inbox.open, answered: inbox.done }
    }),
  )

  router.get(
    '/referrals/:id',
    run(async (req, res) => {
      const view = await partners.referral(viewer(res), recordIdParam(req.params.id))
      if (!view) throw new NotFoundError('There is no such referral')
      return {
        referral: view.referral,
        events: view.events.map(({ kind, on_day, what, note, by_name }) => ({
          kind,
          on: on_day,
          what,
          note,
          by: by_name,
        })),
      }
    }),
  )

  const answer = (path: string, act: (id: number, body: unknown, res: Response) => Promise<void>) =>
    router.post(
      `/referrals/:id/${path}`,
      run(async (req, res) => {
        const id = recordIdParam(req.params.id)
        await act(id, req.body ?? {}, res)
        const view = await partners.referral(viewer(res), id)
        return { referral: view!.referral }
      }),
    )
  answer('accept', (id, _body, res) => partners.accept(viewer(res), id))
  answer('decline', (id, body, res) => partners.decline(viewer(res), id, body))
  answer('contact', (id, body, res) => partners.recordContact(viewer(res), id, body))
  answer('close', (id, body, res) => partners.close(viewer(res), id, body))

  return router
}

const referral = {
  type: 'object',
  description: 'Only what the victim agreed to share; empty strings for what was not shared',
  properties: {
    id: { type: 'integer' },
    crimeReference: { type: 'string' },
    victimName: { type: 'string' },
    phone: { type: 'string' },
    email: { type: 'string' },
    contactTimes: { type: 'string' },
    safeToLeaveMessage: { type: 'boolean' },
    needs: { type: 'array', items: { type: 'string' } },
    risk: { type: 'string' },
    caseSummary: { type: 'string' },
    officerName: { type: 'string' },
    officerContact: { type: 'string' },
    state: { type: 'string', enum: [...REFERRAL_STATES] },
    answerDueOn: { type: 'string', format: 'date' },
    firstContactDueOn: { type: ['string', 'null'], format: 'date' },
    outcome: { type: ['string', 'null'], enum: [...PARTNER_OUTCOMES, null] },
  },
}
const security = [{ partnerKey: [] }]
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }]
const one = {
  '200': {
    description: 'The referral after the change',
    content: { 'application/json': { schema: { type: 'object', properties: { referral } } } },
  },
  '400': invalidResponse,
  '401': { description: 'No valid key', ...errorResponse },
  '403': { description: 'Sent to another organisation (audited)', ...errorResponse },
  '404': { description: 'No such referral', ...errorResponse },
  '409': { description: 'Not in a state that allows it (already answered, or not accepted)', ...errorResponse },
}
const body = (properties: Record<string, unknown>, required: string[]) => ({
  required: true,
  content: { 'application/json': { schema: { type: 'object', properties, required } } },
})

export const partnerOpenApiPaths: Record<string, unknown> = {
  '/api/partner/referrals': {
    get: {
      summary: "The organisation's referrals (its key decides which organisation): open first, then answered (audited)",
      security,
      responses: {
        '200': {
          description: 'The inbox',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  organisation: { type: 'object' },
                  open: { type: 'array', items: referral },
                  answered: { type: 'array', items: referral },
                },
              },
            },
          },
        },
        '401': { description: 'No valid key', ...errorResponse },
      },
    },
  },
  '/api/partner/referrals/{id}': {
    get: { summary: 'One referral with its history (audited)', security, parameters: idParam, responses: one },
  },
  '/api/partner/referrals/{id}/accept': {
    post: { summary: 'Accept a referral waiting for an answer', security, parameters: idParam, responses: one },
  },
  '/api/partner/referrals/{id}/decline': {
    post: {
      summary: 'Decline a referral waiting for an answer, with the reason the officer sees',
      security,
      parameters: idParam,
      requestBody: body({ reason: { type: 'string' } }, ['reason']),
      responses: one,
    },
  },
  '/api/partner/referrals/{id}/contact': {
    post: {
      summary: 'Record a contact attempt on an accepted referral',
      security,
      parameters: idParam,
      requestBody: body(
        {
          contactOn: { type: 'string', format: 'date' },
          method: { type: 'string', enum: [...CONTACT_METHODS] },
          result: { type: 'string', enum: [...CONTACT_RESULTS] },
          note: { type: 'string' },
        },
        ['contactOn', 'method', 'result'],
      ),
      responses: one,
    },
  },
  '/api/partner/referrals/{id}/close': {
    post: {
      summary: 'Close an accepted referral with its outcome (the officer sees it on the case)',
      security,
      parameters: idParam,
      requestBody: body(
        {
          closedOn: { type: 'string', format: 'date' },
          outcome: { type: 'string', enum: [...PARTNER_OUTCOMES] },
          note: { type: 'string' },
        },
        ['closedOn', 'outcome'],
      ),
      responses: one,
    },
  },
}
