// Low referral numbers (Recommendation 14, evidence 14.5: forces monitor the number of stalking victims referred to
// specialist support and take action when referral numbers are low). Once a day, for the last whole month: the share
// of victims of that month's stalking crimes (8Q, principal or included) with a referral, for the whole force and for
// each team. A rate below the force's threshold (judged only with at least the minimum number of victims) is an alert,
// made once per force, month and team, and a notification to each of the force's leads (the action plan owners; the
// executive lead when there is none). The monitoring page lists the alerts and the rule.
import { z } from 'zod'
import type { AuditService } from '../../platform/services/auditService.ts'
import { SYSTEM_ACTOR } from '../../platform/services/auditService.ts'
import { checkViewer, type Viewer } from '../../platform/services/viewer.ts'
import { STALKING_KEY } from '../../crime/index.ts'
import type { VictimRepository } from '../data/victimRepository.ts'
import { VictimInputError } from './victimService.ts'

export const DEFAULT_REFERRAL_RULE = { thresholdPercent: 50, minVictims: 5 }

export const referralRuleSchema = z.object({
  thresholdPercent: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value),
    z
      .number({ message: 'Enter the threshold as a whole number of per cent, for example 50' })
      .int('Enter the threshold as a whole number of per cent, for example 50')
      .min(0, 'The threshold must be between 0 and 100 per cent')
      .max(100, 'The threshold must be between 0 and 100 per cent'),
  ),
  minVictims: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value),
    z
      .number({ message: 'Enter the smallest number of victims to judge a month by, for example 5' })
      .int('Enter the smallest number of victims to judge a month by as a whole number')
      .min(1, 'The smallest number of victims must be 1 or more')
      .max(10000, 'The smallest number of victims must be 10,000 or fewer'),
  ),
})

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]
export const monthWords = (month: string) => `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`
const percent = (part: number, whole: number) => (whole ? Math.round((part / whole) * 100) : 0)

/** The whole month before the one `now` is in (UTC), as 'YYYY-MM'. */
export function previousMonth(now: Date): string {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
  return start.toISOString().slice(0, 7)
}

export interface MonthRate {
  /** '' for the whole force. */
  team: string
  victims: number
  referred: number
}

export class ReferralAlertService {
  constructor(
    private readonly repository: VictimRepository,
    private readonly audit: AuditService,
  ) {}

  async rule(forceId: number) {
    const row = await this.repository.latestReferralSettings(forceId)
    return row
      ? {
          thresholdPercent: row.threshold_percent,
          minVictims: row.min_victims,
          changedBy: row.changed_by,
          changedAt: row.changed_at,
        }
      : { ...DEFAULT_REFERRAL_RULE, changedBy: null, changedAt: null }
  }

  /** Changes the force's rule (the force lead or administrator: whoever keeps the support directory), audited. */
  async setRule(viewer: Viewer, body: unknown): Promise<void> {
    const p = viewer.permissions
    if (p && !p.can('plan:edit') && !p.can('users:manage')) checkViewer(viewer, 'plan:edit')
    const parsed = referralRuleSchema.safeParse(body ?? {})
    if (!parsed.success) {
      const errors: Record<string, string> = {}
      for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'thresholdPercent')] ??= issue.message
      throw new VictimInputError(errors)
    }
    await this.repository.transaction(async (repository, trx) => {
      const before = await repository.latestReferralSettings(viewer.forceId)
      await repository.insertReferralSettings({
        force_id: viewer.forceId,
        threshold_percent: parsed.data.thresholdPercent,
        min_victims: parsed.data.minVictims,
        changed_by: viewer.actor.actorUsername,
        changed_at: new Date().toISOString(),
      })
      await this.audit.record(trx, viewer.actor, {
        action: 'victims.referral_rule.changed',
        subjectType: 'force',
        subjectId: viewer.forceId,
        details: {
          from: before
            ? { thresholdPercent: before.threshold_percent, minVictims: before.min_victims }
            : DEFAULT_REFERRAL_RULE,
          to: parsed.data,
        },
      })
    })
  }

  /** A month's referral rate of stalking victims: the whole force first, then each team (counts only). */
  async monthRates(forceId: number, month: string): Promise<MonthRate[]> {
    const from = `${month}-01T00:00:00.000Z`
    const next = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString()
    const rows = await this.repository.measureRows(forceId, STALKING_KEY, { from, to: next })
    const key = (row: { crime_id: number; person_id: number }) => `${row.crime_id}:${row.person_id}`
    const referred = new Set(rows.referrals.map(key))
    const byTeam = new Map<string, { victims: Set<string>; referred: Set<string> }>()
    const force = { victims: new Set<string>(), referred: new Set<string>() }
    for (const row of rows.victims) {
      const team = row.team ?? ''
      const entry = byTeam.get(team) ?? { victims: new Set<string>(), referred: new Set<string>() }
      entry.victims.add(key(row))
      force.victims.add(key(row))
      if (referred.has(key(row))) {
        entry.referred.add(key(row))
        force.referred.add(key(row))
      }
      byTeam.set(team, entry)
    }
    return [
      { team: '', victims: force.victims.size, referred: force.referred.size },
      ...[...byTeam]
        .filter(([team]) => team !== '')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([team, entry]) => ({ team, victims: entry.victims.size, referred: entry.referred.size })),
    ]
  }

  /**
   * Judges the last whole month before `now` for each force: an alert (once) for the force and each team whose rate is
   * below the threshold with at least the minimum victims, and a notification to each force lead. Audited.
   */
  async check(
    forceIds: readonly number[],
    now: Date = new Date(),
  ): Promise<{ month: string; alerts: number; notifications: number }> {
    const month = previousMonth(now)
    let alerts = 0
    let notifications = 0
    for (const forceId of forceIds) {
      const rule = await this.rule(forceId)
      const low = (await this.monthRates(forceId, month)).filter(
        (rate) => rate.victims >= rule.minVictims && percent(rate.referred, rate.victims) < rule.thresholdPercent,
      )
      if (!low.length) continue
      await this.repository.transaction(async (repository, trx) => {
        let leads = await repository.activeUsersWithRole(forceId, 'plan_owner')
        if (!leads.length) leads = await repository.activeUsersWithRole(forceId, 'executive_lead')
        for (const rate of low) {
          const at = now.toISOString()
          const alertId = await repository.insertAlertOnce({
            force_id: forceId,
            month,
            team: rate.team,
            victims: rate.victims,
            referred: rate.referred,
            threshold_percent: rule.thresholdPercent,
            created_at: at,
          })
          if (alertId === undefined) continue
          alerts++
          const who = rate.team ? rate.team : 'The force'
          const text = `Low referrals to support in ${monthWords(month)}: ${who} referred ${rate.referred} of ${rate.victims} stalking victims (${percent(rate.referred, rate.victims)}%), below the force's threshold of ${rule.thresholdPercent}%.`
          for (const userId of leads) {
            await repository.insertAlertNotification({
              force_id: forceId,
              alert_id: alertId,
              user_id: userId,
              text,
              created_at: at,
              read_at: null,
            })
            notifications++
          }
          await this.audit.record(
            trx,
            { ...SYSTEM_ACTOR, forceId },
            {
              action: 'victims.referral_rate.low',
              subjectType: 'force',
              subjectId: forceId,
              details: {
                alertId,
                month,
                team: rate.team,
                victims: rate.victims,
                referred: rate.referred,
                thresholdPercent: rule.thresholdPercent,
                notified: leads,
              },
            },
          )
        }
      })
    }
    return { month, alerts, notifications }
  }

  /** The alerts of the months in a range (the monitoring page). */
  async alerts(forceId: number, fromDay: string, toDay: string) {
    const rows = await this.repository.alertsOf(forceId, fromDay.slice(0, 7), toDay.slice(0, 7))
    return rows.map((row) => ({
      ...row,
      monthWords: monthWords(row.month),
      who: row.team || 'Whole force',
      percent: percent(row.referred, row.victims),
    }))
  }

  async notifications(viewer: Viewer) {
    if (viewer.actor.actorId === null) return []
    return this.repository.alertNotificationsOf(viewer.actor.actorId, 100)
  }

  async unread(viewer: Viewer): Promise<number> {
    return viewer.actor.actorId === null ? 0 : this.repository.unreadAlertCount(viewer.actor.actorId)
  }

  async markRead(viewer: Viewer): Promise<void> {
    if (viewer.actor.actorId !== null)
      await this.repository.markAlertsRead(viewer.actor.actorId, new Date().toISOString())
  }
}
