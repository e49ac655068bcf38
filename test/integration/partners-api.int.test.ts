// The partner API on both dialects: a force administrator makes a key for an organisation's case system (shown once,
// stored hashed); with it the case system reads its inbox (only what the consent covers), accepts, records contact and
// closes a referral; another organisation's referral is a 403 (audited); no key, a wrong key or a revoked key is a 401.
import { createHash } from 'node:crypto'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../src/platform/services/auditService.ts'
import { DEMO_FORCE } from '../../src/platform/services/demoUsers.ts'
import { auditRows, createTestApp, csrfTokenFrom, type TestApp } from '../support/app.ts'
import { DIALECTS } from '../support/databases.ts'
import { courseOfConduct, items } from './crime-fixtures.ts'

const today = () => new Date().toISOString().slice(0, 10)

describe.each(DIALECTS)('Partner API (%s)', (dialect) => {
  let app: TestApp
  let mine: number
  let own: number
  let other: number
  let key: string

  beforeAll(async () => {
    app = await createTestApp({ dialect })
    await app.services.crime.importer.importRecords(SYSTEM_ACTOR, items(courseOfConduct()), { force: DEMO_FORCE })
    const forceId = (await app.services.crime.repository.forceByName(DEMO_FORCE))!.id
    const crimeId = (await app.services.crime.repository.crimeByReference(forceId, 'DS/0001/24'))!.id
    const personId = (await app.services.crime.repository.partiesOf(crimeId)).find(
      (p) => p.role === 'victim',
    )!.person_id
    const admin = { actor: { ...SYSTEM_ACTOR, forceId }, forceId }
    const partners = app.services.partners.service
    mine = (await partners.addAgency(admin, { name: 'Own Service', kind: 'victim_support' })).agencyId
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
    const viewer = { actor: { ...SYSTEM_ACTOR, actorId: officer.id, actorUsername: 'officer', forceId }, forceId }
    const send = async (agencyId: number) =>
      (
        await partners.sendReferral(viewer, crimeId, {
          personId: String(personId),
          agencyId: String(agencyId),
          consented: 'yes',
          consentOn: today(),
          lawfulBasis: 'consent',
          shares: ['phone'],
          phone: '07700 900123',
          safeToLeaveMessage: 'no',
          risk: 'high',
          officerContact: 'pc@example.police.uk',
        })
      ).referralId
    own = await send(mine)
    other = await send(theirs)
  })
  afterAll(async () => {
    await app?.close()
  })

  it('a force administrator makes a key, shown once and stored only as its hash', async () => {
    const admin = await app.signedInAs('admin')
    const page = await admin.get(`/partners/organisations/${mine}`).expect(200)
    const made = await admin
      .post(`/partners/organisations/${mine}/keys`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), name: 'Case system' })
      .expect(200)
    key = /<code class="tl-key">(tlp_[A-Za-z0-9_-]+)<\/code>/.exec(made.text)![1]
    const rows = await app.services.db.selectFrom('partner_api_keys').selectAll().execute()
    expect(rows).toEqual([
      expect.objectContaining({ key_hash: createHash('sha256').update(key).digest('hex'), prefix: key.slice(4, 12) }),
    ])
    expect(JSON.stringify(rows)).not.toContain(key)
    const again = await admin.get(`/partners/organisations/${mine}`).expect(200)
    expect(again.text).not.toContain(key)
    const [created] = await auditRows(app.services, 'partners.api_key.created')
    expect(created).toMatchObject({ actor_username: 'admin' })
  })

  it('reads the inbox and answers a referral with the key; another organisation’s is refused', async () => {
    const api = () => request(app.app)
    const auth = { Authorization: `Bearer ${key}` }
    const inbox = await api().get('/api/partner/referrals').set(auth).expect(200)
    expect(inbox.body.organisation).toMatchObject({ name: 'Own Service' })
    expect(inbox.body.open.map((r: { id: number }) => r.id)).toEqual([own])
    expect(inbox.body.open[0]).toMatchObject({ phone: '07700 900123', risk: '', caseSummary: '' })
    await api().post(`/api/partner/referrals/${own}/accept`).set(auth).expect(200)
    const bad = await api()
      .post(`/api/partner/referrals/${own}/contact`)
      .set(auth)
      .send({ contactOn: today() })
      .expect(400)
    expect(bad.body.fields).toMatchObject({ method: 'Choose how the service tried to make contact' })
    await api()
      .post(`/api/partner/referrals/${own}/contact`)
      .set(auth)
      .send({ contactOn: today(), method: 'phone', result: 'made' })
      .expect(200)
    const closed = await api()
      .post(`/api/partner/referrals/${own}/close`)
      .set(auth)
      .send({ closedOn: today(), outcome: 'supported', note: 'Advocate allocated' })
      .expect(200)
    expect(closed.body.referral).toMatchObject({ state: 'closed', outcome: 'supported' })
    await api().post(`/api/partner/referrals/${own}/accept`).set(auth).expect(409)
    await api().get(`/api/partner/referrals/${other}`).set(auth).expect(403)
    await api().post(`/api/partner/referrals/${other}/accept`).set(auth).expect(403)
    const [denied] = await auditRows(app.services, 'access.denied')
    expect(denied).toMatchObject({ actor_username: `api-key:${key.slice(4, 12)}` })
    const [closedAudit] = await auditRows(app.services, 'partners.referral.closed')
    expect(closedAudit).toMatchObject({ actor_username: `api-key:${key.slice(4, 12)}` })
    const events = await app.services.db
      .selectFrom('partner_referral_events')
      .select('by_name')
      .where('referral_id', '=', own)
      .execute()
    expect(events.at(-1)?.by_name).toBe('Own Service (case system)')
  })

  it('refuses no key, a wrong key and a revoked key with 401', async () => {
    await request(app.app).get('/api/partner/referrals').expect(401)
    await request(app.app)
      .get('/api/partner/referrals')
      .set({ Authorization: 'Bearer tlp_wrongwrongwrongwrongwrong' })
      .expect(401)
    const admin = await app.signedInAs('admin')
    const keyId = (await app.services.db.selectFrom('partner_api_keys').select('id').executeTakeFirstOrThrow()).id
    const page = await admin.get(`/partners/organisations/${mine}`).expect(200)
    await admin
      .post(`/partners/keys/${keyId}/revoke`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), back: `/partners/organisations/${mine}`, confirmed: 'yes' })
      .expect(302)
    await request(app.app)
      .get('/api/partner/referrals')
      .set({ Authorization: `Bearer ${key}` })
      .expect(401)
    const openapi = await admin.get('/api/openapi.json').expect(200)
    expect(openapi.body.paths['/api/partner/referrals/{id}/close']).toBeDefined()
  })
})
