// A standalone HTML document reproducing the published table: no scripts, no external resources, styles inline,
// printable on A4 landscape. Rendered with Nunjucks with autoescaping on.
import { fileURLToPath } from 'node:url'
import nunjucks from 'nunjucks'
import type { ExportablePlan } from '../interchange.ts'
import { formatPercent, itemProgress, planProgress, PROGRESS_METHOD, recommendationProgress } from '../progress.ts'
import { displayDate, statusText } from './rows.ts'

const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(fileURLToPath(new URL('.', import.meta.url))), {
  autoescape: true,
  throwOnUndefined: true,
})

/** Only http(s) URLs and same-site paths become links; anything else is shown as text. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null
  return /^https?:\/\/\S+$/i.test(url) || /^\/(?!\/)\S*$/.test(url) ? url : null
}

function paragraphs(text: string | null | undefined): string[] {
  if (!text) return []
  return text
    .split(/\r\n|\r|\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
}

function dateView(iso: string | null | undefined) {
  return iso ? { iso, text: displayDate(iso) } : null
}

export function planTitle(plan: Pick<ExportablePlan, 'force' | 'title'>): string {
  const title = plan.title ?? 'Police Stalking Action Plan'
  return plan.force ? `${plan.force}: ${title}` : title
}

export function planView(plan: ExportablePlan, generatedAt: Date) {
  return {
    title: planTitle(plan),
    force: plan.force,
    executiveLead: plan.executiveLead,
    operationalLead: plan.operationalLead,
    lastUpdated: dateView(plan.lastUpdated),
    generatedAt: { iso: generatedAt.toISOString(), text: displayDate(generatedAt.toISOString().slice(0, 10)) },
    overall: formatPercent(planProgress(plan)),
    method: PROGRESS_METHOD,
    recommendations: plan.recommendations.map((rec) => ({
      number: rec.number,
      text: paragraphs(rec.text),
      deadline: dateView(rec.deadline),
      progress: formatPercent(recommendationProgress(rec)),
      rowspan: Math.max(1, rec.items.length),
      items: rec.items.map((item) => {
        const latest = item.updates.at(-1) ?? null
        return {
          ref: item.ref,
          requirement: paragraphs(item.requirement),
          owner: item.owner,
          latest: latest
            ? { heading: latest.heading, text: paragraphs(latest.text), date: dateView(latest.date) }
            : null,
          earlier: item.updates
            .slice(0, -1)
            .reverse()
            .map((u) => ({
              heading: u.heading,
              text: paragraphs(u.text),
              date: dateView(u.date),
              status: statusText(u.status, u.statusLabel),
            })),
          status: statusText(item.status, item.statusLabel),
          percent: formatPercent(itemProgress(item)),
          documents: item.documents.map((d) => ({ name: d.name, href: safeHref(d.url), url: d.url })),
        }
      }),
    })),
  }
}

export function planHtml(plan: ExportablePlan, generatedAt: Date): Buffer {
  return Buffer.from(env.render('plan.njk', planView(plan, generatedAt)), 'utf8')
}
