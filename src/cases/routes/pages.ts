// Case work pages: My work (the home page for anyone who works on cases), the team queue with its CSV, the case page
// with assignment and "not applicable", the notifications, the compliance page and the due-period settings.
import { Router, type NextFunction, type Request, type Response } from 'express'
import { neutraliseCell } from '../../platform/csv.ts'
import { isRealDay } from '../../platform/days.ts'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { errorList, recordIdParam, viewerOf } from '../../platform/web/requestHelpers.ts'
import type { CaseServices } from '../context.ts'
import { CaseInputError, queueFilterSchema, type QueueQuery } from '../services/caseService.ts'
import { addDays } from '../../platform/days.ts'

const PAGE_SIZE = 25
const RISK_LABELS = { high: 'High', medium: 'Medium', standard: 'Standard' } as Record<string, string>
const STATUS_TAGS: Record<string, string> = {
  met_on_time: 'govuk-tag--green',
  met_late: 'govuk-tag--turquoise',
  overdue: 'govuk-tag--red',
  due: 'govuk-tag--blue',
  not_applicable: 'govuk-tag--grey',
}

/** The queue's filters written back as a query string (without the page, or with another). */
function queryOf(query: Partial<QueueQuery>, page?: number): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (
      key === 'page' ||
      value === undefined ||
      value === '' ||
      value === 'any' ||
      (key === 'status' && value === 'open')
    )
      continue
    params.set(key, String(value))
  }
  if (page && page > 1) params.set('page', String(page))
  const text = params.toString()
  return text ? `?${text}` : ''
}

/** Counts in the navigation and the unread notifications in the header, for anyone who works on cases. */
export function caseNavigation(services: { cases: CaseServices }) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const permissions = res.locals.permissions
    if (req.path.startsWith('/api/') || req.method !== 'GET' || !permissions?.signedIn || !permissions.can('case:read'))
      return next()
    try {
      const counts = await services.cases.service.navigationCounts(viewerOf(res))
      res.locals.navigation = (res.locals.navigation ?? []).map((item) =>
        item.href === '/'
          ? { ...item, text: counts.overdue > 0 ? `My work (${counts.overdue} overdue)` : 'My work' }
          : item,
      )
      res.locals.headerLinks = [
        ...(res.locals.headerLinks ?? []),
        {
          href: '/cases/notifications',
          text: counts.unread > 0 ? `Notifications (${counts.unread} unread)` : 'Notifications',
        },
      ]
    } catch (error) {
      return next(error)
    }
    next()
  }
}

export function casePagesRouter(services: { cases: CaseServices }): Router {
  const router = Router()
  const cases = services.cases.service

  // My work: the home page of anyone who works on cases; anyone else gets the platform's home page.
  router.get('/', async (req, res, next) => {
    if (!res.locals.permissions.can('case:read')) return next()
    const page = Math.max(1, Math.min(10_000, Number(req.query.page) || 1))
    const work = await cases.myWork(viewerOf(res), page, PAGE_SIZE)
    const canDecide = res.locals.permissions.can('screening:decide')
    const canSupervise = res.locals.permissions.can('case:supervise')
    const screenings = canDecide ? await services.cases.openScreenings(viewerOf(res)) : null
    const reviews = canSupervise ? await cases.reviewsWaiting(viewerOf(res)) : null
    const riskReviews = canSupervise ? await cases.reviewsWaiting(viewerOf(res), 10, 'risk_review') : null
    res.render('cases/views/my-work.njk', {
      pageTitle: 'My work',
      work,
      screenings,
      reviews,
      riskReviews,
      statusTags: STATUS_TAGS,
      riskLabels: RISK_LABELS,
      page,
      previousHref: page > 1 ? `/?page=${page - 1}` : null,
      nextHref: page * PAGE_SIZE < work.total ? `/?page=${page + 1}` : null,
    })
  })

  router.get('/cases/queue', requireCapability('case:supervise'), async (req, res) => {
    const parsed = queueFilterSchema.safeParse(req.query)
    if (!parsed.success) {
      const errors: Record<string, string> = {}
      for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message
      res.status(400).render('cases/views/queue.njk', {
        pageTitle: 'Team queue',
        filters: req.query,
        errors,
        errorList: errorList(errors),
        obligations: cases.catalogue.obligations,
        result: null,
        riskLabels: RISK_LABELS,
      })
      return
    }
    const query = parsed.data
    try {
      const result = await cases.teamQueue(viewerOf(res), query, PAGE_SIZE)
      const pageCount = Math.max(1, Math.ceil(result.total / PAGE_SIZE))
      res.render('cases/views/queue.njk', {
        pageTitle: 'Team queue',
        filters: query,
        errors: {},
        errorList: [],
        obligations: cases.catalogue.obligations,
        result,
        riskLabels: RISK_LABELS,
        statusTags: STATUS_TAGS,
        pageCount,
        first: result.total === 0 ? 0 : (query.page - 1) * PAGE_SIZE + 1,
        last: Math.min(result.total, query.page * PAGE_SIZE),
        csvHref: `/cases/queue.csv${queryOf(query)}`,
        previousHref: query.page > 1 ? `/cases/queue${queryOf(query, query.page - 1)}` : null,
        nextHref: query.page < pageCount ? `/cases/queue${queryOf(query, query.page + 1)}` : null,
        returnTo: `/cases/queue${queryOf(query, query.page)}`,
      })
    } catch (error) {
      if (!(error instanceof CaseInputError)) throw error
      res.status(400).render('cases/views/queue.njk', {
        pageTitle: 'Team queue',
        filters: query,
        errors: error.errors,
        errorList: errorList(error.errors),
        obligations: cases.catalogue.obligations,
        result: null,
        riskLabels: RISK_LABELS,
      })
    }
  })

  router.get('/cases/queue.csv', requireCapability('case:supervise'), async (req, res) => {
    const parsed = queueFilterSchema.safeParse(req.query)
    if (!parsed.success) throw new NotFoundError('The filters are not valid')
    res.type('text/csv; charset=utf-8')
    res.attachment('team-queue.csv')
    const cell = (value: string | number | null) => {
      const safe = String(neutraliseCell(value ?? ''))
      return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
    }
    res.write('\ufeffreference,crime_id,obligation,due_on,status,team,risk,assigned_to\r\n')
    for await (const items of cases.exportQueue(viewerOf(res), parsed.data)) {
      for (const item of items) {
        res.write(
          [
            item.reference,
            item.crime_id,
            item.obligation_id,
            item.due_on,
            item.status,
            item.team,
            item.risk,
            item.assigned_name,
          ]
            .map(cell)
            .join(',') + '\r\n',
        )
      }
    }
    res.end()
  })

  router.get('/cases/notifications', requireCapability('case:read'), async (_req, res) => {
    const notifications = await cases.notifications(viewerOf(res))
    res.render('cases/views/notifications.njk', { pageTitle: 'Notifications', notifications })
  })
  router.post('/cases/notifications/read', requireCapability('case:read'), async (req, res) => {
    await cases.markNotificationsRead(viewerOf(res))
    req.session.flash = { type: 'success', text: 'Notifications marked as read.' }
    res.redirect('/cases/notifications')
  })

  router.get('/cases/compliance', requireCapability('analysis:read'), async (req, res) => {
    const today = new Date().toISOString().slice(0, 10)
    // The dates come through the one date input (the dateInputs middleware folds them to YYYY-MM-DD, or leaves what
    // was typed when it does not read); a date that does not read is said, not silently replaced.
    const typed = {
      from: typeof req.query.from === 'string' ? req.query.from.trim() : '',
      to: typeof req.query.to === 'string' ? req.query.to.trim() : '',
    }
    const errors: Record<string, string> = {}
    if (typed.from && !isRealDay(typed.from)) errors.from = 'The start date must be a real date, for example 27 3 2025'
    if (typed.to && !isRealDay(typed.to)) errors.to = 'The end date must be a real date, for example 27 3 2025'
    const from = typed.from && !errors.from ? typed.from : addDays(today, -364)
    let to = typed.to && !errors.to ? typed.to : today
    if (to < from) {
      if (typed.to && !errors.to) errors.to = 'The end date must be the same as or after the start date'
      to = today < from ? from : today
    }
    const { rows, catalogue } = await cases.compliance(viewerOf(res), from, to)
    const totals = catalogue.obligations.map((obligation) => {
      const mine = rows.filter((row) => row.obligation === obligation.id)
      const sum = (key: 'onTime' | 'late' | 'overdue' | 'notYetDue' | 'notApplicable') =>
        mine.reduce((total, row) => total + row[key], 0)
      const total = {
        onTime: sum('onTime'),
        late: sum('late'),
        overdue: sum('overdue'),
        notYetDue: sum('notYetDue'),
        notApplicable: sum('notApplicable'),
      }
      const judged = total.onTime + total.late + total.overdue
      return { obligation, total, percent: judged ? Math.round((100 * total.onTime) / judged) : null, judged }
    })
    const teams = [...new Set(rows.map((row) => row.team ?? 'No team'))].sort()
    const months = [...new Set(rows.map((row) => row.month))].sort()
    const failed = Object.keys(errors).length > 0
    res.status(failed ? 400 : 200).render('cases/views/compliance.njk', {
      pageTitle: `${failed ? 'Error: ' : ''}Case work compliance`,
      from,
      to,
      typed: failed ? typed : {},
      errors,
      errorList: errorList(errors),
      totals,
      rows,
      teams,
      months,
    })
  })

  router.get('/cases/settings', requireCapability('users:manage'), async (_req, res) => {
    res.render('cases/views/settings.njk', {
      pageTitle: 'Case work settings',
      settings: await cases.settings(viewerOf(res)),
      errors: {},
      errorList: [],
      values: null,
    })
  })
  router.post('/cases/settings', requireCapability('users:manage'), async (req, res) => {
    try {
      const saved = await cases.saveSettings(viewerOf(res), (req.body ?? {}) as Record<string, unknown>)
      req.session.flash = {
        type: 'success',
        text: saved.changed
          ? `Settings saved as version ${saved.version}. Obligations that start from now are due by the new periods; those already started keep theirs.`
          : 'Nothing changed.',
      }
      res.redirect('/cases/settings')
    } catch (error) {
      if (!(error instanceof CaseInputError)) throw error
      res.status(400).render('cases/views/settings.njk', {
        pageTitle: 'Case work settings',
        settings: await cases.settings(viewerOf(res)),
        errors: error.errors,
        errorList: errorList(error.errors),
        values: req.body ?? {},
      })
    }
  })

  const renderCase = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const view = await cases.caseView(viewerOf(res), recordIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such crime')
    const permissions = res.locals.permissions
    res.status(status).render('cases/views/case.njk', {
      pageTitle: `Case ${view.crime.force_reference}`,
      view,
      statusTags: STATUS_TAGS,
      riskLabels: RISK_LABELS,
      canEdit: permissions.can('case:edit', view.crime.force_id),
      canAssign: permissions.can('case:supervise', view.crime.force_id),
      users: permissions.can('case:supervise', view.crime.force_id)
        ? await cases.assignableUsers(view.crime.force_id)
        : [],
      me: res.locals.actor.actorId,
      errors: {},
      errorList: [],
      values: {},
      ...extra,
    })
  }

  router.get('/cases/:id', requireCapability('case:read'), async (req, res) => {
    await renderCase(req, res)
  })

  router.post('/cases/:id/assign', requireCapability('case:edit'), async (req, res) => {
    const id = recordIdParam(req.params.id)
    try {
      const officer = await cases.assign(viewerOf(res), id, { userId: req.body?.userId })
      req.session.flash = { type: 'success', text: `Case assigned to ${officer.name}.` }
      const back =
        typeof req.body?.returnTo === 'string' && /^\/cases\/queue(\?|$)/.test(req.body.returnTo)
          ? req.body.returnTo
          : `/cases/${id}`
      res.redirect(back)
    } catch (error) {
      if (!(error instanceof CaseInputError) || error.errors.crime === 'There is no such crime') throw error
      await renderCase(
        req,
        res,
        { errors: error.errors, errorList: errorList(error.errors), values: req.body ?? {} },
        400,
      )
    }
  })

  router.post('/cases/:id/not-applicable', requireCapability('case:edit'), async (req, res) => {
    const id = recordIdParam(req.params.id)
    try {
      await cases.setNotApplicable(viewerOf(res), id, req.body ?? {})
      req.session.flash = {
        type: 'success',
        text:
          req.body?.withdraw === 'yes'
            ? 'The obligation applies again.'
            : 'Recorded as not applicable, with your reason.',
      }
      res.redirect(`/cases/${id}`)
    } catch (error) {
      if (!(error instanceof CaseInputError) || error.errors.crime === 'There is no such crime') throw error
      await renderCase(
        req,
        res,
        { errors: error.errors, errorList: errorList(error.errors), values: req.body ?? {} },
        400,
      )
    }
  })

  return router
}
