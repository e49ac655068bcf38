import { Router } from 'express'
import { z } from 'zod'
import type { PlatformServices } from '../area.ts'
import { ROLE_LABELS } from '../services/permissions.ts'
import { requireCapability } from '../web/middleware/permissions.ts'

const historyQuery = z.object({
  subjectType: z
    .string()
    .regex(/^[a-z-]{1,40}$/)
    .optional(),
  subjectId: z.string().max(100).optional(),
})

export function adminRouter(services: PlatformServices): Router {
  const router = Router()
  router.use(requireCapability('audit:read'))

  router.get('/', async (_req, res) => {
    const forceId = res.locals.permissions.forceId
    const users = await services.users.list(forceId ?? undefined)
    res.render('platform/views/pages/admin.njk', {
      users: users.map((user) => ({ ...user, roleLabels: user.roles.map((role) => ROLE_LABELS[role]) })),
    })
  })

  router.get('/audit', async (req, res) => {
    const query = historyQuery.safeParse(req.query)
    const filters = query.success ? query.data : {}
    // A force administrator sees only the rows that concern their force (docs/adr/0016, issue 18).
    const forceId = res.locals.permissions.forceId as number
    const events =
      filters.subjectType && filters.subjectId
        ? await services.audit.historyOf(filters.subjectType, filters.subjectId, { forceId })
        : await services.audit.recent(forceId)
    const subjects = events.map((event) => ({ type: event.subject_type, id: event.subject_id }))
    if (filters.subjectType && filters.subjectId) subjects.push({ type: filters.subjectType, id: filters.subjectId })
    const recordNames = await services.recordNames.of(subjects, forceId)
    res.render('platform/views/pages/audit.njk', { events, filters, recordNames, invalid: !query.success })
  })

  router.post('/audit/verify', async (_req, res) => {
    const result = await services.audit.verify()
    res.render('platform/views/pages/audit-verify.njk', { result })
  })
  return router
}
