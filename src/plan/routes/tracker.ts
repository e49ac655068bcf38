// The public national tracker (no sign-in): every force, whether it has published a plan, and its approved progress
// against each recommendation; open data as CSV and JSON with a documented schema.
import { readFileSync } from 'node:fs'
import { Router } from 'express'
import type { PlanContext } from '../context.ts'
import { nationalTracker, trackerCsv, trackerJson } from '../services/tracker.ts'
import type { TrackerDocument } from '../tracker.ts'
import { planViewGlobals } from './helpers.ts'

const SCHEMA_URL = new URL('../../../docs/national-tracker.schema.json', import.meta.url)

export const TRACKER_STATUS_LABELS: Record<string, string> = {
  complete: 'Complete',
  in_progress: 'In progress',
  not_started: 'Not started',
  no_status: 'No status given',
  not_addressed: 'Not addressed',
}

/** What the tracker pages show: the document, the recommendation numbers, and the words for each status. */
export function trackerPage(doc: TrackerDocument) {
  return {
    ...planViewGlobals,
    doc,
    numbers: doc.recommendations.map((r) => r.number),
    trackerLabels: TRACKER_STATUS_LABELS,
    withoutPlan: doc.forces.filter((f) => !f.hasPlan),
  }
}

export function sendTracker(res: import('express').Response, doc: TrackerDocument, format: 'csv' | 'json'): void {
  res.attachment(`national-stalking-action-plan-tracker.${format}`)
  if (format === 'csv') res.type('text/csv; charset=utf-8').send(trackerCsv(doc))
  else res.type('application/json; charset=utf-8').send(trackerJson(doc))
}

export function publicTrackerRouter(services: PlanContext): Router {
  const router = Router()
  const plans = services.plan.service
  let schema: string | null = null

  router.get('/national', async (_req, res) => {
    const doc = await nationalTracker(plans, 'public')
    res.render('plan/views/public-national.njk', {
      ...trackerPage(doc),
      pageTitle: 'National tracker of police stalking action plans',
    })
  })

  router.get('/national.csv', async (_req, res) => {
    sendTracker(res, await nationalTracker(plans, 'public'), 'csv')
  })

  router.get('/national.json', async (_req, res) => {
    sendTracker(res, await nationalTracker(plans, 'public'), 'json')
  })

  router.get('/national.schema.json', (_req, res) => {
    schema ??= readFileSync(SCHEMA_URL, 'utf8')
    res.type('application/schema+json; charset=utf-8').send(schema)
  })
  return router
}
