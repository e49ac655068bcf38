// The problem profile as CSV: every section's table one after another, each with its own heading row and a blank
// row between tables, every row starting with the section's name so a filter on the first column gives one table.
// UTF-8 with a byte order mark and CRLF line ends (as the plan's CSV). Text a spreadsheet would run as a formula
// (= + - @ TAB CR at the start) gets a leading apostrophe; numbers Threadline computed stay numbers.
import { stringify } from 'csv-stringify/sync'
import { neutraliseCell } from '../../platform/csv.ts'
import type { ProblemProfile } from './problemProfile.ts'

type Cell = string | number | null

export const PROFILE_SECTIONS = {
  period: 'Period',
  scale: '1. Scale',
  trend: '2. Monthly trend',
  hidden: '3. What stalking is recorded behind',
  people: '4. Victims and suspects',
  outcomes: '5. Response: outcomes',
  spo: '5. Response: Stalking Protection Orders',
  teams: '5. Response: crimes by team',
  demand: '6. Demand: monthly history and straight-line projection',
} as const

/** The profile's tables as rows of cells, section by section (what the CSV writes). */
export function profileTables(profile: ProblemProfile): { section: string; header: string[]; rows: Cell[][] }[] {
  const { people, response, demand } = profile
  return [
    {
      section: PROFILE_SECTIONS.period,
      header: ['Force', 'From', 'To', 'Previous period from', 'Previous period to', 'Generated at'],
      rows: [
        [
          profile.forceName,
          profile.period.from,
          profile.period.to,
          profile.previous.from,
          profile.previous.to,
          profile.generatedAt,
        ],
      ],
    },
    {
      section: PROFILE_SECTIONS.scale,
      header: ['Measure', 'This period', 'Previous period', 'Change', 'Change %'],
      rows: profile.scale.map((row) => [row.label, row.current, row.previous, row.change, row.changePercent]),
    },
    {
      section: PROFILE_SECTIONS.trend,
      header: ['Month', '8Q principal', '8Q included only', 'Stalking crimes'],
      rows: profile.trend.map((row) => [row.month, row.principal, row.includedOnly, row.total]),
    },
    {
      section: PROFILE_SECTIONS.hidden,
      header: ['Principal classification code', 'Principal classification', 'Crimes with 8Q included', '% of them'],
      rows: profile.hidden.byPrincipal.map((row) => [row.code, row.name, row.crimes, row.percent]),
    },
    {
      section: PROFILE_SECTIONS.people,
      header: ['Measure', 'Count', '% of stalking crimes'],
      rows: [
        ['Stalking crimes (8Q, principal or included)', people.stalkingCrimes, null],
        ['Victims (different people)', people.victims, null],
        ['Repeat victims (victim on 2 or more stalking crimes)', people.repeatVictims, null],
        ['Suspects (different people)', people.suspects, null],
        ['Suspects on 2 or more stalking crimes', people.repeatSuspects, null],
        ['Suspects with 2 or more victims', people.suspectsWithSeveralVictims, null],
        ['Crimes flagged domestic abuse', people.domesticAbuse, people.domesticAbusePercent],
        ['Crimes flagged online or cyber-enabled', people.online, people.onlinePercent],
      ],
    },
    {
      section: PROFILE_SECTIONS.outcomes,
      header: ['Outcome group', 'Outcome type', 'Outcome', 'Crimes', '% of stalking crimes'],
      rows: response.outcomes.map((row) => [row.group, row.outcome, row.name, row.crimes, row.percent]),
    },
    {
      section: PROFILE_SECTIONS.spo,
      header: ['Measure', 'Count', '% of stalking crimes'],
      rows: response.spo
        ? [
            ['Stalking crimes', response.spo.stalkingCrimes, null],
            ['SPO considered', response.spo.considered, response.spo.consideredPercent],
            ['SPO applied for (latest consideration)', response.spo.appliedFor, null],
            ['SPO granted (latest consideration)', response.spo.granted, null],
            ['Breaches of an order recorded', response.spo.breaches, null],
          ]
        : [],
    },
    {
      section: PROFILE_SECTIONS.teams,
      header: ['Team', 'Stalking crimes', 'Finalised', 'Charged or summonsed'],
      rows: response.teams.map((row) => [row.team, row.crimes, row.finalised, row.charged]),
    },
    {
      section: PROFILE_SECTIONS.demand,
      header: ['Month', 'Kind', 'Stalking crimes', 'Straight-line trend'],
      rows: [
        ...demand.history.map((row): Cell[] => [row.month, 'recorded', row.crimes, row.trend]),
        ...demand.projection.map((row): Cell[] => [
          row.month,
          'projected (straight line, not a forecast)',
          null,
          row.crimes,
        ]),
      ],
    },
  ]
}

export function profileCsv(profile: ProblemProfile): Buffer {
  const records: (string | number)[][] = []
  profileTables(profile).forEach((table, index) => {
    if (index > 0) records.push([])
    records.push(['Section', ...table.header])
    for (const row of table.rows) records.push([table.section, ...row].map(neutraliseCell))
  })
  return Buffer.from(stringify(records, { bom: true, record_delimiter: 'windows' }), 'utf8')
}
