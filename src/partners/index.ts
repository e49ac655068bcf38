// Partners (issue 15; Recommendations 14, 16, 20.4 and 25): support services and other agencies work in Threadline.
// Partner users belong to an organisation and see only what is addressed to it: referrals sent with the victim's
// consent (only the details the consent covers) and panel actions. The service answers, records contact and the
// outcome, which the police see on the case page and the victim care page. Every disclosure to a partner is in the
// information-sharing log. Multi-agency panels (MARAC, MAPPA, stalking clinics) record meetings once, with actions
// owned by agencies. Due dates are case work obligations (obligations.ts).
import { addDays } from '../platform/days.ts'
import { areaDatabase, defineArea, type PlatformServices } from '../platform/area.ts'
import type { ActorContext } from '../platform/services/auditService.ts'
import { DEMO_FORCE } from '../platform/services/demoUsers.ts'
import type { Viewer } from '../platform/services/viewer.ts'
import { loadBankHolidays } from '../cases/index.ts'
import type { PartnerContext, PartnerNeeds, PartnerServices } from './context.ts'
import { partnerMigrations } from './data/migrations.ts'
import { PartnerRepository } from './data/partnerRepository.ts'
import type { AgencyKind, PartnerDatabase, PartnerTables } from './data/tables.ts'
import { partnerObligationSource } from './obligations.ts'
import { partnerApiRouter, partnerOpenApiPaths } from './routes/api.ts'
import { partnerRouter } from './routes/pages.ts'
import { PanelService } from './services/panelService.ts'
import { PartnerService } from './services/partnerService.ts'

export type { PartnerContext, PartnerNeeds, PartnerServices } from './context.ts'
export type { PartnerTables } from './data/tables.ts'

export function createPartnerServices(platform: PlatformServices, { crime, victims }: PartnerNeeds): PartnerServices {
  const repository = new PartnerRepository(areaDatabase<PartnerDatabase>(platform))
  const service = new PartnerService(repository, platform.audit, crime, victims, platform.users, loadBankHolidays())
  return { service, panels: new PanelService(repository, platform.audit, crime, service) }
}

/** Invented organisations for the demo force; the local advocacy service is the directory's invented local one. */
const DEMO_AGENCIES: { name: string; kind: AgencyKind; directory?: string }[] = [
  {
    name: 'Demoshire Stalking Advocacy Service',
    kind: 'victim_support',
    directory: 'Demoshire Stalking Advocacy Service',
  },
  { name: 'Demoshire Probation Delivery Unit', kind: 'probation' },
  { name: 'Demoshire Community Mental Health Team', kind: 'health' },
  { name: 'Demoshire Police Cyber Protect Team', kind: 'digital_safeguarding' },
]

/**
 * Demo data: the demo force's partner organisations, the demo partner user as a member of the advocacy service, three
 * referrals sent to it by the demo officer (one waiting, one accepted with a contact attempt, one closed), and a
 * stalking clinic meeting with actions for the advocacy service and probation. Invented people only (the seeded
 * generator's victims); recorded through the services, so audited and in the information-sharing log. Loaded once.
 */
export async function loadPartnersDemo(services: PartnerContext, actor: ActorContext): Promise<void> {
  const force = await services.crime.repository.forceByName(DEMO_FORCE)
  if (!force) return
  const repository = new PartnerRepository(areaDatabase<PartnerDatabase>(services))
  if ((await repository.agenciesOf(force.id)).length > 0) return
  const admin: Viewer = { actor: { ...actor, forceId: force.id }, forceId: force.id }
  const directory = await services.victims.service.directory(admin, { all: true })
  const ids = new Map<string, number>()
  for (const agency of DEMO_AGENCIES) {
    const serviceId = directory.find((service) => service.name === agency.directory)?.id ?? null
    const { agencyId } = await services.partners.service.addAgency(admin, {
      name: agency.name,
      kind: agency.kind,
      serviceId: serviceId === null ? '' : String(serviceId),
      answerDays: '2',
      firstContactDays: '2',
    })
    ids.set(agency.name, agencyId)
  }
  const advocacy = ids.get(DEMO_AGENCIES[0].name)!
  const partnerUser = await services.users.sessionUserByUsername('partner')
  const officerUser = await services.users.sessionUserByUsername('officer')
  if (!partnerUser || !officerUser) return
  await repository.insertMember({
    force_id: force.id,
    agency_id: advocacy,
    user_id: partnerUser.id,
    added_by: actor.actorUsername,
    added_at: new Date().toISOString(),
    removed_by: null,
    removed_at: null,
  })
  const officer: Viewer = {
    actor: { ...actor, actorId: officerUser.id, actorUsername: officerUser.username, forceId: force.id },
    forceId: force.id,
  }
  const partner: Viewer = {
    actor: { ...actor, actorId: partnerUser.id, actorUsername: partnerUser.username, forceId: force.id },
    forceId: force.id,
  }
  const today = new Date().toISOString().slice(0, 10)
  // The three latest 8Q crimes' first victims, reported before today so the consent date can follow the report.
  const victims = (await services.crime.repository.victimsOfCrimesWithKey(force.id, '8Q'))
    .filter((row) => row.reported_at.slice(0, 10) < today)
    .sort((a, b) => b.reported_at.localeCompare(a.reported_at) || a.crime_id - b.crime_id)
  const picked: typeof victims = []
  for (const row of victims) {
    if (picked.length === 3) break
    if (!picked.some((other) => other.crime_id === row.crime_id)) picked.push(row)
  }
  const referralIds: number[] = []
  for (const [index, row] of picked.entries()) {
    const { referralId } = await services.partners.service.sendReferral(officer, row.crime_id, {
      personId: String(row.person_id),
      agencyId: String(advocacy),
      consented: 'yes',
      consentOn: today,
      lawfulBasis: 'consent',
      shares: index === 0 ? ['phone', 'contact_times', 'needs', 'risk'] : ['phone', 'needs'],
      phone: '07700 900' + String(100 + index),
      email: '',
      contactTimes: index === 0 ? 'Weekdays after 6pm; mobile only' : '',
      safeToLeaveMessage: index === 0 ? 'no' : 'yes',
      risk: 'medium',
      caseSummary: '',
      officerContact: 'officer@example.police.uk',
    })
    referralIds.push(referralId)
  }
  if (referralIds[1]) {
    await services.partners.service.accept(partner, referralIds[1])
    await services.partners.service.recordContact(partner, referralIds[1], {
      contactOn: today,
      method: 'phone',
      result: 'no_answer',
      note: '',
    })
  }
  if (referralIds[2]) {
    await services.partners.service.accept(partner, referralIds[2])
    await services.partners.service.recordContact(partner, referralIds[2], {
      contactOn: today,
      method: 'phone',
      result: 'made',
      note: 'Safety plan agreed.',
    })
    await services.partners.service.close(partner, referralIds[2], {
      closedOn: today,
      outcome: 'supported',
      note: 'Allocated an ISAC.',
    })
  }
  if (picked[0]) {
    const crime = await services.crime.repository.crimeById(picked[0].crime_id)
    const { meetingId } = await services.partners.panels.recordMeeting(officer, {
      panel: 'masip',
      heldOn: today,
      chair: 'DI Rowan Ellery',
      agencies: [
        advocacy,
        ids.get('Demoshire Probation Delivery Unit'),
        ids.get('Demoshire Community Mental Health Team'),
      ].map(String),
    })
    await services.partners.panels.recordCase(officer, meetingId, {
      reference: crime!.force_reference,
      subject: 'perpetrator',
      summary: 'Repeated contact after a no-contact request; escalating online messages.',
      decisions: 'Refer the perpetrator for assessment; advocacy support for the victim.',
      lawfulBasis: 'public_task',
      agency1: String(ids.get('Demoshire Probation Delivery Unit')),
      owner1: 'Sam Mercer',
      action1: 'Assess the perpetrator for a stalking intervention programme',
      due1: addDays(today, 14),
      agency2: String(advocacy),
      owner2: 'Taylor Reed',
      action2: 'Review the victim’s safety plan with them',
      due2: addDays(today, 7),
    })
  }
}

export const partnersArea = defineArea<PartnerTables>()({
  name: 'partners',
  needs: ['crime', 'victims'],
  migrations: partnerMigrations,
  obligations: (platform) => [partnerObligationSource(areaDatabase<PartnerDatabase>(platform))],
  create: (platform, needs: PartnerNeeds): PartnerServices => createPartnerServices(platform, needs),
  web: (services: PartnerContext) => ({
    // The partner API authenticates with an organisation's key, not a session: mounted before sign-in is required.
    publicRouters: [{ path: '/api/partner', router: partnerApiRouter(services) }],
    routers: [{ path: '/partners', router: partnerRouter(services) }],
    openapiPaths: partnerOpenApiPaths,
    navigation: [
      { text: 'Referrals', href: '/partners/inbox', capability: 'referral:respond' },
      { text: 'Panel actions', href: '/partners/actions', capability: 'referral:respond' },
      {
        text: 'Multi-agency panels',
        href: '/partners/panels',
        capability: 'case:read',
        hub: 'Case work',
        description: 'MARAC, MAPPA and stalking clinic meetings, cases heard and actions for each agency.',
      },
      {
        text: 'Partner organisations',
        href: '/partners/organisations',
        capability: 'users:manage',
        hub: 'Settings',
        description: 'Support services and agencies working in Threadline, and their users.',
      },
      {
        text: 'Information sharing log',
        href: '/partners/disclosures',
        capability: 'audit:read',
        hub: 'Assurance',
        description: 'Every disclosure to a partner: what, to whom, when, why and on what basis.',
      },
    ],
  }),
  loadDemo: loadPartnersDemo,
})
