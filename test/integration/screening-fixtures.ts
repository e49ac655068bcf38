// Invented crimes for the screening tests: a hidden course of conduct (no 8Q anywhere), a watched crime on its own,
// a crime already recorded as stalking, and a neighbour dispute that is not watched.
import type { CrimeRecordInput, PartyInput } from '../../src/crime/model.ts'
import type { ImportItem } from '../../src/crime/services/importService.ts'

export function person(overrides: Partial<PartyInput> = {}): PartyInput {
  return {
    role: 'victim',
    personRef: null,
    forename: 'Nell',
    surname: 'Ashby',
    dateOfBirth: '1991-06-14',
    identifiers: [],
    ...overrides,
  }
}

export function record(overrides: Partial<CrimeRecordInput> = {}): CrimeRecordInput {
  return {
    forceReference: 'SC/0001/26',
    kind: 'crime',
    reportedAt: '2026-03-02T09:00:00Z',
    occurrences: [{ from: '2026-03-01', to: '2026-03-01' }],
    principal: '58C',
    included: [],
    flags: { domesticAbuse: false, online: false, repeatVictim: false },
    parties: [],
    narrative: 'Damage to a car.',
    team: 'Response North',
    officerInCase: 'PC 201',
    status: 'Under investigation',
    outcome: null,
    linkedCrimeRefs: [],
    location: null,
    ...overrides,
  }
}

export const victim = person({ personRef: 'V-1', forename: 'Nell', surname: 'Ashby', dateOfBirth: '1991-06-14' })
export const suspect = person({
  role: 'suspect',
  personRef: 'S-1',
  forename: 'Corin',
  surname: 'Vail',
  dateOfBirth: '1986-01-30',
  identifiers: [{ kind: 'phone', value: '07700 900456' }],
})

/** Three crimes between the same suspect and victim under three different principals; none recorded as stalking. */
export function hiddenCourse(): CrimeRecordInput[] {
  return [
    record({
      forceReference: 'SC/0001/26',
      reportedAt: '2026-03-02T09:00:00Z',
      principal: '58C',
      parties: [victim, suspect],
      flags: { domesticAbuse: true, online: false, repeatVictim: false },
      narrative:
        'IP states her ex-partner SUSP scratched her car outside her work. IP states SUSP has been waiting outside her work most evenings and she is scared to leave the building.',
    }),
    record({
      forceReference: 'SC/0002/26',
      reportedAt: '2026-04-11T18:30:00Z',
      occurrences: [{ from: '2026-04-10', to: '2026-04-11' }],
      principal: '8R',
      parties: [victim, suspect],
      team: 'Safeguarding Hub',
      narrative: 'IP has received over 40 messages from SUSP in two days, calling her names and asking where she is.',
    }),
    record({
      forceReference: 'SC/0003/26',
      reportedAt: '2026-05-20T07:15:00Z',
      occurrences: [{ from: '2026-05-19', to: '2026-05-19' }],
      principal: '105A',
      parties: [victim, suspect],
      narrative: 'SUSP pushed IP outside her home address. Neighbour witnessed the incident.',
    }),
  ]
}

export function otherCrimes(): CrimeRecordInput[] {
  return [
    record({
      forceReference: 'SC/0100/26',
      reportedAt: '2026-02-01T12:00:00Z',
      principal: '8L',
      team: 'Response South',
      parties: [
        person({ personRef: 'V-2', forename: 'Ravi', surname: 'Coombe', dateOfBirth: '1970-02-02' }),
        person({ role: 'suspect', personRef: 'S-2', forename: 'Tamsin', surname: 'Hewer', dateOfBirth: '1969-09-09' }),
      ],
      narrative: 'IP reports a one-off argument with a colleague who shouted at him in the car park.',
    }),
    record({
      forceReference: 'SC/0200/26',
      reportedAt: '2026-02-15T12:00:00Z',
      principal: '8Q',
      parties: [person({ personRef: 'V-3', forename: 'Ida', surname: 'Penrose', dateOfBirth: '1988-08-08' })],
      narrative: 'Stalking already recorded as the principal offence.',
    }),
    record({
      forceReference: 'SC/0300/26',
      reportedAt: '2026-02-20T12:00:00Z',
      principal: '58D',
      parties: [person({ personRef: 'V-4', forename: 'Gil', surname: 'Tarrant', dateOfBirth: '1955-05-05' })],
      narrative: 'Fence panel kicked over during a neighbour dispute about parking.',
    }),
  ]
}

export function items(records: CrimeRecordInput[], file = 'extract.csv'): ImportItem[] {
  return records.map((entry, index) => ({ record: entry, source: { file, line: index + 2 } }))
}
