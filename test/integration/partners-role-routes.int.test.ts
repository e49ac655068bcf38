// Role x route for the partner role: every GET route of every area's routers (and the administration pages), with
// each :param filled by a real record of the demo force (another organisation's referral, a crime, a person), is
// refused to a partner user, except their own organisation's inbox, referral and actions pages, the home page and
// the API description. A partner can never reach crime search, person pages or another service's inbox.
import type { Router } from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { createTestApp, type TestApp } from '../support/app.ts'
import { courseOfConduct, items } from './crime-fixtures.ts'

/** The GET paths of a router mounted at `base` (nested routers are not used by the areas). */
function getPaths(base: string, router: Router): string[] {
  const out: string[] = []
  for (const layer of router.stack as unknown as {
    route?: { path: string | string[]; methods: Record<string, boolean> }
  }[]) {
    if (!layer.route || !layer.route.methods.get) continue
    for (const path of [layer.route.path].flat())
      out.push(`${base === '/' ? '' : base}${path}`.replace(/\/$/, '') || '/')
  }
  return out
}

describe('the partner role on every route', () => {
  let app: TestApp
  let own: number
  let other: number
  let crimeId: number
  let personId: number

  beforeAll(async () => {
    app = await createTestApp()
    await app.services.crime.importer.importRecords(SYSTEM_ACTOR, items(courseOfConduct()), { force: DEMO_FORCE })
    const forceId = (await app.services.crime.repository.forceByName(DEMO_FORCE))!.id
    crimeId = (await app.services.crime.repository.crimeByReference(forceId, 'DS/0001/24'))!.id
    personId = (await app.services.crime.repository.partiesOf(crimeId)).find((p) => p.role === 'victim')!.person_id
    const admin = { actor: { ...SYSTEM_ACTOR, forceId }, forceId }
    const partners = app.services.partners.service
    const mine = (await partners.addAgency(admin, { name: 'Own Service', kind: 'victim_support' })).agencyId
    const theirs = (await partners.addAgency(admin, { name: 'Other Service', kind: 'victim_support' })).agencyId
    await partners.addMember(admin, mine, {
      displayName: 'Rene Pell',
      email: 'rene@own.example.org',
      username: 'own.user',
    })
    await partners.addMember(admin, theirs, {
      displayName: 'Kit Vane',
      email: 'kit@other.example.org',
      username: 'other.user',
    })
    const officer = (await app.services.users.sessionUserByUsername('officer'))!
    const officerViewer = {
      actor: { ...SYSTEM_ACTOR, actorId: officer.id, actorUsername: 'officer', forceId },
      forceId,
    }
    const send = async (agencyId: number) =>
      (
        await partners.sendReferral(officerViewer, crimeId, {
          personId: String(personId),
          agencyId: String(agencyId),
          consented: 'yes',
          consentOn: new Date().toISOString().slice(0, 10),
          lawfulBasis: 'consent',
          shares: ['phone'],
          phone: '07700 900123',
          safeToLeaveMessage: 'no',
          officerContact: 'pc@example.police.uk',
        })
      ).referralId
    own = await send(mine)
    other = await send(theirs)
  })
  afterAll(async () => {
    await app?.close()
  })

  it('refuses every page but its own organisation’s', async () => {
    const paths = new Set<string>(['/admin', '/admin/users', '/admin/audit'])
    for (const area of app.services.areas) {
      const web = area.web?.()
      for (const { path, router } of web?.routers ?? []) for (const route of getPaths(path, router)) paths.add(route)
    }
    expect(paths.size).toBeGreaterThan(60)
    const fill = (path: string) =>
      path
        .replace(':referralId', String(other))
        .replace(':personId', String(personId))
        .replace(/\/partners\/referrals\/:id/, `/partners/referrals/${other}`)
        .replace(/:[A-Za-z]+/g, String(crimeId))
    const allowed = new Set(['/', '/partners/inbox', '/partners/actions', '/api/openapi.json'])
    const agent = await app.signedInAs('own.user')
    const reached: string[] = []
    for (const path of [...paths].sort()) {
      const url = fill(path)
      const response = await agent.get(url)
      if (allowed.has(path)) continue
      if (![403, 404].includes(response.status)) reached.push(`${url} answered ${response.status}`)
    }
    expect(reached).toEqual([])
    // Its own referral it reaches; another organisation's inbox is its own inbox only.
    await agent.get(`/partners/referrals/${own}`).expect(200)
    const inbox = await agent.get('/partners/inbox').expect(200)
    expect(inbox.text).toContain(`/partners/referrals/${own}"`)
    expect(inbox.text).not.toContain(`/partners/referrals/${other}"`)
    await agent.get(`/partners/referrals/${other}`).expect(403)
  })
})
