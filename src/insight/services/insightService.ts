import { readFileSync } from 'node:fs'
import { z } from 'zod'
import type { MeasurePeriod } from '../../crime/index.ts'
import type { CrimeProfileQueries } from '../../crime/index.ts'

/** Reported from (inclusive) to (exclusive), ISO date-times. */
export type Period = MeasurePeriod

/** The crime area's counts the figures are built from. */
export type CrimeFigureSource = Pick<
  CrimeProfileQueries,
  'classificationCounts' | 'outcomeCounts' | 'intelligenceCounts'
>

/** A live figure from Threadline's own records, shown beside the evidence requirement it helps prove. */
export interface LiveFigure {
  id: string
  label: string
  /** The figure as a reader sees it, e.g. "38% (41 of 108)". */
  value: string
  numerator: number | null
  denominator: number | null
  percent: number | null
  /** How it is computed, in plain English, shown next to the number. */
  method: string
  /** One sentence a plan owner can quote in an update without retyping it. */
  sentence: string
}

/** Figures the screening area supplies; absent until screening is wired, and then each one optional. */
export interface ScreeningFigureSource {
  coverage?(
    forceId: number,
    period: Period,
    withinDays: number,
  ): Promise<{ eligible: number; screenedWithin: number; screenedIn: number; decided: number }>
  sdashCompletion?(forceId: number, period: Period): Promise<{ stalkingCrimes: number; assessed: number }>
  coursesOfConduct?(forceId: number, period: Period): Promise<number>
}

/** Figures the safeguarding area supplies (Stalking Protection Orders); absent until it is wired. */
export interface SafeguardingFigureSource {
  spoMeasure?(
    forceId: number,
    period: Period,
  ): Promise<{ stalkingCrimes: number; considered: number; appliedFor: number; granted: number; breaches: number }>
  /** Protective orders of every kind: applied for, granted and breached by kind; notification requirements met. */
  ordersMeasure?(
    forceId: number,
    period: Period,
  ): Promise<{
    appliedFor: number
    granted: number
    breaches: number
    notificationsDue: number
    notificationsMet: number
    byKind: { name: string; appliedFor: number; granted: number; breaches: number; ordersBreached: number }[]
  }>
}

/** Figures the risk area supplies (assessments reviewed, the daily management meeting); absent until it is wired. */
export interface RiskFigureSource {
  reviewMeasure?(
    forceId: number,
    period: Period,
  ): Promise<{ assessments: number; reviewed: number; reviewedOnTime: number }>
  discussedMeasure?(forceId: number, period: Period): Promise<{ highRiskCases: number; discussedWithinOneDay: number }>
}

/** Figures the victims area supplies (Victims' Code rights and access to support); absent until it is wired. */
export interface VictimFigureSource {
  victimMeasure?(
    forceId: number,
    period: Period,
  ): Promise<{
    victims: number
    rightsTold: number
    needsAssessed: number
    wantedSupport: number
    declinedSupport: number
    referredOfWanting: number
    medianDaysToReferral: number | null
  }>
  directoryMeasure?(forceId: number): Promise<{ listed: number; national: number; local: number }>
}

/** Figures the investigation area supplies (allocation to trained officers, supervisory reviews); absent until wired. */
export interface InvestigationFigureSource {
  /** One course's completions in the training register: frontline officers and investigators of stalking crimes. */
  trainingMeasure?(
    forceId: number,
    courseId: string,
    period: Period,
  ): Promise<
    | {
        course: { name: string; audience: 'frontline' | 'investigators' }
        frontline: number
        frontlineTrained: number
        frontlineStated: boolean
        investigators: number
        investigatorsTrained: number
      }
    | undefined
  >
  investigationMeasure?(
    forceId: number,
    period: Period,
  ): Promise<{
    stalkingCrimes: number
    allocated: number
    allocatedTrained: number
    highRisk: number
    highRiskTrained: number
    reviewed: number
    reviewedWithin: number
    reviews: number
    digitalPursued: number
    arrested: number
    searched: number
    victimImpact: number
  }>
}

/** Figures the assurance area supplies (case audits, victim satisfaction surveys); absent until it is wired. */
export interface AssuranceFigureSource {
  auditMeasure?(
    forceId: number,
    period: Period,
  ): Promise<{ yes: number; no: number; notApplicable: number; casesAudited: number }>
  satisfactionMeasure?(
    forceId: number,
    period: Period,
  ): Promise<{ surveyed: number; answered: number; satisfied: number }>
}

/** Figures the partners area supplies (digital safeguarding referrals, perpetrator programmes); absent until wired. */
export interface PartnerFigureSource {
  partnerMeasure?(
    forceId: number,
    period: Period,
  ): Promise<{
    digitalReferrals: number
    digitalAccepted: number
    perpetratorsReferred: number
    programmesReferred: number
    programmesStarted: number
    programmesCompleted: number
    programmesDroppedOut: number
  }>
}

const measureLinksSchema = z.object({
  links: z.array(z.object({ ref: z.string().regex(/^\d+\.\d+$/), measures: z.array(z.string()).min(1) })),
})

export const MEASURE_IDS = [
  'stalking_recorded',
  'stalking_as_included',
  'stalking_online',
  'stalking_outcomes',
  'intelligence_reports',
  'screening_coverage',
  'screening_yield',
  'sdash_completed',
  'courses_of_conduct',
  'spo_considered',
  'risk_reviewed_on_time',
  'high_risk_discussed',
  'protective_orders',
  'notifications_met',
  'allocated_trained',
  'reviewed_within_7_days',
  'digital_lines_pursued',
  'arrest_and_search',
  'victim_impact_evidenced',
  'needs_assessed',
  'rights_told',
  'victims_referred',
  'support_directory',
  'audit_compliance',
  'victim_satisfaction',
  'digital_safeguarding_referrals',
  'perpetrator_programmes',
] as const
/** A case work obligation's on-time figure: `obligation:<id>` (the case work catalogue's ids, checked when wired). */
export type ObligationMeasureId = `obligation:${string}`
/** A course's completions in the training register: `training:<course id>` (src/investigation/training-courses.json). */
export type TrainingMeasureId = `training:${string}`
export type MeasureId = (typeof MEASURE_IDS)[number] | ObligationMeasureId | TrainingMeasureId

/** Figures the case work area supplies: each obligation met on time, late, overdue, not applicable; absent until wired. */
export interface CaseWorkFigureSource {
  obligationMeasure(
    forceId: number,
    obligationId: string,
    period: Period,
  ): Promise<{ onTime: number; late: number; overdue: number; notYetDue: number; notApplicable: number }>
  /** The obligation's wording and its due period in words, or undefined for an unknown id. */
  describe(obligationId: string): { wording: string; due: string } | undefined
}

export function loadMeasureLinks(
  path = new URL('../evidence-measures.json', import.meta.url),
): Map<string, MeasureId[]> {
  const parsed = measureLinksSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`evidence-measures.json, ${issue.path.join('.')}: ${issue.message}`)
  }
  const links = new Map<string, MeasureId[]>()
  for (const link of parsed.data.links) {
    const unknown = link.measures.find(
      (id) => !(MEASURE_IDS as readonly string[]).includes(id) && !/^(obligation|training):[a-z][a-z0-9_]*$/.test(id),
    )
    if (unknown) throw new Error(`evidence-measures.json, evidence ${link.ref}: unknown measure "${unknown}"`)
    links.set(link.ref, link.measures as MeasureId[])
  }
  return links
}

const PERIOD_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
})

export function lastTwelveMonths(today: Date): Period {
  const to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1))
  const from = new Date(Date.UTC(to.getUTCFullYear() - 1, to.getUTCMonth(), to.getUTCDate()))
  return { from: from.toISOString(), to: to.toISOString() }
}

function describePeriod(period: Period): string {
  const last = new Date(new Date(period.to).getTime() - 1)
  return `${PERIOD_FORMAT.format(new Date(period.from))} to ${PERIOD_FORMAT.format(last)}`
}

function pluralise(count: number, singular: string, plural: string): string {
  return `${count} ${count === 1 ? singular : plural}`
}

function share(numerator: number, denominator: number): { percent: number | null; value: string } {
  if (denominator === 0) return { percent: null, value: 'no cases yet' }
  const percent = Math.round((numerator / denominator) * 100)
  return { percent, value: `${percent}% (${numerator} of ${denominator})` }
}

export class InsightService {
  private readonly links: Map<string, MeasureId[]>

  constructor(
    private readonly crimeFigures: CrimeFigureSource,
    private readonly stalkingCodes: () => string[],
    private screening: ScreeningFigureSource = {},
    links?: Map<string, MeasureId[]>,
    private safeguarding: SafeguardingFigureSource = {},
  ) {
    this.links = links ?? loadMeasureLinks()
  }

  /** Wires the screening area's figures in once it exists (the composition root builds screening after insight's inputs). */
  useScreeningFigures(source: ScreeningFigureSource): void {
    this.screening = source
  }

  private victims: VictimFigureSource = {}

  /** Wires the victims area's figures in (Victims' Code rights, needs assessments, referrals, support directory). */
  useVictimFigures(source: VictimFigureSource): void {
    this.victims = source
  }

  private investigation: InvestigationFigureSource = {}

  /** Wires the investigation area's figures in (Recommendations 17 and 18). */
  useInvestigationFigures(source: InvestigationFigureSource): void {
    this.investigation = source
  }

  private assurance: AssuranceFigureSource = {}
  private partners: PartnerFigureSource = {}

  /** Wires the partners area's figures in (digital safeguarding referrals 20.4, perpetrator programmes 25.1). */
  usePartnerFigures(source: PartnerFigureSource): void {
    this.partners = source
  }

  /** Wires the assurance area's figures in (case audits and victim satisfaction, Recommendation 11). */
  useAssuranceFigures(source: AssuranceFigureSource): void {
    this.assurance = source
  }

  private caseWork: CaseWorkFigureSource | null = null

  /** Wires the case work area's figures in (each obligation met on time, from the case work engine). */
  useCaseWorkFigures(source: CaseWorkFigureSource): void {
    this.caseWork = source
  }

  /** Wires the safeguarding area's figures in (Stalking Protection Orders). */
  useSafeguardingFigures(source: SafeguardingFigureSource): void {
    this.safeguarding = source
  }

  private risk: RiskFigureSource = {}

  /** Wires the risk area's figures in (assessments reviewed on time, high-risk cases at the daily meeting). */
  useRiskFigures(source: RiskFigureSource): void {
    this.risk = source
  }

  measuresFor(ref: string): MeasureId[] {
    return this.links.get(ref) ?? []
  }

  /** Live figures for each evidence reference that has any, computed once per measure. */
  async evidenceFigures(forceId: number, refs: string[], today = new Date()): Promise<Map<string, LiveFigure[]>> {
    const period = lastTwelveMonths(today)
    const wanted = new Set(refs.flatMap((ref) => this.measuresFor(ref)))
    const computed = new Map<MeasureId, LiveFigure | null>()
    for (const id of wanted) computed.set(id, await this.compute(id, forceId, period))
    const result = new Map<string, LiveFigure[]>()
    for (const ref of refs) {
      const figures = this.measuresFor(ref)
        .map((id) => computed.get(id))
        .filter((figure): figure is LiveFigure => Boolean(figure))
      if (figures.length > 0) result.set(ref, figures)
    }
    return result
  }

  async compute(id: MeasureId, forceId: number, period: Period): Promise<LiveFigure | null> {
    const when = describePeriod(period)
    const figure = (
      label: string,
      numerator: number | null,
      denominator: number | null,
      value: string,
      percent: number | null,
      method: string,
    ): LiveFigure => ({
      id,
      label,
      value,
      numerator,
      denominator,
      percent,
      method,
      sentence: `Threadline records, ${when}: ${label.toLowerCase()} ${value}.`,
    })
    const ratio = (label: string, numerator: number, denominator: number, method: string): LiveFigure => {
      const { percent, value } = share(numerator, denominator)
      return figure(label, numerator, denominator, value, percent, method)
    }
    if (id.startsWith('obligation:')) {
      const obligationId = id.slice('obligation:'.length)
      const about = this.caseWork?.describe(obligationId)
      if (!this.caseWork || !about) return null
      const counts = await this.caseWork.obligationMeasure(forceId, obligationId, period)
      const due = counts.onTime + counts.late + counts.overdue
      const result = ratio(
        `Stalking cases where "${about.wording}" was done on time`,
        counts.onTime,
        due,
        `Of the stalking cases whose obligation "${about.wording}" started in the period (the crime recorded as stalking, or a screening decision that it is) and is now due, those where the area's own record was made on or before the due day (${about.due}, by the force's settings when it started); ${counts.late} done late, ${counts.overdue} overdue, ${counts.notYetDue} not yet due and ${counts.notApplicable} recorded as not applicable with a reason are shown on the case work compliance page.`,
      )
      return result
    }
    if (id.startsWith('training:')) {
      const counts = await this.investigation.trainingMeasure?.(forceId, id.slice('training:'.length), period)
      if (!counts) return null
      const frontline = share(counts.frontlineTrained, counts.frontline)
      const investigators = share(counts.investigatorsTrained, counts.investigators)
      const mainIsFrontline = counts.course.audience === 'frontline'
      const main = mainIsFrontline ? frontline : investigators
      const who = counts.frontlineStated ? 'frontline officers' : 'officers in the learning records'
      const frontlineText = counts.frontline ? `${frontline.value} of ${who}` : `no ${who} yet`
      const investigatorText = counts.investigators
        ? `${investigators.value} of officers investigating stalking crimes`
        : 'no stalking crimes allocated'
      const value = mainIsFrontline ? `${frontlineText}; ${investigatorText}` : `${investigatorText}; ${frontlineText}`
      return {
        ...figure(
          `${counts.course.name} completed`,
          mainIsFrontline ? counts.frontlineTrained : counts.investigatorsTrained,
          mainIsFrontline ? counts.frontline : counts.investigators,
          value,
          main.percent,
          `From the training register (the learning system's export and completions recorded by hand): of the ${who}, those who completed the course; and of the officers whose latest allocation is a stalking crime reported in the period (matched by the name or number crimes give), those who completed it before the period ended.`,
        ),
        sentence: `Threadline records, ${when}: ${counts.course.name} completed by ${value}.`,
      }
    }
    const codes = this.stalkingCodes()
    switch (id) {
      case 'stalking_recorded': {
        const counts = await this.crimeFigures.classificationCounts(forceId, codes, period)
        return figure(
          'Crimes recorded as stalking',
          counts.total,
          null,
          `${counts.total} (${counts.principal} as the principal crime, ${counts.includedOnly} only as an included classification)`,
          null,
          `Crimes reported in the period with a stalking classification (${codes.join(', ')}), principal or included.`,
        )
      }
      case 'stalking_as_included': {
        const counts = await this.crimeFigures.classificationCounts(forceId, codes, period)
        return ratio(
          'Stalking found only as an included classification',
          counts.includedOnly,
          counts.total,
          'Of the crimes with a stalking classification, those where stalking is not the principal crime: they would be missed by a search on the principal classification alone.',
        )
      }
      case 'stalking_online': {
        const counts = await this.crimeFigures.classificationCounts(forceId, codes, period)
        return ratio(
          'Stalking crimes flagged online or cyber-enabled',
          counts.online,
          counts.total,
          'Of the crimes with a stalking classification, those carrying the online/cyber-enabled flag.',
        )
      }
      case 'stalking_outcomes': {
        const outcomes = await this.crimeFigures.outcomeCounts(forceId, codes, period)
        const total = outcomes.reduce((sum, row) => sum + Number(row.n), 0)
        const charged = outcomes.filter((row) => row.outcome === 1).reduce((sum, row) => sum + Number(row.n), 0)
        const open = outcomes.filter((row) => row.outcome === null).reduce((sum, row) => sum + Number(row.n), 0)
        const { percent, value } = share(charged, total - open)
        return figure(
          'Finalised stalking crimes charged or summonsed (outcome 1)',
          charged,
          total - open,
          `${value}; ${open} not yet finalised`,
          percent,
          'Of the finalised crimes with a stalking classification, those with Home Office outcome type 1.',
        )
      }
      case 'intelligence_reports': {
        const counts = await this.crimeFigures.intelligenceCounts(forceId, period)
        return ratio(
          'Intelligence reports linked to crimes',
          counts.linked,
          counts.reports,
          'Intelligence reports recorded in the period, and how many are linked to at least one crime record.',
        )
      }
      case 'screening_coverage': {
        if (!this.screening.coverage) return null
        const days = 7
        const counts = await this.screening.coverage(forceId, period, days)
        return ratio(
          `Eligible crimes screened for stalking within ${days} days`,
          counts.screenedWithin,
          counts.eligible,
          `Crimes that entered the screening queue in the period (watched classifications) with a screening decision within ${days} days of report.`,
        )
      }
      case 'screening_yield': {
        if (!this.screening.coverage) return null
        const counts = await this.screening.coverage(forceId, period, 7)
        return ratio(
          'Screened crimes identified as stalking',
          counts.screenedIn,
          counts.decided,
          'Of the screening decisions made on crimes reported in the period, those that identified stalking.',
        )
      }
      case 'sdash_completed': {
        if (!this.screening.sdashCompletion) return null
        const counts = await this.screening.sdashCompletion(forceId, period)
        return ratio(
          'Stalking crimes with a stalking screening tool (S-DASH) completed',
          counts.assessed,
          counts.stalkingCrimes,
          'Of the crimes with a stalking classification, those with at least one S-DASH assessment recorded.',
        )
      }
      case 'courses_of_conduct': {
        if (!this.screening.coursesOfConduct) return null
        const count = await this.screening.coursesOfConduct(forceId, period)
        return figure(
          'Courses of conduct linked across separate crimes',
          count,
          null,
          String(count),
          null,
          'Suspect–victim pairs with two or more linked incidents in the linkage window, from the screening linkage.',
        )
      }
      case 'allocated_trained': {
        if (!this.investigation.investigationMeasure) return null
        const counts = await this.investigation.investigationMeasure(forceId, period)
        const { percent, value } = share(counts.allocatedTrained, counts.stalkingCrimes)
        const high = share(counts.highRiskTrained, counts.highRisk)
        const highText = counts.highRisk === 0 ? 'no high-risk allocations yet' : `high risk ${high.value}`
        return {
          ...figure(
            'Stalking crimes allocated to a trained stalking investigator',
            counts.allocatedTrained,
            counts.stalkingCrimes,
            percent === null ? value : `${value}; ${highText}; ${counts.allocated} allocated in all`,
            percent,
            "Of the crimes reported in the period with 8Q Stalking (principal or included), those whose latest allocation is to an officer on the force's register of trained stalking investigators (trained on or before the allocation); high risk: of those whose latest allocation was judged high risk, the share allocated to a trained officer.",
          ),
          sentence:
            percent === null
              ? `Threadline records, ${when}: no stalking crimes, so no allocations.`
              : `Threadline records, ${when}: ${percent}% of stalking crimes allocated to a trained stalking investigator (${counts.allocatedTrained} of ${counts.stalkingCrimes}); ${highText}.`,
        }
      }
      case 'reviewed_within_7_days': {
        if (!this.investigation.investigationMeasure) return null
        const counts = await this.investigation.investigationMeasure(forceId, period)
        const { percent, value } = share(counts.reviewedWithin, counts.stalkingCrimes)
        const perCrime = counts.stalkingCrimes ? (counts.reviews / counts.stalkingCrimes).toFixed(1) : '0'
        const tally = `${pluralise(counts.reviews, 'review', 'reviews')} in all, ${perCrime} per crime`
        return {
          ...figure(
            'Stalking crimes with a supervisory review within 7 days of report',
            counts.reviewedWithin,
            counts.stalkingCrimes,
            percent === null ? value : `${value}; ${tally}`,
            percent,
            'Of the crimes reported in the period with 8Q Stalking (principal or included), those with a supervisory investigation review dated within 7 days of the report; reviews per crime are all reviews recorded on them over the number of crimes.',
          ),
          sentence:
            percent === null
              ? `Threadline records, ${when}: no stalking crimes, so no supervisory reviews.`
              : `Threadline records, ${when}: ${percent}% of stalking crimes had a supervisory review within 7 days of report (${counts.reviewedWithin} of ${counts.stalkingCrimes}); ${tally}.`,
        }
      }
      case 'digital_lines_pursued': {
        if (!this.investigation.investigationMeasure) return null
        const counts = await this.investigation.investigationMeasure(forceId, period)
        return ratio(
          'Stalking crimes with digital lines of enquiry pursued',
          counts.digitalPursued,
          counts.stalkingCrimes,
          'Of the crimes reported in the period with 8Q Stalking (principal or included), those whose latest supervisory review records at least one digital line of enquiry (devices, social media, phone data, CCTV) pursued.',
        )
      }
      case 'arrest_and_search': {
        if (!this.investigation.investigationMeasure) return null
        const counts = await this.investigation.investigationMeasure(forceId, period)
        const arrested = share(counts.arrested, counts.stalkingCrimes)
        const searched = share(counts.searched, counts.stalkingCrimes)
        return {
          ...figure(
            'Stalking crimes with the suspect arrested',
            counts.arrested,
            counts.stalkingCrimes,
            arrested.percent === null ? arrested.value : `${arrested.value}; searched ${searched.value}`,
            arrested.percent,
            'Of the crimes reported in the period with 8Q Stalking (principal or included), those whose latest supervisory review records the suspect arrested, and those recording a search (premises, vehicle or devices).',
          ),
          sentence:
            arrested.percent === null
              ? `Threadline records, ${when}: no stalking crimes, so no arrests or searches.`
              : `Threadline records, ${when}: suspect arrested in ${arrested.percent}% of stalking crimes (${counts.arrested} of ${counts.stalkingCrimes}) and a search made in ${searched.percent}% (${counts.searched} of ${counts.stalkingCrimes}).`,
        }
      }
      case 'victim_impact_evidenced': {
        if (!this.investigation.investigationMeasure) return null
        const counts = await this.investigation.investigationMeasure(forceId, period)
        return ratio(
          'Stalking crimes with the impact on the victim evidenced in the witness statement',
          counts.victimImpact,
          counts.stalkingCrimes,
          'Of the crimes reported in the period with 8Q Stalking (principal or included), those whose latest supervisory review records the impact on the victim evidenced in the witness statement or a victim personal statement.',
        )
      }
      case 'spo_considered': {
        if (!this.safeguarding.spoMeasure) return null
        const counts = await this.safeguarding.spoMeasure(forceId, period)
        const { percent } = share(counts.considered, counts.stalkingCrimes)
        const tally = `${counts.appliedFor} applied for, ${counts.granted} granted, ${pluralise(counts.breaches, 'breach', 'breaches')}`
        const value =
          percent === null
            ? 'no stalking crimes yet'
            : `${percent}% (${counts.considered} of ${counts.stalkingCrimes}); ${tally}`
        return {
          ...figure(
            'Stalking crimes with a Stalking Protection Order considered',
            counts.considered,
            counts.stalkingCrimes,
            value,
            percent,
            'Of the crimes reported in the period with 8Q Stalking (principal or included), those with at least one SPO consideration recorded; applied for and granted count each crime once, by its latest consideration; breaches are those recorded on these crimes.',
          ),
          sentence:
            percent === null
              ? `Threadline records, ${when}: no stalking crimes, so no Stalking Protection Order considerations.`
              : `Threadline records, ${when}: SPO considered in ${percent}% of stalking crimes (${counts.considered} of ${counts.stalkingCrimes}), ${tally}.`,
        }
      }
      case 'risk_reviewed_on_time': {
        if (!this.risk.reviewMeasure) return null
        const counts = await this.risk.reviewMeasure(forceId, period)
        return ratio(
          'Risk assessments reviewed by a supervisor or specialist on time',
          counts.reviewedOnTime,
          counts.assessments,
          `Of the risk assessments (DASH, S-DASH or the force's own tool) made in the period, those reviewed by a supervisor or specialist who did not complete them by the end of the day after (${counts.reviewed} reviewed in all).`,
        )
      }
      case 'high_risk_discussed': {
        if (!this.risk.discussedMeasure) return null
        const counts = await this.risk.discussedMeasure(forceId, period)
        return ratio(
          'High-risk stalking cases discussed at a daily management meeting within one day',
          counts.discussedWithinOneDay,
          counts.highRiskCases,
          'Of the stalking cases first judged high risk in the period (by an assessment or its review), those discussed at a daily management meeting recorded in Threadline on that day or the next.',
        )
      }
      case 'notifications_met': {
        if (!this.safeguarding.ordersMeasure) return null
        const counts = await this.safeguarding.ordersMeasure(forceId, period)
        return ratio(
          "Protective orders' notification requirements met on time",
          counts.notificationsMet,
          counts.notificationsDue,
          "Of the granted orders (an SPO, an interim SPO, a DAPO requiring it) whose subject's notification fell due in the period, those whose notification was recorded on or before its due day.",
        )
      }
      case 'protective_orders': {
        if (!this.safeguarding.ordersMeasure) return null
        const counts = await this.safeguarding.ordersMeasure(forceId, period)
        const kinds = counts.byKind
          .filter((row) => row.appliedFor + row.granted + row.breaches > 0)
          .map(
            (row) =>
              `${row.name}: ${row.appliedFor} applied for, ${row.granted} granted, ${pluralise(row.breaches, 'breach', 'breaches')}`,
          )
        const value = `${counts.appliedFor} applied for, ${counts.granted} granted, ${pluralise(counts.breaches, 'breach', 'breaches')}${kinds.length ? ` (${kinds.join('; ')})` : ''}`
        return {
          ...figure(
            'Protective orders applied for, granted and breached',
            null,
            null,
            value,
            null,
            'Orders and notices of every kind (SPOs and interim SPOs, DVPNs and DVPOs, DAPNs and DAPOs, restraining and non-molestation orders) applied for in the period, granted in the period, and breaches that happened in the period, by kind.',
          ),
          sentence: `Threadline records, ${when}: protective orders ${value}.`,
        }
      }
      case 'needs_assessed': {
        if (!this.victims.victimMeasure) return null
        const counts = await this.victims.victimMeasure(forceId, period)
        return ratio(
          'Victims of stalking with a needs assessment completed',
          counts.needsAssessed,
          counts.victims,
          "Of the victims recorded on crimes reported in the period with 8Q Stalking (principal or included), those with at least one victim needs assessment recorded on Threadline's victim care page.",
        )
      }
      case 'rights_told': {
        if (!this.victims.victimMeasure) return null
        const counts = await this.victims.victimMeasure(forceId, period)
        return ratio(
          "Victims of stalking told of their rights under the Victims' Code",
          counts.rightsTold,
          counts.victims,
          "Of the victims recorded on crimes reported in the period with 8Q Stalking (principal or included), those recorded as told of their rights under the Victims' Code.",
        )
      }
      case 'victims_referred': {
        if (!this.victims.victimMeasure) return null
        const counts = await this.victims.victimMeasure(forceId, period)
        const { percent } = share(counts.referredOfWanting, counts.wantedSupport)
        const days =
          counts.medianDaysToReferral === null
            ? 'no referrals yet'
            : `median ${pluralise(counts.medianDaysToReferral, 'day', 'days')} from report to referral`
        const tally = `${counts.declinedSupport} declined support; ${days}`
        const value =
          percent === null
            ? `no victim has asked for support yet; ${tally}`
            : `${percent}% (${counts.referredOfWanting} of ${counts.wantedSupport}); ${tally}`
        return {
          ...figure(
            'Victims of stalking who wanted support referred to a support service',
            counts.referredOfWanting,
            counts.wantedSupport,
            value,
            percent,
            "Of the victims on crimes reported in the period with 8Q Stalking whose latest needs assessment says they would like support, those referred to a service in the force's support directory; days are whole days from the crime's report to the victim's first referral.",
          ),
          sentence:
            percent === null
              ? `Threadline records, ${when}: no victim of stalking has asked for support yet; ${tally}.`
              : `Threadline records, ${when}: ${percent}% of stalking victims who wanted support were referred (${counts.referredOfWanting} of ${counts.wantedSupport}); ${tally}.`,
        }
      }
      case 'audit_compliance': {
        if (!this.assurance.auditMeasure) return null
        const counts = await this.assurance.auditMeasure(forceId, period)
        const { percent } = share(counts.yes, counts.yes + counts.no)
        const cases = pluralise(counts.casesAudited, 'case audited', 'cases audited')
        const value =
          percent === null
            ? `no audit findings yet; ${cases}`
            : `${percent}% (${counts.yes} of ${counts.yes + counts.no} answers); ${cases}`
        return {
          ...figure(
            'Compliance found by stalking case audits',
            counts.yes,
            counts.yes + counts.no,
            value,
            percent,
            "Of the answers recorded in the period on the force's stalking case audits (a random sample of stalking crimes checked against the audit checklist: recording, risk assessment, SPO considered, victim needs, lines of enquiry, supervision, outcome, victim kept informed), the share answered yes; not applicable is left out. Cases audited are the sampled crimes with any answer recorded in the period.",
          ),
          sentence:
            percent === null
              ? `Threadline records, ${when}: no stalking case audit findings yet.`
              : `Threadline records, ${when}: stalking case audits found ${percent}% compliance (${counts.yes} of ${counts.yes + counts.no} answers) across ${cases}.`,
        }
      }
      case 'victim_satisfaction': {
        if (!this.assurance.satisfactionMeasure) return null
        const counts = await this.assurance.satisfactionMeasure(forceId, period)
        const { percent } = share(counts.satisfied, counts.answered)
        const surveyed = pluralise(counts.surveyed, 'victim surveyed', 'victims surveyed')
        const value =
          percent === null
            ? `no survey answers yet; ${surveyed}`
            : `${percent}% (${counts.satisfied} of ${counts.answered} answering); ${surveyed}`
        return {
          ...figure(
            'Victims of stalking satisfied overall with the police response',
            counts.satisfied,
            counts.answered,
            value,
            percent,
            'Of the victims of crimes with 8Q Stalking (principal or included) surveyed in the period (each victim of a crime counted once, by their latest survey response), those very or fairly satisfied overall, over those who answered the overall question.',
          ),
          sentence:
            percent === null
              ? `Threadline records, ${when}: no victim satisfaction survey answers yet; ${surveyed}.`
              : `Threadline records, ${when}: ${percent}% of surveyed stalking victims were satisfied overall (${counts.satisfied} of ${counts.answered} answering; ${surveyed}).`,
        }
      }
      case 'digital_safeguarding_referrals': {
        if (!this.partners.partnerMeasure) return null
        const counts = await this.partners.partnerMeasure(forceId, period)
        const result = ratio(
          'Digital safeguarding referrals accepted by the service',
          counts.digitalAccepted,
          counts.digitalReferrals,
          "Referrals sent in the period through Threadline, with the victim's consent, to partner organisations whose kind is digital safeguarding (such as the force's cyber protect team: device checks, online safety advice), and of them those the service accepted.",
        )
        return {
          ...result,
          sentence: `Threadline records, ${when}: ${pluralise(counts.digitalReferrals, 'digital safeguarding referral', 'digital safeguarding referrals')} sent to a partner service, ${counts.digitalAccepted} accepted.`,
        }
      }
      case 'perpetrator_programmes': {
        if (!this.partners.partnerMeasure) return null
        const counts = await this.partners.partnerMeasure(forceId, period)
        const result = ratio(
          'Perpetrator programme referrals completed',
          counts.programmesCompleted,
          counts.programmesReferred,
          'Suspects on stalking crimes referred to a perpetrator programme in the period (recorded on the crime), and of those referrals how many started, were completed or dropped out of.',
        )
        return {
          ...result,
          sentence: `Threadline records, ${when}: ${pluralise(counts.perpetratorsReferred, 'perpetrator', 'perpetrators')} referred to a programme (${counts.programmesReferred} referrals: ${counts.programmesStarted} started, ${counts.programmesCompleted} completed, ${counts.programmesDroppedOut} dropped out).`,
        }
      }
      case 'support_directory': {
        if (!this.victims.directoryMeasure) return null
        const counts = await this.victims.directoryMeasure(forceId)
        const value = `${counts.listed} (${counts.national} national, ${counts.local} local)`
        return {
          ...figure(
            'Stalking support services listed for officers and the public',
            counts.listed,
            null,
            value,
            null,
            "Services listed in the force's support directory on Threadline, shown to officers and on the force's public support page (no sign-in).",
          ),
          sentence: `Threadline records, as of today: ${pluralise(counts.listed, 'stalking support service', 'stalking support services')} listed for officers and the public (${counts.national} national, ${counts.local} local).`,
        }
      }
    }
    return null
  }
}
