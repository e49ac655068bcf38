// The stalking problem profile pages (Recommendation 11): `/insight/profile` (the period in the URL, a GET form to
// change it) and `/insight/profile.csv` (every section, one table after another). Thin: the service checks the
// capability and force, builds the figures and audits the view.
import { Router, type Response } from 'express'
import type { InsightContext } from '../context.ts'
import { FieldInputError } from '../../platform/services/viewer.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { errorList, viewerOf } from '../../platform/web/requestHelpers.ts'
import {
  DEMAND_HISTORY_MONTHS,
  DEMAND_PROJECTION_MONTHS,
  parseProfileRange,
  type ProfileRange,
} from '../services/problemProfile.ts'
import { profileCsv } from '../services/problemProfileCsv.ts'

/** The profile's URL for a period (the CSV's with `.csv`). */
export function profileHref(range: ProfileRange, csv = false): string {
  return `/insight/profile${csv ? '.csv' : ''}?${new URLSearchParams({ from: range.from, to: range.to }).toString()}`
}

const typed = (value: unknown) => (typeof value === 'string' ? value : '')

export function insightRouter(services: InsightContext): Router {
  const router = Router()
  const profiles = services.insight.profile

  /** The period from the URL, or the page again with the error summary (400) and what was typed. */
  function periodOrErrors(query: Record<string, unknown>, res: Response): ProfileRange | null {
    try {
      return parseProfileRange(query)
    } catch (error) {
      if (!(error instanceof FieldInputError)) throw error
      res.status(400).render('insight/views/profile.njk', {
        pageTitle: 'Error: Stalking problem profile',
        values: { from: typed(query.from), to: typed(query.to) },
        errors: error.errors,
        errorList: errorList(error.errors),
        profile: null,
      })
      return null
    }
  }

  router.get('/profile', requireCapability('analysis:read'), async (req, res) => {
    const range = periodOrErrors(req.query, res)
    if (!range) return
    const viewer = viewerOf(res)
    const profile = await profiles.profile(viewer, viewer.forceId, range, 'page')
    res.render('insight/views/profile.njk', {
      pageTitle: 'Stalking problem profile',
      values: range,
      errors: {},
      errorList: [],
      profile,
      csvHref: profileHref(range, true),
      historyMonths: DEMAND_HISTORY_MONTHS,
      projectionMonths: DEMAND_PROJECTION_MONTHS,
      maxTrend: Math.max(1, ...profile.trend.map((row) => row.total)),
      maxHidden: Math.max(1, ...profile.hidden.byPrincipal.map((row) => row.crimes)),
      maxTeam: Math.max(1, ...profile.response.teams.map((row) => row.crimes)),
      maxDemand: Math.max(
        1,
        ...profile.demand.history.map((row) => Math.max(row.crimes, row.trend)),
        ...profile.demand.projection.map((row) => row.crimes),
      ),
    })
  })

  router.get('/profile.csv', requireCapability('analysis:read'), async (req, res) => {
    const range = periodOrErrors(req.query, res)
    if (!range) return
    const viewer = viewerOf(res)
    const profile = await profiles.profile(viewer, viewer.forceId, range, 'csv')
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="stalking-problem-profile-${range.from}-to-${range.to}.csv"`,
    )
    res.type('text/csv; charset=utf-8').send(profileCsv(profile))
  })

  return router
}
