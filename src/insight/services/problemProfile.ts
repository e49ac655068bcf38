// The stalking problem profile (Recommendation 11, evidence 11.1 and 11.4): the scale and types of stalking in the
// force, what it is recorded behind, who it affects, how the force responds and what demand to plan for, generated
// live from Threadline's records for any period. Composes the crime area's aggregate queries with the screening and
// safeguarding areas' figures; no Express. Counts only, never a person's details; each view is audited.
import { z } from 'zod'
import type { CrimeProfileQueries, DayRange, RoleCounts } from '../../crime/index.ts'
import type { MeasurePeriod } from '../../crime/index.ts'
import type { ClassificationCatalogue } from '../../crime/index.ts'
import type { AuditService } from '../../platform/services/auditService.ts'
import { FieldInputError, checkViewer, type Viewer } from '../../platform/services/viewer.ts'
import { addDays, addMonths, isRealDay, monthsBetween } from '../../platform/days.ts'
import { STALKING_KEY } from '../../crime/index.ts'

export { STALKING_KEY }
const HARASSMENT_CODE = '8L'
const MALICIOUS_COMMUNICATIONS_CODE = '8R'
/** How many months of history the demand projection fits, and how many it projects. */
export const DEMAND_HISTORY_MONTHS = 24
export const DEMAND_PROJECTION_MONTHS = 12
/** The longest period a profile covers. */
export const MAX_PERIOD_YEARS = 3

/** A period of whole reported days, 'YYYY-MM-DD', both inclusive. */
export interface ProfileRange {
  from: string
  to: string
}

export type ProfileFormat = 'page' | 'csv' | 'json'

/** Figures the screening area supplies, through its service. */
export interface ProfileScreeningSource {
  /** Crimes reported in [from, to] (inclusive days) that entered screening, were decided, and were screened in. */
  screening(forceId: number, range: ProfileRange): Promise<{ screened: number; screenedIn: number }>
  /** Courses of conduct the linkage found whose latest incident was reported in the period. */
  coursesOfConduct(forceId: number, period: MeasurePeriod): Promise<number>
}

/** Stalking Protection Order figures, from the safeguarding area's service. */
export interface ProfileSafeguardingSource {
  spoMeasure(
    forceId: number,
    period: MeasurePeriod,
  ): Promise<{ stalkingCrimes: number; considered: number; appliedFor: number; granted: number; breaches: number }>
}

export interface ScaleRow {
  id: string
  label: string
  current: number
  previous: number
  /** current - previous */
  change: number
  /** The change as a percentage of the previous period's figure; null when that was 0. */
  changePercent: number | null
}

export interface MonthCount {
  month: string
  principal: number
  includedOnly: number
  total: number
}

export interface ProblemProfile {
  forceId: number
  forceName: string
  period: ProfileRange
  previous: ProfileRange
  generatedAt: string
  /** 1. Scale, this period and the previous period of the same length. */
  scale: ScaleRow[]
  /** 2. Stalking crimes (8Q, either role) by reported month in the period. */
  trend: MonthCount[]
  /** 3. Crimes with 8Q included but another principal, by that principal classification. */
  hidden: { total: number; byPrincipal: { code: string | null; name: string; crimes: number; percent: number }[] }
  /** 4. Victims and suspects of the period's stalking crimes. */
  people: {
    stalkingCrimes: number
    victims: number
    repeatVictims: number
    suspects: number
    repeatSuspects: number
    suspectsWithSeveralVictims: number
    domesticAbuse: number
    domesticAbusePercent: number | null
    online: number
    onlinePercent: number | null
  }
  /** 5. Outcomes, Stalking Protection Orders and crimes by team. */
  response: {
    stalkingCrimes: number
    outcomeGroups: { group: string; crimes: number; percent: number | null }[]
    outcomes: { group: string; outcome: number | null; name: string; crimes: number; percent: number | null }[]
    spo: {
      stalkingCrimes: number
      considered: number
      consideredPercent: number | null
      appliedFor: number
      granted: number
      breaches: number
    } | null
    teams: { team: string; crimes: number; finalised: number; charged: number }[]
  }
  /** 6. Demand (11.4): monthly stalking crimes, the least-squares straight line through them and its projection. */
  demand: {
    history: { month: string; crimes: number; trend: number }[]
    projection: { month: string; crimes: number }[]
    /** Change in crimes per month along the line; null when there is no history. */
    slopePerMonth: number | null
    historyLastTwelve: number
    projectedNextTwelve: number
    basis: string
  }
}

// ---- Dates ------------------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000

const dayToMs = (day: string) => Date.parse(`${day}T00:00:00Z`)

const lastDayOfMonth = (month: string) => addDays(`${addMonths(month, 1)}-01`, -1)

/** The period as crime_classification_index compares reported_at: inclusive start, exclusive end, ISO. */
export function measurePeriod(range: ProfileRange): MeasurePeriod {
  return { from: `${range.from}T00:00:00.000Z`, to: `${addDays(range.to, 1)}T00:00:00.000Z` }
}

const dayRange = (range: ProfileRange): DayRange => ({ from: range.from, before: addDays(range.to, 1) })

/** The last twelve whole months before today's month. */
export function defaultRange(now = new Date()): ProfileRange {
  const thisMonth = now.toISOString().slice(0, 7)
  return { from: `${addMonths(thisMonth, -12)}-01`, to: addDays(`${thisMonth}-01`, -1) }
}

/**
 * The period of the same length just before: the same number of whole months when the period is whole months (so
 * a calendar year compares with the calendar year before), otherwise the same number of days.
 */
export function previousRange(range: ProfileRange): ProfileRange {
  const to = addDays(range.from, -1)
  const wholeMonths = range.from.endsWith('-01') && lastDayOfMonth(range.to.slice(0, 7)) === range.to
  if (wholeMonths) {
    const months = monthsBetween(range.from.slice(0, 7), range.to.slice(0, 7)).length
    return { from: `${addMonths(range.from.slice(0, 7), -months)}-01`, to }
  }
  const days = Math.round((dayToMs(range.to) - dayToMs(range.from)) / DAY_MS) + 1
  return { from: addDays(range.from, -days), to }
}

// ---- The period from the URL --------------------------------------------------------------------------------------

const day = (what: string, example: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter the ${what} as a real date, for example ${example}`)
    .refine(isRealDay, `Enter a real ${what}, for example ${example}`)

/**
 * The period from the query string (`from`, `to`: 'YYYY-MM-DD'), the last twelve whole months when both are left
 * out. Throws FieldInputError with a message per field when a date is not a real date, the end is before the start
 * or after today, or the period is longer than three years.
 */
export function parseProfileRange(query: Record<string, unknown>, now = new Date()): ProfileRange {
  const today = now.toISOString().slice(0, 10)
  const fallback = defaultRange(now)
  const text = (value: unknown, otherwise: string) =>
    value === undefined ? otherwise : typeof value === 'string' ? value.trim() || otherwise : ''
  // The period's rules apply once both dates are real dates (zod runs object refinements after field issues too).
  const rule = (check: (range: ProfileRange) => boolean) => (range: ProfileRange) =>
    !isRealDay(range.from) || !isRealDay(range.to) || check(range)
  const schema = z
    .object({ from: day('start date', '1 4 2025'), to: day('end date', '31 3 2026') })
    .refine(
      rule((range) => range.to >= range.from),
      { path: ['to'], message: 'The end date must be the same as or after the start date' },
    )
    .refine(
      rule((range) => range.to <= today),
      { path: ['to'], message: 'The end date must be today or in the past' },
    )
    .refine(
      rule((range) => dayToMs(range.to) - dayToMs(range.from) < MAX_PERIOD_YEARS * 366 * DAY_MS),
      { path: ['from'], message: `Choose a period of ${MAX_PERIOD_YEARS} years or less` },
    )
  const parsed = schema.safeParse({ from: text(query.from, fallback.from), to: text(query.to, fallback.to) })
  if (parsed.success) return parsed.data
  const errors: Record<string, string> = {}
  for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message
  throw new FieldInputError(errors)
}

// ---- Arithmetic ---------------------------------------------------------------------------------------------------

/**
 * The least-squares straight line through the points (0, ys[0]), (1, ys[1]), …: y = intercept + slope × x. One point
 * gives a flat line through it; none gives null.
 */
export function leastSquares(ys: readonly number[]): { slope: number; intercept: number } | null {
  const n = ys.length
  if (n === 0) return null
  const meanX = (n - 1) / 2
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n
  let sxx = 0
  let sxy = 0
  ys.forEach((y, x) => {
    sxx += (x - meanX) ** 2
    sxy += (x - meanX) * (y - meanY)
  })
  const slope = sxx === 0 ? 0 : sxy / sxx
  return { slope, intercept: meanY - slope * meanX }
}

/** The straight line's values for the next `months` points after the history, never below 0. */
export function projectLine(line: { slope: number; intercept: number }, from: number, months: number): number[] {
  return Array.from({ length: months }, (_, index) => Math.max(0, line.intercept + line.slope * (from + index)))
}

const round1 = (value: number) => Math.round(value * 10) / 10
const percentOf = (part: number, whole: number) => (whole > 0 ? round1((part / whole) * 100) : null)

// ---- Outcomes -----------------------------------------------------------------------------------------------------

/** Home Office outcome types grouped as the Home Office's crime outcomes statistics group them. */
export const OUTCOME_GROUPS: { group: string; outcomes: number[] }[] = [
  { group: 'Charged or summonsed', outcomes: [1] },
  { group: 'Taken into consideration', outcomes: [4] },
  { group: 'Out-of-court (formal)', outcomes: [2, 3, 6, 7] },
  { group: 'Out-of-court (informal)', outcomes: [8] },
  { group: 'Diversionary, educational or intervention activity', outcomes: [22] },
  { group: 'Prosecution prevented or not in the public interest', outcomes: [5, 9, 10, 11, 12, 13, 17] },
  { group: 'Evidential difficulties: victim supports action', outcomes: [15] },
  { group: 'Evidential difficulties: victim does not support action', outcomes: [14, 16] },
  { group: 'Investigation complete: no suspect identified', outcomes: [18] },
  { group: 'Not investigated (NFIB)', outcomes: [19] },
  { group: 'Action undertaken by another body or agency', outcomes: [20] },
  { group: 'Further investigation not in the public interest', outcomes: [21] },
]
export const NOT_FINALISED = 'Not yet finalised (no outcome)'
const NO_TEAM = 'No team recorded'

const groupOf = (outcome: number | null) =>
  outcome === null
    ? NOT_FINALISED
    : (OUTCOME_GROUPS.find((entry) => entry.outcomes.includes(outcome))?.group ?? 'Other outcome')

// ---- The service --------------------------------------------------------------------------------------------------

export interface ProblemProfileDependencies {
  queries: CrimeProfileQueries
  catalogue: ClassificationCatalogue
  audit: AuditService
  forceName(forceId: number): Promise<string | undefined>
  screening: ProfileScreeningSource
  safeguarding?: ProfileSafeguardingSource
}

const all = (counts: RoleCounts | undefined) => (counts ? counts.principal + counts.included + counts.both : 0)

export class ProblemProfileService {
  constructor(private readonly deps: ProblemProfileDependencies) {}

  /** Breach offences: the Threadline codes the catalogue keeps inside Home Office class 8L (harassment). */
  get breachCodes(): string[] {
    return this.deps.catalogue.classes
      .filter((entry) => entry.level === 'local' && entry.hoClass === HARASSMENT_CODE)
      .map((entry) => entry.code)
  }

  /**
   * The force's problem profile for the period, for a viewer with `analysis:read` in that force (anyone else gets a
   * ForbiddenError, which the app audits as refused). One `insight.profile_viewed` audit row per call, naming the
   * period and the format it was read in.
   */
  async profile(viewer: Viewer, forceId: number, range: ProfileRange, format: ProfileFormat): Promise<ProblemProfile> {
    checkViewer(viewer, 'analysis:read', forceId)
    const profile = await this.build(forceId, range)
    await this.deps.audit.recordAlone(viewer.actor, {
      action: 'insight.profile_viewed',
      subjectType: 'force',
      subjectId: forceId,
      details: { from: range.from, to: range.to, format },
    })
    return profile
  }

  private async build(forceId: number, range: ProfileRange): Promise<ProblemProfile> {
    const previous = previousRange(range)
    const period = measurePeriod(range)
    const { queries } = this.deps
    const [scale, trend, hidden, people, response, demand, forceName] = await Promise.all([
      this.scale(forceId, range, previous),
      this.trend(forceId, range),
      queries.includedOnlyByPrincipal(forceId, STALKING_KEY, period),
      this.people(forceId, period),
      this.response(forceId, period),
      this.demand(forceId, range),
      this.deps.forceName(forceId),
    ])
    const hiddenTotal = hidden.reduce((sum, row) => sum + row.crimes, 0)
    return {
      forceId,
      forceName: forceName ?? `Force ${forceId}`,
      period: range,
      previous,
      generatedAt: new Date().toISOString(),
      scale,
      trend,
      hidden: {
        total: hiddenTotal,
        byPrincipal: hidden
          .map((row) => ({
            code: row.code,
            name: row.code ? this.deps.catalogue.name(row.code) : 'No principal classification recorded',
            crimes: row.crimes,
            percent: percentOf(row.crimes, hiddenTotal) ?? 0,
          }))
          .sort((a, b) => b.crimes - a.crimes || (a.code ?? '').localeCompare(b.code ?? '')),
      },
      people,
      response,
      demand,
    }
  }

  private async scaleFigures(forceId: number, range: ProfileRange): Promise<Record<string, number>> {
    const { queries, screening } = this.deps
    const period = measurePeriod(range)
    const breaches = this.breachCodes
    const [counts, breachCrimes, intelligence, courses, screened] = await Promise.all([
      queries.keyCounts(forceId, [STALKING_KEY, HARASSMENT_CODE, MALICIOUS_COMMUNICATIONS_CODE], dayRange(range)),
      queries.crimesWithAnyKey(forceId, breaches, period),
      queries.intelligence(forceId, STALKING_KEY, period),
      screening.coursesOfConduct(forceId, period),
      screening.screening(forceId, range),
    ])
    const stalking = counts.get(STALKING_KEY)
    return {
      stalking_principal: (stalking?.principal ?? 0) + (stalking?.both ?? 0),
      stalking_included_only: stalking?.included ?? 0,
      // Every breach code is indexed under 8L too, so the crimes under 8L less those with a breach code are harassment.
      harassment: all(counts.get(HARASSMENT_CODE)) - breachCrimes,
      malicious_communications: all(counts.get(MALICIOUS_COMMUNICATIONS_CODE)),
      breach_offences: breachCrimes,
      intelligence_reports: intelligence.reports,
      intelligence_linked: intelligence.linked,
      courses_of_conduct: courses,
      crimes_screened: screened.screened,
      screened_in: screened.screenedIn,
    }
  }

  private async scale(forceId: number, range: ProfileRange, previous: ProfileRange): Promise<ScaleRow[]> {
    const [now, before] = await Promise.all([this.scaleFigures(forceId, range), this.scaleFigures(forceId, previous)])
    const name = (code: string) => `${this.deps.catalogue.name(code)} (${code})`
    const labels: [string, string][] = [
      ['stalking_principal', `${name(STALKING_KEY)} as the principal classification`],
      ['stalking_included_only', `${name(STALKING_KEY)} as an included classification only (another principal)`],
      ['harassment', `${name(HARASSMENT_CODE)}, not a breach of an order`],
      ['malicious_communications', name(MALICIOUS_COMMUNICATIONS_CODE)],
      [
        'breach_offences',
        `Breach offences: ${this.breachCodes.map((code) => this.deps.catalogue.name(code).toLowerCase()).join('; ')}`,
      ],
      ['intelligence_reports', 'Intelligence reports recorded'],
      ['intelligence_linked', "Intelligence reports (recorded at any time) linked to the period's stalking crimes"],
      ['courses_of_conduct', 'Courses of conduct linked by screening (latest incident reported in the period)'],
      ['crimes_screened', 'Crimes screened for stalking (reported in the period)'],
      ['screened_in', 'Crimes screened in as stalking'],
    ]
    return labels.map(([id, label]) => ({
      id,
      label,
      current: now[id],
      previous: before[id],
      change: now[id] - before[id],
      changePercent: percentOf(now[id] - before[id], before[id]),
    }))
  }

  private async monthly(forceId: number, months: string[], days: DayRange): Promise<MonthCount[]> {
    const rows = await this.deps.queries.monthlyCounts(forceId, STALKING_KEY, days)
    const byMonth = new Map(rows.map((row) => [row.month, row]))
    return months.map((month) => {
      const row = byMonth.get(month)
      const principal = (row?.principal ?? 0) + (row?.both ?? 0)
      const includedOnly = row?.included ?? 0
      return { month, principal, includedOnly, total: principal + includedOnly }
    })
  }

  private trend(forceId: number, range: ProfileRange): Promise<MonthCount[]> {
    return this.monthly(forceId, monthsBetween(range.from.slice(0, 7), range.to.slice(0, 7)), dayRange(range))
  }

  private async people(forceId: number, period: MeasurePeriod): Promise<ProblemProfile['people']> {
    const { queries } = this.deps
    const [flags, victims, suspects, severalVictims] = await Promise.all([
      queries.flags(forceId, STALKING_KEY, period),
      queries.partyCounts(forceId, STALKING_KEY, period, 'victim'),
      queries.partyCounts(forceId, STALKING_KEY, period, 'suspect'),
      queries.suspectsWithSeveralVictims(forceId, STALKING_KEY, period),
    ])
    return {
      stalkingCrimes: flags.crimes,
      victims: victims.people,
      repeatVictims: victims.onTwoOrMore,
      suspects: suspects.people,
      repeatSuspects: suspects.onTwoOrMore,
      suspectsWithSeveralVictims: severalVictims,
      domesticAbuse: flags.domesticAbuse,
      domesticAbusePercent: percentOf(flags.domesticAbuse, flags.crimes),
      online: flags.online,
      onlinePercent: percentOf(flags.online, flags.crimes),
    }
  }

  private async response(forceId: number, period: MeasurePeriod): Promise<ProblemProfile['response']> {
    const { queries, catalogue, safeguarding } = this.deps
    const [outcomes, teams, spo] = await Promise.all([
      queries.outcomes(forceId, STALKING_KEY, period),
      queries.teams(forceId, STALKING_KEY, period),
      safeguarding ? safeguarding.spoMeasure(forceId, period) : Promise.resolve(null),
    ])
    const stalkingCrimes = outcomes.reduce((sum, row) => sum + row.crimes, 0)
    const groupOrder = [...OUTCOME_GROUPS.map((entry) => entry.group), 'Other outcome', NOT_FINALISED]
    const rows = outcomes
      .map((row) => ({
        group: groupOf(row.outcome),
        outcome: row.outcome,
        name: row.outcome === null ? NOT_FINALISED : catalogue.outcomeName(row.outcome),
        crimes: row.crimes,
        percent: percentOf(row.crimes, stalkingCrimes),
      }))
      .sort(
        (a, b) => groupOrder.indexOf(a.group) - groupOrder.indexOf(b.group) || (a.outcome ?? 99) - (b.outcome ?? 99),
      )
    const groups = new Map<string, number>()
    for (const row of rows) groups.set(row.group, (groups.get(row.group) ?? 0) + row.crimes)
    return {
      stalkingCrimes,
      outcomeGroups: [...groups].map(([group, crimes]) => ({
        group,
        crimes,
        percent: percentOf(crimes, stalkingCrimes),
      })),
      outcomes: rows,
      spo: spo && { ...spo, consideredPercent: percentOf(spo.considered, spo.stalkingCrimes) },
      teams: teams
        .map((row) => ({ ...row, team: row.team ?? NO_TEAM }))
        .sort((a, b) => b.crimes - a.crimes || a.team.localeCompare(b.team)),
    }
  }

  /**
   * The 24 whole months ending with the period's last whole month (the period's end month when it ends on the
   * month's last day, otherwise the month before), the least-squares line through them and its next 12 months.
   */
  private async demand(forceId: number, range: ProfileRange): Promise<ProblemProfile['demand']> {
    const endMonth = range.to.slice(0, 7)
    const last = lastDayOfMonth(endMonth) === range.to ? endMonth : addMonths(endMonth, -1)
    const first = addMonths(last, -(DEMAND_HISTORY_MONTHS - 1))
    const months = monthsBetween(first, last)
    const counts = await this.monthly(forceId, months, { from: `${first}-01`, before: `${addMonths(last, 1)}-01` })
    const ys = counts.map((row) => row.total)
    const line = leastSquares(ys)
    const projected = line ? projectLine(line, ys.length, DEMAND_PROJECTION_MONTHS) : []
    const projection = projected.map((crimes, index) => ({ month: addMonths(last, index + 1), crimes: round1(crimes) }))
    return {
      history: counts.map((row, x) => ({
        month: row.month,
        crimes: row.total,
        trend: line ? round1(line.intercept + line.slope * x) : 0,
      })),
      projection,
      slopePerMonth: line ? Math.round(line.slope * 100) / 100 : null,
      historyLastTwelve: ys.slice(-12).reduce((sum, y) => sum + y, 0),
      projectedNextTwelve: Math.round(projected.reduce((sum, y) => sum + y, 0)),
      basis:
        `A straight-line projection, not a forecast: the least-squares line through the stalking crimes (8Q, principal ` +
        `or included) reported in each of the ${DEMAND_HISTORY_MONTHS} whole months ${first} to ${last}, carried on ` +
        `for ${DEMAND_PROJECTION_MONTHS} months and never below 0. It assumes the past trend continues; it knows ` +
        `nothing of seasons, recording changes or what the force does next.`,
    }
  }
}
