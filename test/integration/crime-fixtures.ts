// Hand-written crime records for the crime area's tests (invented people; no generator needed).
import type { CrimeRecordInput, PartyInput } from '../../src/crime/model.ts'
import type { ImportItem } from '../../src/crime/services/importService.ts'

export function party(overrides: Partial<PartyInput> = {}): PartyInput {
  return {
    role: 'victim',
    personRef: null,
    forename: 'Ada',
    surname: 'Quill',
    dateOfBirth: '1990-04-01',
    identifiers: [],
    ...overrides,
  }
}

export function crime(overrides: Partial<CrimeRecordInput> = {}): CrimeRecordInput {
  return {
    forceReference: 'DS/0001/24',
    kind: 'crime',
    reportedAt: '2024-03-05T10:00:00Z',
    occurrences: [{ from: '2024-03-01', to: '2024-03-04' }],
    principal: '58C',
    included: [],
    flags: { domesticAbuse: false, online: false, repeatVictim: false },
    parties: [],
    narrative: 'Damage to a car parked outside the home address.',
    team: 'Response North',
    officerInCase: 'PC 101',
    status: 'Under investigation',
    outcome: null,
    linkedCrimeRefs: [],
    location: null,
    ...overrides,
  }
}

export function items(records: CrimeRecordInput[], file = 'extract.csv'): ImportItem[] {
  return records.map((record, index) => ({ record, source: { file, line: index + 2 } }))
}

/** A stalking course of conduct over three crimes, none with a stalking principal; 8Q is included on one. */
export function courseOfConduct(): CrimeRecordInput[] {
  const victim = party({ personRef: 'P-VICTIM-1', forename: 'Ada', surname: 'Quill', dateOfBirth: '1990-04-01' })
  const suspect = party({
    role: 'suspect',
    personRef: 'P-SUSPECT-1',
    forename: 'Bram',
    surname: "O'Neill-Hart",
    dateOfBirth: '1985-11-20',
    identifiers: [
      { kind: 'phone', value: '+44 7700 900123' },
      { kind: 'social', value: '@bram_h' },
    ],
  })
  return [
    crime({
      forceReference: 'DS/0001/24',
      principal: '58C',
      included: [{ code: '8Q', addedBy: 'DS Okafor', addedAt: '2024-03-06', reason: 'Pattern of fixated behaviour' }],
      flags: { domesticAbuse: true, online: false, repeatVictim: true },
      parties: [victim, suspect],
      narrative: 'Suspect scratched the victim car and has been following her to work and loitering at her house.',
    }),
    crime({
      forceReference: 'DS/0002/24',
      reportedAt: '2024-04-10T09:00:00Z',
      occurrences: [{ from: '2024-04-09', to: '2024-04-09' }],
      principal: '8L',
      parties: [victim, suspect],
      narrative: 'Repeated unwanted messages sent to the victim from several accounts.',
      outcome: 1,
    }),
    crime({
      forceReference: 'DS/0003/24',
      reportedAt: '2024-05-01T12:00:00Z',
      occurrences: [{ from: '2024-05-01', to: '2024-05-01' }],
      principal: '8Q',
      parties: [party({ personRef: 'P-VICTIM-2', forename: 'Cleo', surname: 'Marsh', dateOfBirth: '1979-02-02' })],
      narrative: 'Stalking recorded as the principal offence.',
      team: 'Stalking Unit',
    }),
    crime({
      forceReference: 'IR/0001/24',
      kind: 'intelligence',
      principal: null,
      reportedAt: '2024-04-20T08:00:00Z',
      occurrences: [],
      parties: [suspect],
      narrative: 'Intelligence that the suspect watches the victim house at night.',
      linkedCrimeRefs: ['DS/0001/24', 'DS/0002/24'],
      team: null,
    }),
  ]
}
