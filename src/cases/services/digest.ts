// The daily digest: each user's notifications not yet emailed, in one email, through SMTP (nodemailer) when SMTP_URL
// is set. Crime references and links only: no person's name, address or narrative.
import type { CaseRepository } from '../data/caseRepository.ts'
import type { CaseService } from './caseService.ts'

export interface DigestSummary {
  reminders: number
  emails: number
  notifications: number
  skippedNoEmail: number
}

const KIND_HEADINGS = { overdue: 'Overdue', due_tomorrow: 'Due tomorrow', assigned: 'Assigned to you' } as const

export async function sendDigest(options: {
  repository: CaseRepository
  service: CaseService
  forceIds: number[]
  smtpUrl: string | null
  from: string
  baseUrl: string
}): Promise<DigestSummary> {
  const reminders = await options.service.makeReminders(options.forceIds)
  const summary: DigestSummary = { reminders, emails: 0, notifications: 0, skippedNoEmail: 0 }
  if (!options.smtpUrl) return summary
  // Loaded only when email is configured.
  const { default: nodemailer } = await import('nodemailer')
  const transport = nodemailer.createTransport(options.smtpUrl)
  try {
    const unsent = await options.repository.unsent()
    const byUser = new Map<number, typeof unsent>()
    for (const row of unsent) {
      const list = byUser.get(row.user_id)
      if (list) list.push(row)
      else byUser.set(row.user_id, [row])
    }
    const base = options.baseUrl.replace(/\/$/, '')
    for (const rows of byUser.values()) {
      const email = rows[0].email
      if (!email) {
        summary.skippedNoEmail++
        continue
      }
      const sections = (['overdue', 'due_tomorrow', 'assigned'] as const)
        .map((kind) => {
          const ofKind = rows.filter((row) => row.kind === kind)
          if (ofKind.length === 0) return ''
          const lines = ofKind.map((row) => `- ${row.text}\n  ${base}/cases/${row.crime_id}`)
          return `${KIND_HEADINGS[kind]} (${ofKind.length})\n${lines.join('\n')}\n`
        })
        .filter(Boolean)
      const text = [
        'Your stalking case work in Threadline.',
        '',
        ...sections,
        `My work: ${base}/`,
        '',
        'This email lists crime references only. Sign in to Threadline to see the cases.',
      ].join('\n')
      await transport.sendMail({
        from: options.from,
        to: email,
        subject: `Threadline: ${rows.length} case work ${rows.length === 1 ? 'notice' : 'notices'}`,
        text,
      })
      await options.repository.markEmailed(
        rows.map((row) => row.id),
        new Date().toISOString(),
      )
      summary.emails++
      summary.notifications += rows.length
    }
  } finally {
    transport.close()
  }
  return summary
}
