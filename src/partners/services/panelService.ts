// Multi-agency panels (Recommendation 25): MARAC, MAPPA levels, adult risk management and stalking clinics, as data
// (panels.json). A meeting is recorded once with the agencies attending; each case heard (a crime, about the victim or
// the perpetrator) has a summary, decisions and actions, each owned by an agency with a person and a due date. An
// agency's partner users see and complete only their own agency's actions; the police see every action and the
// panel history on the case. Every action given to an agency is a disclosure in the information-sharing log.
import { z } from 'zod'
import type { CrimeServices } from '../../crime/index.ts'
import type { AuditService } from '../../platform/services/auditService.ts'
import { ForbiddenError } from '../../platform/services/permissions.ts'
import { checkViewer, type Viewer } from '../../platform/services/viewer.ts'
import type { PartnerRepository } from '../data/partnerRepository.ts'
import { LAWFUL_BASES, PROGRAMME_ENDINGS } from '../data/tables.ts'
import { asList, blank, dateField, parse, PartnerInputError, requiredText, text, today } from './common.ts'
import { LAWFUL_BASIS_LABELS, PANEL_IDS, panelName, SUBJECT_LABELS } from './labels.ts'
import type { PartnerService } from './partnerService.ts'

/** How many action rows the "case heard" form offers at once (more can be added by hearing the case again). */
export const ACTION_ROWS = 4

export const meetingSchema = z.object({
  panel: z.preprocess(blank, z.enum(PANEL_IDS, { message: 'Choose the panel' })),
  heldOn: dateField('the date of the meeting'),
  chair: text(200, 'The chair'),
  agencies: z.preprocess(
    asList,
    z
      .array(
        z.preprocess((value) => Number(value), z.number().int().positive()),
        {
          message: 'Choose the agencies attending',
        },
      )
      .min(1, 'Choose the agencies attending'),
  ),
})

export const panelCaseSchema = z.object({
  reference: requiredText(100, 'Enter the crime reference of the case heard', 'The crime reference'),
  subject: z.preprocess(
    blank,
    z.enum(['victim', 'perpetrator'], {
      message: 'Choose whether the case was heard about the victim or the perpetrator',
    }),
  ),
  summary: requiredText(5000, 'Enter a summary of the case', 'The summary'),
  decisions: text(5000, 'The decisions'),
  lawfulBasis: z.preprocess(
    blank,
    z.enum(LAWFUL_BASES, { message: 'Choose the lawful basis for sharing with the agencies' }),
  ),
})

export const programmeSchema = z.object({
  personId: z.preprocess(
    (value) => (blank(value) === undefined ? undefined : Number(value)),
    z.number({ message: 'Choose the suspect referred' }).int().positive({ message: 'Choose the suspect referred' }),
  ),
  programme: requiredText(200, 'Enter the name of the programme', 'The name of the programme'),
  agencyId: z.preprocess(
    (value) => (blank(value) === undefined ? null : Number(value)),
    z.number().int().positive().nullable(),
  ),
  referredOn: dateField('the date of the referral to the programme'),
})

export const programmeUpdateSchema = z
  .object({
    startedOn: z.preprocess(
      (value) => (blank(value) === undefined ? undefined : value),
      dateField('the start date').optional(),
    ),
    endedOn: z.preprocess(
      (value) => (blank(value) === undefined ? undefined : value),
      dateField('the end date').optional(),
    ),
    ending: z.preprocess(
      blank,
      z.enum(PROGRAMME_ENDINGS, { message: 'Choose whether the programme was completed or dropped out of' }).optional(),
    ),
    note: text(2000, 'The note'),
  })
  .superRefine((value, ctx) => {
    if (value.endedOn && !value.ending)
      ctx.addIssue({
        code: 'custom',
        path: ['ending'],
        message: 'Choose whether the programme was completed or dropped out of',
      })
    if (value.ending && !value.endedOn)
      ctx.addIssue({ code: 'custom', path: ['endedOn'], message: 'Enter the end date' })
    if (value.startedOn && value.endedOn && value.endedOn < value.startedOn)
      ctx.addIssue({ code: 'custom', path: ['endedOn'], message: 'The end date must be on or after the start date' })
  })

export const ENDING_LABELS = { completed: 'Completed', dropped_out: 'Dropped out' } as const

export const completeSchema = z.object({
  doneOn: dateField('the date the action was completed'),
  note: text(2000, 'The note'),
})

interface ParsedAction {
  agencyId: number
  owner: string
  action: string
  dueOn: string
}

/** The action rows filled in (from the form as sent): each needs an agency, a person, the action and a due date. */
function actionsOf(body: Record<string, unknown>, errors: Record<string, string>): ParsedAction[] {
  const out: ParsedAction[] = []
  const field = (name: string) => {
    const value = body[name]
    return typeof value === 'string' ? value.trim() : ''
  }
  for (let n = 1; n <= ACTION_ROWS; n++) {
    const agency = field(`agency${n}`)
    const owner = field(`owner${n}`)
    const action = field(`action${n}`)
    const due = field(`due${n}`)
    if (!agency && !owner && !action && !due) continue
    const agencyId = /^\d{1,12}$/.test(agency) ? Number(agency) : null
    if (agencyId === null) errors[`agency${n}`] = `Choose the agency that owns action ${n}`
    if (!owner) errors[`owner${n}`] = `Enter the person who will do action ${n}`
    else if (owner.length > 200) errors[`owner${n}`] = `The person named in action ${n} must be 200 characters or fewer`
    if (!action) errors[`action${n}`] = `Enter what action ${n} is`
    else if (action.length > 2000) errors[`action${n}`] = `Action ${n} must be 2000 characters or fewer`
    const parsed = dateField(`the due date of action ${n}`, { future: true }).safeParse(due)
    if (!parsed.success) errors[`due${n}`] = parsed.error.issues[0].message
    if (agencyId !== null && owner && action && parsed.success && !errors[`owner${n}`] && !errors[`action${n}`]) {
      out.push({ agencyId, owner, action, dueOn: parsed.data })
    }
  }
  return out
}

export class PanelService {
  constructor(
    private readonly repository: PartnerRepository,
    private readonly audit: AuditService,
    private readonly crime: CrimeServices,
    private readonly partners: PartnerService,
  ) {}

  async meetings(viewer: Viewer) {
    checkViewer(viewer, 'case:read')
    const rows = await this.repository.meetingsOf(viewer.forceId)
    return rows.map((row) => ({ ...row, panelName: panelName(row.panel) }))
  }

  async agencies(viewer: Viewer) {
    checkViewer(viewer, 'case:read')
    return this.repository.agenciesOf(viewer.forceId)
  }

  /** Records a meeting with the agencies attending, audited. */
  async recordMeeting(viewer: Viewer, body: unknown): Promise<{ meetingId: number }> {
    checkViewer(viewer, 'case:supervise')
    const input = parse(meetingSchema, body, 'panel')
    return this.repository.transaction(async (repository, trx) => {
      const agencies = new Map((await repository.agenciesOf(viewer.forceId)).map((agency) => [agency.id, agency]))
      if (input.agencies.some((id) => !agencies.has(id))) {
        throw new PartnerInputError({ agencies: 'Choose the agencies attending from the list' })
      }
      const meetingId = await repository.insertMeeting({
        force_id: viewer.forceId,
        panel: input.panel,
        held_on: input.heldOn,
        chair: input.chair,
        recorded_by: viewer.actor.actorUsername,
        recorded_by_id: viewer.actor.actorId,
        recorded_at: new Date().toISOString(),
      })
      for (const agencyId of new Set(input.agencies)) {
        await repository.insertAttendee({
          force_id: viewer.forceId,
          meeting_id: meetingId,
          agency_id: agencyId,
          attendee: '',
        })
      }
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.panel.meeting_recorded',
        subjectType: 'panel_meeting',
        subjectId: meetingId,
        details: { panel: input.panel, heldOn: input.heldOn, agencies: [...new Set(input.agencies)] },
      })
      return { meetingId }
    })
  }

  /** A meeting with its agencies, the cases heard and every action; the read is audited. */
  async meeting(viewer: Viewer, meetingId: number) {
    checkViewer(viewer, 'case:read')
    return this.repository.transaction(async (repository, trx) => {
      const meeting = await repository.meetingById(viewer.forceId, meetingId)
      if (!meeting) return undefined
      const [attendees, cases, actions] = await Promise.all([
        repository.attendeesOf(meetingId),
        repository.casesOfMeeting(meetingId),
        repository.actionsOfMeeting(meetingId),
      ])
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.panel.meeting_viewed',
        subjectType: 'panel_meeting',
        subjectId: meetingId,
        details: { cases: cases.map((row) => row.crime_id) },
      })
      return {
        meeting: { ...meeting, panelName: panelName(meeting.panel) },
        attendees,
        cases: cases.map((row) => ({
          ...row,
          subjectLabel: SUBJECT_LABELS[row.subject],
          basisLabel: LAWFUL_BASIS_LABELS[row.lawful_basis],
          actions: actions.filter((action) => action.panel_case_id === row.id),
        })),
      }
    })
  }

  /**
   * Records a case heard at a meeting with its actions (each for an agency attending), audited; each action is a
   * disclosure to its agency of the case reference, whom the case is about, the action and its due date.
   */
  async recordCase(viewer: Viewer, meetingId: number, body: unknown): Promise<{ panelCaseId: number }> {
    checkViewer(viewer, 'case:supervise')
    const raw = (body ?? {}) as Record<string, unknown>
    const errors: Record<string, string> = {}
    const parsed = panelCaseSchema.safeParse(raw)
    if (!parsed.success)
      for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'reference')] ??= issue.message
    const actions = actionsOf(raw, errors)
    if (Object.keys(errors).length || !parsed.success) throw new PartnerInputError(errors)
    const input = parsed.data
    return this.repository.transaction(async (repository, trx) => {
      const meeting = await repository.meetingById(viewer.forceId, meetingId)
      if (!meeting) throw new PartnerInputError({ meeting: 'There is no such meeting' })
      const crime = await this.crime.repository.with(trx).crimeByReference(viewer.forceId, input.reference)
      if (!crime) throw new PartnerInputError({ reference: `There is no crime ${input.reference} in your force` })
      checkViewer(viewer, 'case:edit', crime.force_id)
      const attending = new Set((await repository.attendeesOf(meetingId)).map((row) => row.agency_id))
      actions.forEach((action, index) => {
        if (!attending.has(action.agencyId)) {
          throw new PartnerInputError({
            [`agency${index + 1}`]: `Choose an agency attending this meeting for action ${index + 1}`,
          })
        }
      })
      const now = new Date().toISOString()
      const panelCaseId = await repository.insertPanelCase({
        force_id: viewer.forceId,
        meeting_id: meetingId,
        crime_id: crime.id,
        subject: input.subject,
        summary: input.summary,
        decisions: input.decisions,
        lawful_basis: input.lawfulBasis,
        recorded_by: viewer.actor.actorUsername,
        recorded_at: now,
      })
      const actionIds: number[] = []
      for (const action of actions) {
        const actionId = await repository.insertAction({
          force_id: viewer.forceId,
          meeting_id: meetingId,
          panel_case_id: panelCaseId,
          crime_id: crime.id,
          agency_id: action.agencyId,
          owner: action.owner,
          action: action.action,
          due_on: action.dueOn,
          state: 'open',
          done_on: null,
          done_note: '',
          done_by: null,
          recorded_at: now,
          updated_at: now,
        })
        actionIds.push(actionId)
        await repository.insertDisclosure({
          force_id: viewer.forceId,
          agency_id: action.agencyId,
          crime_id: crime.id,
          person_id: null,
          subject_type: 'panel_action',
          subject_id: actionId,
          fields: JSON.stringify([
            'Crime reference',
            'Whom the case is about',
            'Panel and date',
            'The action',
            'Due date',
          ]),
          purpose: `Action from ${panelName(meeting.panel)} on ${meeting.held_on}`,
          lawful_basis: input.lawfulBasis,
          consent: '',
          disclosed_by: viewer.actor.actorUsername,
          disclosed_by_id: viewer.actor.actorId,
          disclosed_at: now,
        })
      }
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.panel.case_recorded',
        subjectType: 'crime',
        subjectId: crime.id,
        details: { meetingId, panelCaseId, subject: input.subject, actions: actionIds },
      })
      return { panelCaseId }
    })
  }

  /** The partner's own agency's actions, open first; the read is audited. */
  async agencyActions(viewer: Viewer) {
    return this.repository.transaction(async (repository, trx) => {
      const agency = await this.partners.agencyOf(viewer, repository)
      const actions = await repository.actionsOfAgency(agency.id)
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.actions.viewed',
        subjectType: 'partner_agency',
        subjectId: agency.id,
        details: { actions: actions.map((row) => row.id) },
      })
      return {
        agency: { id: agency.id, name: agency.name },
        actions: actions.map((row) => ({
          ...row,
          panelName: panelName(row.panel),
          subjectLabel: SUBJECT_LABELS[row.subject],
        })),
      }
    })
  }

  /** The partner completes one of their agency's actions; another agency's is refused (403, audited). */
  async completeAction(viewer: Viewer, actionId: number, body: unknown): Promise<void> {
    await this.repository.transaction(async (repository, trx) => {
      const agency = await this.partners.agencyOf(viewer, repository)
      const action = await repository.actionById(actionId)
      if (!action) throw new PartnerInputError({ action: 'There is no such action' })
      if (action.agency_id !== agency.id) throw new ForbiddenError('referral:respond', viewer.forceId)
      if (action.state === 'done') throw new PartnerInputError({ state: 'This action is already completed' })
      const input = parse(completeSchema, body, 'doneOn')
      if (input.doneOn < action.held_on) {
        throw new PartnerInputError({
          doneOn: `The date the action was completed must be on or after the meeting (${action.held_on})`,
        })
      }
      await repository.updateAction(actionId, {
        state: 'done',
        done_on: input.doneOn,
        done_note: input.note,
        done_by: viewer.actor.actorUsername,
        updated_at: new Date().toISOString(),
      })
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.panel.action_completed',
        subjectType: 'crime',
        subjectId: action.crime_id,
        details: { actionId, agencyId: agency.id, ...input },
      })
    })
  }

  // ---- Perpetrator programmes (25.1) ----------------------------------------------------------------------------

  /** Refers a suspect on the crime to a perpetrator programme, audited. */
  async referToProgramme(viewer: Viewer, crimeId: number, body: unknown): Promise<{ programmeId: number }> {
    checkViewer(viewer, 'case:edit')
    const input = parse(programmeSchema, body, 'personId')
    return this.repository.transaction(async (repository, trx) => {
      const crime = await this.crime.records.editableCrime(viewer, crimeId, trx, PartnerInputError)
      const parties = await this.crime.repository.with(trx).partiesOf(crimeId)
      if (!parties.some((party) => party.role === 'suspect' && party.person_id === input.personId)) {
        throw new PartnerInputError({ personId: 'Choose a suspect recorded on this crime' })
      }
      if (input.agencyId !== null && !(await repository.agencyById(crime.force_id, input.agencyId))) {
        throw new PartnerInputError({ agencyId: 'Choose a partner organisation from the list, or none' })
      }
      if (input.referredOn < crime.reported_at.slice(0, 10)) {
        throw new PartnerInputError({
          referredOn: `The date of the referral must be on or after the date the crime was reported (${crime.reported_at.slice(0, 10)})`,
        })
      }
      const programmeId = await repository.insertProgramme({
        force_id: crime.force_id,
        crime_id: crimeId,
        person_id: input.personId,
        programme: input.programme,
        agency_id: input.agencyId,
        referred_on: input.referredOn,
        started_on: null,
        ended_on: null,
        ending: null,
        note: '',
        recorded_by: viewer.actor.actorUsername,
        recorded_at: new Date().toISOString(),
        updated_by: null,
        updated_at: null,
      })
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.programme.referred',
        subjectType: 'crime',
        subjectId: crimeId,
        details: {
          programmeId,
          personId: input.personId,
          programme: input.programme,
          agencyId: input.agencyId,
          referredOn: input.referredOn,
        },
      })
      return { programmeId }
    })
  }

  /** Records a programme's start, and its end (completed or dropped out), audited with the before and after. */
  async updateProgramme(viewer: Viewer, crimeId: number, programmeId: number, body: unknown): Promise<void> {
    checkViewer(viewer, 'case:edit')
    const input = parse(programmeUpdateSchema, body, 'startedOn')
    await this.repository.transaction(async (repository, trx) => {
      const crime = await this.crime.records.editableCrime(viewer, crimeId, trx, PartnerInputError)
      const row = await repository.programmeById(crime.force_id, programmeId)
      if (!row || row.crime_id !== crimeId)
        throw new PartnerInputError({ programme: 'There is no such programme on this crime' })
      for (const [field, day] of [
        ['startedOn', input.startedOn],
        ['endedOn', input.endedOn],
      ] as const) {
        if (day && day < row.referred_on) {
          throw new PartnerInputError({
            [field]: `The date must be on or after the referral to the programme (${row.referred_on})`,
          })
        }
      }
      const after = {
        started_on: input.startedOn ?? null,
        ended_on: input.endedOn ?? null,
        ending: input.ending ?? null,
        note: input.note,
      }
      await repository.updateProgramme(programmeId, {
        ...after,
        updated_by: viewer.actor.actorUsername,
        updated_at: new Date().toISOString(),
      })
      await this.audit.record(trx, viewer.actor, {
        action: 'partners.programme.updated',
        subjectType: 'crime',
        subjectId: crimeId,
        details: {
          programmeId,
          from: { startedOn: row.started_on, endedOn: row.ended_on, ending: row.ending },
          to: { startedOn: after.started_on, endedOn: after.ended_on, ending: after.ending },
        },
      })
    })
  }

  /** A crime's suspects (names only) and their programmes, for the police's partner work page. */
  async crimeProgrammes(viewer: Viewer, forceId: number, crimeId: number) {
    checkViewer(viewer, 'case:read', forceId)
    const [parties, programmes, agencies] = await Promise.all([
      this.crime.repository.partiesOf(crimeId),
      this.repository.programmesOfCrime(forceId, crimeId),
      this.repository.agenciesOf(forceId),
    ])
    const seen = new Set<number>()
    const suspects = parties
      .filter((party) => party.role === 'suspect' && !seen.has(party.person_id) && seen.add(party.person_id))
      .map((party) => ({
        personId: party.person_id,
        name: [party.forename, party.surname].filter(Boolean).join(' ') || 'Unnamed person',
      }))
    return {
      suspects,
      agencies: agencies.map((agency) => ({ id: agency.id, name: agency.name })),
      programmes: programmes.map((row) => ({
        ...row,
        suspectName: suspects.find((s) => s.personId === row.person_id)?.name ?? 'No longer recorded as a suspect',
        endingLabel: row.ending ? ENDING_LABELS[row.ending] : '',
      })),
    }
  }

  /** A crime's panel history and actions for the police; the read is audited by the caller's page (crimeWork). */
  async crimePanels(viewer: Viewer, forceId: number, crimeId: number) {
    checkViewer(viewer, 'case:read', forceId)
    const [cases, actions] = await Promise.all([
      this.repository.panelCasesOfCrime(forceId, crimeId),
      this.repository.actionsOfCrime(forceId, crimeId),
    ])
    return cases.map((row) => ({
      ...row,
      panelName: panelName(row.panel),
      subjectLabel: SUBJECT_LABELS[row.subject],
      actions: actions.filter((action) => action.panel_case_id === row.id),
    }))
  }
}

export const todayForPanels = today
