import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Express } from 'express'
import nunjucks from 'nunjucks'
import { dateInputParts } from '../dateInput.ts'
import { auditActionWords, auditSubjectWords, importFormatWords, personName } from '../words.ts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})
const MONTH_FORMAT = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })
const DATE_TIME_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
})

/** Formats an ISO date keeping its precision: '2024-11' reads "November 2024", '2024-11-20' reads "20 November 2024". */
export function formatDate(value: string | null | undefined): string {
  if (!value) return ''
  if (/^\d{4}$/.test(value)) return value
  if (/^\d{4}-\d{2}$/.test(value)) return MONTH_FORMAT.format(new Date(`${value}-01T00:00:00Z`))
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value)
  if (Number.isNaN(date.getTime())) return value
  return value.length === 10 ? DATE_FORMAT.format(date) : DATE_TIME_FORMAT.format(date)
}

/**
 * Nunjucks' own trim filter strips with /^\s*|\s*$/g, which is quadratic in a string's inner whitespace runs; GOV.UK
 * Frontend's macros trim every component's whole output, so on a page with a long select or table it took most of the
 * render (a Find page: 60 ms a request, a third of it in that expression). String.prototype.trim removes the same
 * characters (JavaScript's \s is WhiteSpace and LineTerminator) in one pass; markup marked safe stays safe.
 */
export function trimKeepingSafeness(value: unknown): unknown {
  if (value instanceof nunjucks.runtime.SafeString) return new nunjucks.runtime.SafeString(value.toString().trim())
  return value === null || value === undefined ? value : String(value).trim()
}

export function configureNunjucks(app: Express | null, options: { watch?: boolean } = {}): nunjucks.Environment {
  const env = nunjucks.configure(
    [
      join(root, 'src'),
      join(root, 'node_modules', 'govuk-frontend', 'dist'),
      join(root, 'node_modules', '@ministryofjustice', 'frontend'),
    ],
    { autoescape: true, throwOnUndefined: false, watch: options.watch ?? false, ...(app ? { express: app } : {}) },
  )
  env.addFilter('trim', trimKeepingSafeness)
  env.addFilter('formatDate', formatDate)
  env.addFilter('dateParts', dateInputParts)
  // A navigation item is the current one when the path is one of its pages or below one (Home only on '/').
  env.addFilter('navActive', (_href: string, matches: string[] = [], path = '') =>
    matches.some((match) => path === match || (match !== '/' && path.startsWith(`${match}/`))),
  )
  env.addFilter('personName', personName)
  env.addFilter('auditAction', auditActionWords)
  env.addFilter('auditSubject', (type: string, id: string | number) => auditSubjectWords(type, id))
  env.addFilter('importFormat', importFormatWords)
  env.addFilter('json', (value: unknown) => JSON.stringify(value))
  env.addFilter('percent', (value: number | null | undefined) =>
    value === null || value === undefined ? '' : `${Math.round(value)}%`,
  )
  env.addFilter('number', (value: number | null | undefined) =>
    value === null || value === undefined ? '' : value.toLocaleString('en-GB'),
  )
  env.addFilter('pluralise', (count: number, singular: string, plural?: string) =>
    count === 1 ? singular : (plural ?? `${singular}s`),
  )
  env.addGlobal('serviceName', 'Threadline')
  return env
}
