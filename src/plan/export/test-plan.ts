// Test-only: an invented force's plan for the interchange and export tests. No real people or forces.
import type { ExportablePlan } from '../interchange.ts'

export const LONG_UPDATE = Array.from(
  { length: 60 },
  (_, i) =>
    `Paragraph ${i + 1}: the working group reviewed the audit sample, agreed actions with the investigation leads and set a date to report back to the board.`,
).join('\n')

/** Wessex Vale Police: three recommendations, one with no evidence items, formula-like text, history, documents. */
export function wessexValePlan(): ExportablePlan {
  return {
    force: 'Wessex Vale Police',
    title: 'Police Stalking Action Plan',
    executiveLead: 'ACC Morwenna Tallis',
    operationalLead: 'DCS Idris Fenwick',
    lastUpdated: '2025-02-14',
    publishedAt: '2025-02-20T10:00:00.000Z',
    recommendations: [
      {
        number: 7,
        text: 'By 27 March 2025, seek changes to crime recording systems so that included classifications are searchable.',
        deadline: '2025-03-27',
        items: [
          {
            ref: '7.1',
            requirement: 'Processes make sure the system capability is used by officers and staff.',
            owner: 'Chief Constable',
            status: 'in_progress',
            statusLabel: 'In Progress',
            percent: null,
            updates: [
              {
                date: '2024-11-20',
                heading: null,
                text: 'Liaising with regional forces and the system supplier.',
                status: 'not_started',
                statusLabel: 'Not Started',
                percent: null,
              },
              {
                date: '2025-02-14',
                heading: 'February 2025 update',
                text: 'Supplier has agreed a change request; testing is planned.',
                status: 'in_progress',
                statusLabel: 'In Progress',
                percent: null,
              },
            ],
            documents: [],
          },
          {
            ref: '7.2',
            requirement: 'Interim measures make sure stalking and related offences are fully searchable.',
            owner: 'Force Crime Registrar',
            status: 'in_progress',
            statusLabel: 'In Progress 25%',
            percent: 25,
            updates: [
              {
                date: '2025-01',
                heading: null,
                text: 'Intelligence reports now carry a stalking flag – £0 cost, “quick win”.',
                status: 'in_progress',
                statusLabel: 'In Progress 25%',
                percent: 25,
              },
            ],
            documents: [
              {
                name: 'Interim searching guidance',
                url: 'https://wessexvale.police.example/docs/interim-guidance.pdf',
                checksum: 'sha256:' + 'a'.repeat(64),
                mediaType: 'application/pdf',
                size: 48213,
              },
              { name: 'Briefing note', url: null },
            ],
          },
        ],
      },
      {
        number: 10,
        text: 'By 27 March 2025, review and update learning and training provision relating to stalking.',
        deadline: '2025-03',
        items: [
          {
            ref: '10.1',
            requirement: 'Meets the learning outcomes on stalking in the national curriculum.',
            owner: '-Head of Learning',
            status: 'complete',
            statusLabel: 'Action Complete',
            percent: null,
            updates: [
              {
                date: '2024-11-20',
                heading: null,
                text: '=HYPERLINK("http://attacker.example","Click") lesson plan meets the curriculum.',
                status: 'complete',
                statusLabel: 'Action Complete',
                percent: null,
              },
            ],
            documents: [],
          },
          {
            ref: '10.2',
            requirement: '@SUM(1+1) uses the e-learning product.',
            owner: null,
            status: null,
            statusLabel: null,
            percent: null,
            updates: [],
            documents: [],
          },
          {
            ref: '10.10',
            requirement: '+Provided to the officers and staff who will most benefit.',
            owner: '\tTraining Manager',
            status: 'in_progress',
            statusLabel: 'In Progress',
            percent: null,
            updates: [
              {
                date: null,
                heading: 'Undated note',
                text: LONG_UPDATE,
                status: 'in_progress',
                statusLabel: 'In Progress',
                percent: null,
              },
            ],
            documents: [],
          },
        ],
      },
      {
        number: 11,
        text: 'By 27 March 2025, understand the scale and types of stalking behaviour ≥ in the force area.',
        deadline: null,
        items: [],
      },
    ],
  }
}
