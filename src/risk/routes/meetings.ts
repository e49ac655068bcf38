// The daily management meeting's pages: the list for a day and team (printable, CSV, PDF) with the form that records
// the meeting; a recorded meeting; an action marked done. Thin: the meeting service validates, checks and audits.
import { Router, type Request, type Response } from 'express'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { errorList, recordIdParam, viewerOf } from '../../platform/web/requestHelpers.ts'
import type { RiskContext } from '../context.ts'
import { dailyListCsv, dailyListPdf } from '../services/dailyListExport.ts'
import { MeetingInputError } from '../services/meetingService.ts'

function listHref(path: string, list: { date: string; team: string; within: number }) {
  const params = new URLSearchParams({ date: list.date })
  if (list.team) params.set('team', list.team)
  if (list.within !== 14) params.set('within', String(list.within))
  return `${path}?${params.toString()}`
}

export function meetingRouter(services: RiskContext): Router {
  const router = Router()
  const meetings = services.risk.meetings

  async function renderList(
    req: Request,
    res: Response,
    query: unknown,
    extra: { errors?: Record<string, string>; values?: Record<string, unknown> } = {},
  ) {
    const viewer = viewerOf(res)
    let list
    try {
      list = await meetings.dailyList(viewer, query)
    } catch (error) {
      if (!(error instanceof MeetingInputError)) throw error
      res.status(400).render('risk/views/daily.njk', {
        pageTitle: 'Error: Daily management meeting',
        list: null,
        query,
        errors: error.errors,
        errorList: errorList(error.errors),
        teams: await services.crime.records.teams(viewer.forceId),
        meetings: [],
        people: [],
        values: {},
      })
      return
    }
    const errors = extra.errors ?? {}
    const failed = Object.keys(errors).length > 0
    res.status(failed ? 400 : 200).render('risk/views/daily.njk', {
      pageTitle: `${failed ? 'Error: ' : ''}Daily management meeting – ${list.date}`,
      list,
      query: { date: list.date, team: list.team, within: String(list.within) },
      errors,
      errorList: errorList(
        errors,
        Object.fromEntries(
          Object.keys(errors)
            .filter((key) => key.startsWith('due-'))
            .map((key) => [key, key]),
        ),
      ),
      teams: await services.crime.records.teams(viewer.forceId),
      meetings: await meetings.recentMeetings(viewer),
      people: await meetings.people(viewer.forceId),
      values: extra.values ?? {},
      csvHref: listHref('/risk/daily.csv', list),
      pdfHref: listHref('/risk/daily.pdf', list),
      me: viewer.actor.actorId,
    })
  }

  router.get('/daily', requireCapability('case:supervise'), async (req, res) => {
    await renderList(req, res, req.query)
  })

  router.get('/daily.csv', requireCapability('case:supervise'), async (req, res) => {
    let list
    try {
      list = await meetings.dailyList(viewerOf(res), req.query)
    } catch (error) {
      if (error instanceof MeetingInputError)
        throw new NotFoundError('The list’s date, team or days ahead are not valid')
      throw error
    }
    res.type('text/csv; charset=utf-8')
    res.attachment(`daily-list-${list.date}.csv`)
    res.send(dailyListCsv(list))
  })

  router.get('/daily.pdf', requireCapability('case:supervise'), async (req, res) => {
    let list
    try {
      list = await meetings.dailyList(viewerOf(res), req.query)
    } catch (error) {
      if (error instanceof MeetingInputError)
        throw new NotFoundError('The list’s date, team or days ahead are not valid')
      throw error
    }
    const pdf = await dailyListPdf(list, res.locals.user?.forceName ?? '')
    res.type('application/pdf')
    res.attachment(`daily-list-${list.date}.pdf`)
    res.send(pdf)
  })

  router.post('/meetings', requireCapability('case:supervise'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    let meetingId: number
    try {
      ;({ meetingId } = await meetings.recordMeeting(viewerOf(res), body))
    } catch (error) {
      if (!(error instanceof MeetingInputError)) throw error
      await renderList(
        req,
        res,
        { date: body.date, team: body.team, within: body.within },
        { errors: error.errors, values: body },
      )
      return
    }
    req.session.flash = { type: 'success', text: 'Meeting recorded. Its actions are in their owners’ My work.' }
    res.redirect(`/risk/meetings/${meetingId}`)
  })

  router.get('/meetings/:id', requireCapability('case:read'), async (req, res) => {
    const view = await meetings.meetingView(viewerOf(res), recordIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such meeting')
    res.render('risk/views/meeting.njk', {
      pageTitle: `Daily management meeting – ${view.meeting.meeting_date}`,
      view,
      me: viewerOf(res).actor.actorId,
      canSupervise: res.locals.permissions.can('case:supervise', view.meeting.force_id),
    })
  })

  router.post('/meetings/actions/:id/done', requireCapability('case:edit'), async (req, res) => {
    let meetingId: number
    try {
      ;({ meetingId } = await meetings.completeAction(viewerOf(res), recordIdParam(req.params.id)))
    } catch (error) {
      if (error instanceof MeetingInputError) throw new NotFoundError(Object.values(error.errors)[0])
      throw error
    }
    req.session.flash = { type: 'success', text: 'Action marked done.' }
    res.redirect(`/risk/meetings/${meetingId}`)
  })

  return router
}
