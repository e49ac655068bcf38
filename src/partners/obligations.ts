// The partners area's ObligationSource (src/platform/obligations.ts): a referral sent to a partner through Threadline
// is answered (accepted or declined) and, once accepted, the victim is contacted; a panel's actions on a case are
// completed. Answered from the area's own append-only referral events and its panel actions, set-based; the case
// page's timeline shows each referral's history (so the officer sees the service's outcome there) and each panel.
import type { Kysely } from 'kysely'
import { chunked, firstPerCrime, recordsChangedSince } from '../platform/data/occurrenceRows.ts'
import type { EventOccurrence, ObligationDefinition, ObligationSource, TimelineEntry } from '../platform/obligations.ts'
import { PartnerRepository } from './data/partnerRepository.ts'
import type { PartnerDatabase as Database, ReferralEventKind } from './data/tables.ts'
import {
  CONTACT_METHOD_LABELS,
  CONTACT_RESULT_LABELS,
  PARTNER_OUTCOME_LABELS,
  panelName,
  SUBJECT_LABELS,
} from './services/labels.ts'

export const PARTNER_EVENTS = {
  referralSent: 'partners.referral_sent',
  referralAnswered: 'partners.referral_answered',
  referralAccepted: 'partners.referral_accepted',
  firstContact: 'partners.first_contact',
  panelActionSet: 'partners.panel_action_set',
  panelActionsDone: 'partners.panel_actions_done',
} as const

export const PARTNER_OBLIGATIONS: ObligationDefinition[] = [
  {
    id: 'partner_referral_answered',
    wording: 'The partner service answers the referral (accepts or declines it)',
    recommendation: '16',
    evidence: ['14.4', '16.1'],
    source:
      'Recommendation 14, evidence 14.4 (victims referred in a timely manner) and Recommendation 16 (collaborative working and information sharing with victim services). Default: 2 working days from the referral being sent; each service also has its own answer time, shown in its inbox.',
    appliesWhen: [PARTNER_EVENTS.referralSent],
    metBy: [PARTNER_EVENTS.referralAnswered],
    due: { days: 2, kind: 'working' },
    action: { href: '/partners/crimes/{crimeId}', text: 'See the referral' },
  },
  {
    id: 'partner_first_contact',
    wording: 'The partner service makes first contact with the victim',
    recommendation: '14',
    evidence: ['14.4'],
    source:
      'Recommendation 14, evidence 14.4: support reaches the victim in a timely manner. Default: 2 working days from the service accepting; each service also has its own first-contact time, shown in its inbox.',
    appliesWhen: [PARTNER_EVENTS.referralAccepted],
    metBy: [PARTNER_EVENTS.firstContact],
    due: { days: 2, kind: 'working' },
    action: { href: '/partners/crimes/{crimeId}', text: 'See the referral' },
  },
  {
    id: 'panel_actions_done',
    wording: 'Every multi-agency panel action on the case is completed',
    recommendation: '25',
    evidence: ['25.1', '25.3'],
    source:
      'Recommendation 25: the force works with partners (MAPPA, MARAC, stalking clinics) to manage stalking perpetrators. Default: 28 days from the first action; each action also has its own due date.',
    appliesWhen: [PARTNER_EVENTS.panelActionSet],
    metBy: [PARTNER_EVENTS.panelActionsDone],
    due: { days: 28, kind: 'calendar' },
    action: { href: '/partners/crimes/{crimeId}', text: 'See the panel actions' },
  },
]

const day = (value: string) => (value.length === 10 ? `${value}T00:00:00.000Z` : value)

export function partnerObligationSource(db: Kysely<Database>): ObligationSource {
  const repository = new PartnerRepository(db)
  const fromEvents = async (
    forceId: number,
    event: string,
    kinds: ReferralEventKind[],
    crimeIds: readonly number[] | undefined,
    keep: (row: { kind: string; result: string | null }) => boolean = () => true,
  ) => {
    const rows = []
    for (const chunk of crimeIds ? chunked(crimeIds) : [undefined]) {
      rows.push(...(await repository.eventsOfKinds(forceId, kinds, chunk)))
    }
    return firstPerCrime(
      event,
      rows
        .filter(keep)
        .map((row) => ({ crime_id: row.crime_id, at: day(row.on_day), by: row.by_name, by_id: row.by_id })),
    )
  }
  return {
    area: 'partners',
    events: [
      { id: PARTNER_EVENTS.referralSent, label: 'Referral sent to a partner service through Threadline' },
      { id: PARTNER_EVENTS.referralAnswered, label: 'Partner service answered the referral' },
      { id: PARTNER_EVENTS.referralAccepted, label: 'Partner service accepted the referral' },
      { id: PARTNER_EVENTS.firstContact, label: 'Partner service spoke with the victim' },
      { id: PARTNER_EVENTS.panelActionSet, label: 'Multi-agency panel set an action' },
      { id: PARTNER_EVENTS.panelActionsDone, label: 'Every multi-agency panel action completed' },
    ],
    obligations: PARTNER_OBLIGATIONS,
    async occurrences({ forceId, events, crimeIds }) {
      const out: EventOccurrence[] = []
      if (events.includes(PARTNER_EVENTS.referralSent)) {
        out.push(...(await fromEvents(forceId, PARTNER_EVENTS.referralSent, ['sent'], crimeIds)))
      }
      if (events.includes(PARTNER_EVENTS.referralAnswered)) {
        out.push(...(await fromEvents(forceId, PARTNER_EVENTS.referralAnswered, ['accepted', 'declined'], crimeIds)))
      }
      if (events.includes(PARTNER_EVENTS.referralAccepted)) {
        out.push(...(await fromEvents(forceId, PARTNER_EVENTS.referralAccepted, ['accepted'], crimeIds)))
      }
      if (events.includes(PARTNER_EVENTS.firstContact)) {
        out.push(
          ...(await fromEvents(
            forceId,
            PARTNER_EVENTS.firstContact,
            ['contact'],
            crimeIds,
            (row) => row.result === 'made',
          )),
        )
      }
      if (events.includes(PARTNER_EVENTS.panelActionSet) || events.includes(PARTNER_EVENTS.panelActionsDone)) {
        const rows = []
        for (const chunk of crimeIds ? chunked(crimeIds) : [undefined]) {
          rows.push(...(await repository.actionsForObligations(forceId, chunk)))
        }
        if (events.includes(PARTNER_EVENTS.panelActionSet)) {
          out.push(
            ...firstPerCrime(
              PARTNER_EVENTS.panelActionSet,
              rows.map((row) => ({ crime_id: row.crime_id, at: row.recorded_at, by: null, by_id: null })),
            ),
          )
        }
        if (events.includes(PARTNER_EVENTS.panelActionsDone)) {
          const byCrime = new Map<number, typeof rows>()
          for (const row of rows) byCrime.set(row.crime_id, [...(byCrime.get(row.crime_id) ?? []), row])
          for (const [crimeId, actions] of byCrime) {
            if (actions.some((action) => action.state !== 'done')) continue
            const last = actions.reduce((a, b) => ((a.done_on ?? '') >= (b.done_on ?? '') ? a : b))
            out.push({
              crimeId,
              event: PARTNER_EVENTS.panelActionsDone,
              at: day(last.done_on!),
              by: last.done_by,
              byId: null,
            })
          }
        }
      }
      return out
    },
    // Referral events are append-only; a completed panel action is an update, so the actions' last change is compared.
    async changedSince(forceId, cursor) {
      const parsed = cursor ? (JSON.parse(cursor) as { events?: string; actionsAt?: string }) : {}
      const events = await recordsChangedSince(db, forceId, ['partner_referral_events'], parsed.events ?? null)
      const at = parsed.actionsAt ?? null
      let query = db.selectFrom('panel_actions').select(['crime_id', 'updated_at']).where('force_id', '=', forceId)
      if (at) query = query.where('updated_at', '>', at)
      const changed = cursor === null ? [] : await query.execute()
      const latest = await db
        .selectFrom('panel_actions')
        .select((eb) => eb.fn.max('updated_at').as('at'))
        .where('force_id', '=', forceId)
        .executeTakeFirst()
      return {
        crimeIds: [...new Set([...events.crimeIds, ...changed.map((row) => row.crime_id)])],
        cursor: JSON.stringify({ events: events.cursor, actionsAt: latest?.at ?? at ?? '' }),
      }
    },
    async timeline(forceId, crimeId) {
      const href = `/partners/crimes/${crimeId}`
      const entries: TimelineEntry[] = []
      for (const row of await repository.eventsOfCrime(forceId, crimeId)) {
        const title =
          row.kind === 'sent'
            ? `Referral sent to ${row.agency_name} through Threadline`
            : row.kind === 'accepted'
              ? `${row.agency_name} accepted the referral`
              : row.kind === 'declined'
                ? `${row.agency_name} declined the referral`
                : row.kind === 'contact'
                  ? `${row.agency_name}: contact attempt`
                  : `${row.agency_name} closed the referral: ${row.outcome ? PARTNER_OUTCOME_LABELS[row.outcome] : 'closed'}`
        const detail =
          row.kind === 'contact'
            ? `${CONTACT_METHOD_LABELS[row.method!]}: ${CONTACT_RESULT_LABELS[row.result!].toLowerCase()}`
            : row.note || undefined
        entries.push({ at: day(row.on_day), area: 'partners', title, detail, by: row.by_name, href })
      }
      for (const row of await repository.panelCasesOfCrime(forceId, crimeId)) {
        entries.push({
          at: day(row.held_on),
          area: 'partners',
          title: `Heard at ${panelName(row.panel)} (${SUBJECT_LABELS[row.subject].toLowerCase()})`,
          detail: row.decisions || row.summary,
          by: null,
          href,
        })
      }
      for (const row of await repository.programmesOfCrime(forceId, crimeId)) {
        const ended = row.ended_on
          ? `; ${row.ending === 'completed' ? 'completed' : 'dropped out'} ${row.ended_on}`
          : ''
        entries.push({
          at: day(row.referred_on),
          area: 'partners',
          title: `Suspect referred to a perpetrator programme: ${row.programme}`,
          detail: `${row.started_on ? `Started ${row.started_on}` : 'Not started yet'}${ended}`,
          by: null,
          href,
        })
      }
      return entries
    },
  }
}
