// Partner pages. For partner users: their organisation's referral inbox, a referral with its answer, contact and
// outcome forms, and their agency's panel actions. For the police: a crime's partner work (referrals and panels), the
// referral form, panel meetings. For force administrators: partner organisations and their users. For the data
// protection officer: the information-sharing log and its CSV. Thin: the services validate, scope and audit.
import { Router, type Request, type Response } from 'express'
import { NotFoundError } from '../../platform/web/errors.ts'
import { requireCapability } from '../../platform/web/middleware/permissions.ts'
import { errorList, recordIdParam, requireConfirmation, viewerOf } from '../../platform/web/requestHelpers.ts'
import type { PartnerContext } from '../context.ts'
import {
  AGENCY_KINDS,
  CONTACT_METHODS,
  CONTACT_RESULTS,
  LAWFUL_BASES,
  PARTNER_OUTCOMES,
  RISK_LEVELS,
  SHAREABLE_FIELDS,
} from '../services/common.ts'
import { PartnerInputError } from '../services/common.ts'
import {
  AGENCY_KIND_LABELS,
  CONTACT_METHOD_LABELS,
  CONTACT_RESULT_LABELS,
  FIELD_LABELS,
  LAWFUL_BASIS_LABELS,
  PANELS,
  PARTNER_OUTCOME_LABELS,
  RISK_LABELS,
} from '../services/labels.ts'
import { ACTION_ROWS } from '../services/panelService.ts'

const options = <T extends string>(values: readonly T[], labels: Record<T, string>) =>
  values.map((value) => ({ value, text: labels[value] }))

const labels = {
  kinds: options(AGENCY_KINDS, AGENCY_KIND_LABELS),
  methods: options(CONTACT_METHODS, CONTACT_METHOD_LABELS),
  results: options(CONTACT_RESULTS, CONTACT_RESULT_LABELS),
  bases: options(LAWFUL_BASES, LAWFUL_BASIS_LABELS),
  outcomes: options(PARTNER_OUTCOMES, PARTNER_OUTCOME_LABELS),
  risks: options(RISK_LEVELS, RISK_LABELS),
  shareable: SHAREABLE_FIELDS.map((value) => ({ value, text: FIELD_LABELS[value] })),
  panels: PANELS.map((panel) => ({ value: panel.id, text: panel.name, hint: panel.about })),
  actionRows: Array.from({ length: ACTION_ROWS }, (_, i) => i + 1),
}

const bodyOf = (req: Request) => (req.body ?? {}) as Record<string, unknown>
const asArray = (value: unknown) => (value === undefined || value === null || value === '' ? [] : [value].flat())

export function partnerRouter(services: PartnerContext): Router {
  const router = Router()
  const partners = services.partners.service
  const panels = services.partners.panels

  // ---- Partner users: the inbox, a referral, panel actions ------------------------------------------------------

  /** A partner user not (or no longer) in an organisation: a page saying so, rather than a refusal. */
  const notMember = async (res: Response) => {
    if (await partners.isMember(viewerOf(res))) return false
    res.render('partners/views/no-organisation.njk', { pageTitle: 'Not in a partner organisation' })
    return true
  }

  router.get('/inbox', requireCapability('referral:respond'), async (_req, res) => {
    if (await notMember(res)) return
    const inbox = await partners.inbox(viewerOf(res))
    res.render('partners/views/inbox.njk', { pageTitle: `Referrals to ${inbox.agency.name}`, inbox })
  })

  type ReferralForm = 'decline' | 'contact' | 'close'
  async function renderReferral(
    req: Request,
    res: Response,
    failed?: { form: ReferralForm; errors: Record<string, string>; values: Record<string, unknown> },
  ) {
    const view = await partners.referral(viewerOf(res), recordIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such referral')
    const errors = failed?.errors ?? {}
    res.status(failed ? 400 : 200).render('partners/views/referral.njk', {
      ...labels,
      pageTitle: `Referral of ${view.referral.victimName}`,
      view,
      failed: failed?.form ?? '',
      errors,
      errorList: errorList(errors, { method: 'method', result: 'result', outcome: 'outcome' }),
      values: failed?.values ?? {},
    })
  }

  router.get('/referrals/:id', requireCapability('referral:respond'), async (req, res) => {
    await renderReferral(req, res)
  })

  function answerRoute(
    path: string,
    form: ReferralForm | null,
    run: (id: number, req: Request, res: Response) => Promise<void>,
    flash: string,
  ) {
    router.post(`/referrals/:id/${path}`, requireCapability('referral:respond'), async (req, res) => {
      const id = recordIdParam(req.params.id)
      try {
        await run(id, req, res)
      } catch (error) {
        if (!(error instanceof PartnerInputError)) throw error
        if (error.errors.referral) throw new NotFoundError('There is no such referral')
        await renderReferral(req, res, { form: form ?? 'contact', errors: error.errors, values: bodyOf(req) })
        return
      }
      req.session.flash = { type: 'success', text: flash }
      res.redirect(`/partners/referrals/${id}`)
    })
  }
  answerRoute('accept', null, (id, _req, res) => partners.accept(viewerOf(res), id), 'Referral accepted.')
  answerRoute(
    'decline',
    'decline',
    (id, req, res) => partners.decline(viewerOf(res), id, bodyOf(req)),
    'Referral declined.',
  )
  answerRoute(
    'contact',
    'contact',
    (id, req, res) => partners.recordContact(viewerOf(res), id, bodyOf(req)),
    'Contact attempt recorded.',
  )
  answerRoute(
    'close',
    'close',
    (id, req, res) => partners.close(viewerOf(res), id, bodyOf(req)),
    'Referral closed with its outcome.',
  )

  async function renderActions(
    res: Response,
    failed?: { actionId: number; errors: Record<string, string>; values: Record<string, unknown> },
  ) {
    const view = await panels.agencyActions(viewerOf(res))
    const errors = failed?.errors ?? {}
    const prefix = failed ? `a${failed.actionId}-` : ''
    res.status(failed ? 400 : 200).render('partners/views/actions.njk', {
      pageTitle: `Panel actions for ${view.agency.name}`,
      view,
      failedId: failed?.actionId ?? null,
      errors,
      errorList: errorList(errors, Object.fromEntries(Object.keys(errors).map((key) => [key, `${prefix}${key}`]))),
      values: failed?.values ?? {},
    })
  }

  router.get('/actions', requireCapability('referral:respond'), async (_req, res) => {
    if (await notMember(res)) return
    await renderActions(res)
  })

  router.post('/actions/:id/done', requireCapability('referral:respond'), async (req, res) => {
    const id = recordIdParam(req.params.id)
    try {
      await panels.completeAction(viewerOf(res), id, bodyOf(req))
    } catch (error) {
      if (!(error instanceof PartnerInputError)) throw error
      if (error.errors.action) throw new NotFoundError('There is no such action')
      await renderActions(res, { actionId: id, errors: error.errors, values: bodyOf(req) })
      return
    }
    req.session.flash = { type: 'success', text: 'Action marked as completed.' }
    res.redirect('/partners/actions')
  })

  // ---- Police: a crime's partner work and the referral form -----------------------------------------------------

  type CrimeForm = {
    form: 'programme' | 'update'
    key: number
    errors: Record<string, string>
    values: Record<string, unknown>
  }
  async function renderCrime(req: Request, res: Response, failed?: CrimeForm) {
    const viewer = viewerOf(res)
    const view = await partners.crimeReferrals(viewer, recordIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such crime')
    const [panelCases, programmes] = await Promise.all([
      panels.crimePanels(viewer, view.crime.force_id, view.crime.id),
      panels.crimeProgrammes(viewer, view.crime.force_id, view.crime.id),
    ])
    const errors = failed?.errors ?? {}
    const prefix = failed?.form === 'update' ? `g${failed.key}-` : 'programme-'
    res.status(failed ? 400 : 200).render('partners/views/crime.njk', {
      pageTitle: `Partner work – ${view.crime.force_reference}`,
      view,
      panelCases,
      programmes,
      endings: [
        { value: 'completed', text: 'Completed' },
        { value: 'dropped_out', text: 'Dropped out' },
      ],
      canRefer: res.locals.permissions.can('case:edit', view.crime.force_id),
      failed: failed ? { form: failed.form, key: failed.key } : {},
      errors,
      errorList: errorList(errors, Object.fromEntries(Object.keys(errors).map((key) => [key, `${prefix}${key}`]))),
      values: failed?.values ?? {},
    })
  }

  router.get('/crimes/:id', requireCapability('case:read'), async (req, res) => {
    await renderCrime(req, res)
  })

  router.post('/crimes/:id/programmes', requireCapability('case:edit'), async (req, res) => {
    const id = recordIdParam(req.params.id)
    try {
      await panels.referToProgramme(viewerOf(res), id, bodyOf(req))
    } catch (error) {
      if (!(error instanceof PartnerInputError)) throw error
      if (error.errors.crime) throw new NotFoundError('There is no such crime')
      await renderCrime(req, res, { form: 'programme', key: 0, errors: error.errors, values: bodyOf(req) })
      return
    }
    req.session.flash = { type: 'success', text: 'Referral to the perpetrator programme recorded.' }
    res.redirect(`/partners/crimes/${id}#programmes`)
  })

  router.post('/crimes/:id/programmes/:programmeId', requireCapability('case:edit'), async (req, res) => {
    const id = recordIdParam(req.params.id)
    const programmeId = recordIdParam(req.params.programmeId)
    try {
      await panels.updateProgramme(viewerOf(res), id, programmeId, bodyOf(req))
    } catch (error) {
      if (!(error instanceof PartnerInputError)) throw error
      if (error.errors.crime || error.errors.programme) throw new NotFoundError('There is no such programme')
      await renderCrime(req, res, { form: 'update', key: programmeId, errors: error.errors, values: bodyOf(req) })
      return
    }
    req.session.flash = { type: 'success', text: 'Perpetrator programme updated.' }
    res.redirect(`/partners/crimes/${id}#programme-${programmeId}`)
  })

  async function renderReferralForm(
    req: Request,
    res: Response,
    failed?: { errors: Record<string, string>; values: Record<string, unknown> },
  ) {
    const form = await partners.referralForm(viewerOf(res), recordIdParam(req.params.id))
    if (!form) throw new NotFoundError('There is no such crime')
    const errors = failed?.errors ?? {}
    const values = failed?.values ?? { safeToLeaveMessage: '', shares: ['phone', 'needs', 'risk'] }
    res.status(failed ? 400 : 200).render('partners/views/refer.njk', {
      ...labels,
      pageTitle: `Send a referral – ${form.crime.force_reference}`,
      form,
      errors,
      errorList: errorList(errors),
      values: { ...values, shares: asArray(values.shares) },
    })
  }

  router.get('/crimes/:id/refer', requireCapability('case:edit'), async (req, res) => {
    await renderReferralForm(req, res)
  })

  router.post('/crimes/:id/refer', requireCapability('case:edit'), async (req, res) => {
    const id = recordIdParam(req.params.id)
    try {
      await partners.sendReferral(viewerOf(res), id, bodyOf(req))
    } catch (error) {
      if (!(error instanceof PartnerInputError)) throw error
      if (error.errors.crime) throw new NotFoundError('There is no such crime')
      await renderReferralForm(req, res, { errors: error.errors, values: bodyOf(req) })
      return
    }
    req.session.flash = { type: 'success', text: 'Referral sent. The service sees it in its inbox in Threadline.' }
    res.redirect(`/partners/crimes/${id}`)
  })

  // ---- Police: multi-agency panels ------------------------------------------------------------------------------

  router.get('/panels', requireCapability('case:read'), async (_req, res) => {
    const viewer = viewerOf(res)
    res.render('partners/views/panels.njk', {
      pageTitle: 'Multi-agency panels',
      meetings: await panels.meetings(viewer),
      canRecord: res.locals.permissions.can('case:supervise'),
    })
  })

  async function renderMeetingForm(
    res: Response,
    failed?: { errors: Record<string, string>; values: Record<string, unknown> },
  ) {
    const agencies = await panels.agencies(viewerOf(res))
    const errors = failed?.errors ?? {}
    res.status(failed ? 400 : 200).render('partners/views/panel-new.njk', {
      ...labels,
      pageTitle: 'Record a panel meeting',
      agencies,
      errors,
      errorList: errorList(errors),
      values: { ...(failed?.values ?? {}), agencies: asArray(failed?.values.agencies).map(String) },
    })
  }

  router.get('/panels/new', requireCapability('case:supervise'), async (_req, res) => {
    await renderMeetingForm(res)
  })

  router.post('/panels', requireCapability('case:supervise'), async (req, res) => {
    let meetingId: number
    try {
      meetingId = (await panels.recordMeeting(viewerOf(res), bodyOf(req))).meetingId
    } catch (error) {
      if (!(error instanceof PartnerInputError)) throw error
      await renderMeetingForm(res, { errors: error.errors, values: bodyOf(req) })
      return
    }
    req.session.flash = { type: 'success', text: 'Panel meeting recorded. Now record each case heard.' }
    res.redirect(`/partners/panels/${meetingId}`)
  })

  async function renderMeeting(
    req: Request,
    res: Response,
    failed?: { errors: Record<string, string>; values: Record<string, unknown> },
  ) {
    const view = await panels.meeting(viewerOf(res), recordIdParam(req.params.id))
    if (!view) throw new NotFoundError('There is no such panel meeting')
    const errors = failed?.errors ?? {}
    res.status(failed ? 400 : 200).render('partners/views/panel.njk', {
      ...labels,
      pageTitle: `${view.meeting.panelName}, ${view.meeting.held_on}`,
      view,
      canRecord: res.locals.permissions.can('case:supervise'),
      errors,
      errorList: errorList(errors),
      values: failed?.values ?? { lawfulBasis: 'public_task' },
    })
  }

  router.get('/panels/:id', requireCapability('case:read'), async (req, res) => {
    await renderMeeting(req, res)
  })

  router.post('/panels/:id/cases', requireCapability('case:supervise'), async (req, res) => {
    const id = recordIdParam(req.params.id)
    try {
      await panels.recordCase(viewerOf(res), id, bodyOf(req))
    } catch (error) {
      if (!(error instanceof PartnerInputError)) throw error
      if (error.errors.meeting) throw new NotFoundError('There is no such panel meeting')
      await renderMeeting(req, res, { errors: error.errors, values: bodyOf(req) })
      return
    }
    req.session.flash = { type: 'success', text: 'Case heard recorded; each agency sees its actions in Threadline.' }
    res.redirect(`/partners/panels/${id}`)
  })

  // ---- Force administrators: organisations and their users ------------------------------------------------------

  async function renderOrganisations(
    res: Response,
    failed?: { errors: Record<string, string>; values: Record<string, unknown> },
  ) {
    const viewer = viewerOf(res)
    const [agencies, directory] = await Promise.all([
      partners.agencies(viewer),
      services.victims.service.directory(viewer, { all: true }),
    ])
    const errors = failed?.errors ?? {}
    res.status(failed ? 400 : 200).render('partners/views/organisations.njk', {
      ...labels,
      pageTitle: 'Partner organisations',
      agencies,
      directory,
      errors,
      errorList: errorList(errors),
      values: failed?.values ?? { answerDays: '2', firstContactDays: '2' },
    })
  }

  router.get('/organisations', requireCapability('users:manage'), async (_req, res) => {
    await renderOrganisations(res)
  })

  router.post('/organisations', requireCapability('users:manage'), async (req, res) => {
    let agencyId: number
    try {
      agencyId = (await partners.addAgency(viewerOf(res), bodyOf(req))).agencyId
    } catch (error) {
      if (!(error instanceof PartnerInputError)) throw error
      await renderOrganisations(res, { errors: error.errors, values: bodyOf(req) })
      return
    }
    req.session.flash = { type: 'success', text: 'Organisation added. Now invite its users.' }
    res.redirect(`/partners/organisations/${agencyId}`)
  })

  async function renderOrganisation(
    req: Request,
    res: Response,
    failed?: { errors: Record<string, string>; values: Record<string, unknown>; newKey?: string },
  ) {
    const agency = await partners.agency(viewerOf(res), recordIdParam(req.params.id))
    if (!agency) throw new NotFoundError('There is no such organisation')
    const errors = failed?.errors ?? {}
    res.status(Object.keys(errors).length ? 400 : 200).render('partners/views/organisation.njk', {
      pageTitle: agency.name,
      agency,
      keys: await partners.apiKeys(viewerOf(res), agency.id),
      newKey: failed?.newKey ?? null,
      errors,
      errorList: errorList(errors, { name: 'key-name' }),
      values: failed?.values ?? {},
    })
  }

  router.get('/organisations/:id', requireCapability('users:manage'), async (req, res) => {
    await renderOrganisation(req, res)
  })

  router.post('/organisations/:id/members', requireCapability('users:manage'), async (req, res) => {
    const id = recordIdParam(req.params.id)
    try {
      await partners.addMember(viewerOf(res), id, bodyOf(req))
    } catch (error) {
      if (!(error instanceof PartnerInputError)) throw error
      if (error.errors.agency) throw new NotFoundError('There is no such organisation')
      await renderOrganisation(req, res, { errors: error.errors, values: bodyOf(req) })
      return
    }
    req.session.flash = { type: 'success', text: 'User invited. They sign in with the email address given.' }
    res.redirect(`/partners/organisations/${id}`)
  })

  // A key is shown once, on the page the post renders (kept for one showing by the Post/Redirect/Get pattern).
  router.post('/organisations/:id/keys', requireCapability('users:manage'), async (req, res) => {
    const id = recordIdParam(req.params.id)
    let key: string
    try {
      key = (await partners.createApiKey(viewerOf(res), id, bodyOf(req))).key
    } catch (error) {
      if (!(error instanceof PartnerInputError)) throw error
      if (error.errors.agency) throw new NotFoundError('There is no such organisation')
      await renderOrganisation(req, res, { errors: error.errors, values: bodyOf(req) })
      return
    }
    await renderOrganisation(req, res, { errors: {}, values: {}, newKey: key })
  })

  router.post('/keys/:id/revoke', requireCapability('users:manage'), async (req, res) => {
    const id = recordIdParam(req.params.id)
    const back = typeof bodyOf(req).back === 'string' ? String(bodyOf(req).back) : '/partners/organisations'
    const safeBack = /^\/partners\/organisations(\/\d+)?$/.test(back) ? back : '/partners/organisations'
    if (
      !requireConfirmation(req, res, {
        title: 'Revoke this key?',
        paragraphs: ['The case system using it will be refused from now on. Make a new key to give it access again.'],
        button: 'Yes, revoke the key',
        back: safeBack,
        destructive: true,
      })
    )
      return
    if (!(await partners.revokeApiKey(viewerOf(res), id))) throw new NotFoundError('There is no such key')
    req.session.flash = { type: 'success', text: 'Key revoked.' }
    res.redirect(safeBack)
  })

  router.post('/members/:id/remove', requireCapability('users:manage'), async (req, res) => {
    const id = recordIdParam(req.params.id)
    const back = typeof bodyOf(req).back === 'string' ? String(bodyOf(req).back) : '/partners/organisations'
    const safeBack = /^\/partners\/organisations(\/\d+)?$/.test(back) ? back : '/partners/organisations'
    if (
      !requireConfirmation(req, res, {
        title: 'Remove this user from their organisation?',
        paragraphs: [
          'They will no longer be able to sign in to Threadline or see their organisation’s referrals and actions.',
        ],
        button: 'Yes, remove them',
        back: safeBack,
        destructive: true,
      })
    )
      return
    if (!(await partners.removeMember(viewerOf(res), id))) throw new NotFoundError('There is no such member')
    req.session.flash = { type: 'success', text: 'User removed; they can no longer sign in.' }
    res.redirect(safeBack)
  })

  // ---- The information-sharing log ------------------------------------------------------------------------------

  const logFilter = (query: Record<string, unknown>) => {
    const number = (value: unknown) =>
      typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : undefined
    return { agencyId: number(query.agency), personId: number(query.person), crimeId: number(query.crime) }
  }

  router.get('/disclosures', requireCapability('audit:read'), async (req, res) => {
    const filter = logFilter(req.query as Record<string, unknown>)
    const log = await partners.disclosures(viewerOf(res), filter)
    const query = new URLSearchParams(
      Object.entries({ agency: filter.agencyId, person: filter.personId, crime: filter.crimeId })
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => [key, String(value)]),
    ).toString()
    res.render('partners/views/disclosures.njk', {
      pageTitle: 'Information shared with partners',
      log,
      filter,
      csvHref: `/partners/disclosures.csv${query ? `?${query}` : ''}`,
    })
  })

  router.get('/disclosures.csv', requireCapability('audit:read'), async (req, res) => {
    const csv = await partners.disclosuresCsv(viewerOf(res), logFilter(req.query as Record<string, unknown>))
    res.set('Content-Type', 'text/csv; charset=utf-8')
    res.set('Content-Disposition', 'attachment; filename="information-sharing-log.csv"')
    res.send(csv)
  })

  return router
}
