// Words, never codes (docs/page-patterns.md): people by their names, audit actions and import formats in words.
// Areas keep the words for their own codes (classifications, outcome types) with their reference data; these are the
// codes the platform itself writes or every area shares.
import type { SessionUser } from './services/permissions.ts'

/** Usernames to display names, refreshed from the users table at most every 30 seconds. */
const names = new Map<string, string>()
/** User ids (as an audit row's subject) to display names. */
const namesById = new Map<string, string>()
let loadedAt = 0
let loading: Promise<void> | null = null
const REFRESH_MS = 30_000

/** Keeps the names fresh: call before rendering (the `personNames` middleware does, once per request at most). */
export async function refreshPersonNames(list: () => Promise<SessionUser[]>, now = Date.now()): Promise<void> {
  if (now - loadedAt < REFRESH_MS) return
  loading ??= list()
    .then((users) => {
      names.clear()
      namesById.clear()
      for (const user of users) {
        names.set(user.username, user.displayName)
        namesById.set(String(user.id), user.displayName)
      }
      loadedAt = now
    })
    .finally(() => {
      loading = null
    })
  await loading
}

const SYSTEM_NAMES: Record<string, string> = {
  system: 'Threadline',
  anonymous: 'someone not signed in',
  'demo-loader': 'the demo data',
}

/** A person's name for a username written in a record ("DS Sam Okafor", never "supervisor" or "user 6"). */
export function personName(username: string | null | undefined): string {
  if (!username) return ''
  return names.get(username) ?? SYSTEM_NAMES[username] ?? username
}

const SUBJECT_TYPES: Record<string, string> = {
  'assurance-audit': 'Stalking case audit',
  'investigation-skill': 'Trained investigator entry',
  panel_meeting: 'Panel meeting',
  partner_agency: 'Partner agency',
  support_service: 'Support service',
}

/**
 * The record an audit row concerns, in words: a user by their name ("Chris Lambert", never "user 7"), anything else
 * by its kind in words and its reference ("Crime 1961").
 */
export function auditSubjectWords(type: string | null | undefined, id: string | number | null | undefined): string {
  if (!type) return ''
  const key = id === null || id === undefined ? '' : String(id)
  if (type === 'user') return namesById.get(key) ?? 'A user no longer in Threadline'
  const kind = SUBJECT_TYPES[type] ?? type.replace(/[-_]/g, ' ')
  const words = kind.charAt(0).toUpperCase() + kind.slice(1)
  return key ? `${words} ${key}` : words
}

const VERBS: Record<string, string> = {
  viewed: 'Viewed',
  listed: 'Listed',
  read: 'Read',
  searched: 'Searched',
  exported: 'Exported',
  created: 'Created',
  recorded: 'Recorded',
  considered: 'Recorded a consideration of',
  added: 'Added',
  changed: 'Changed',
  updated: 'Updated',
  removed: 'Removed',
  published: 'Published',
  withdrawn: 'Withdrew',
  imported: 'Imported',
  decided: 'Decided',
  assessed: 'Assessed',
  allocated: 'Allocated',
  reviewed: 'Reviewed',
  referred: 'Referred',
  verified: 'Verified',
  denied: 'Refused',
}

const ACTIONS: Record<string, string> = {
  'access.denied': 'Refused access',
  'user.signed-in': 'Signed in',
  'user.signed-out': 'Signed out',
  'user.sign-in-refused': 'Sign-in refused (not set up in Threadline)',
  'user.added': 'Added a user',
  'insight.profile_viewed': 'Viewed the problem profile',
}

const OBJECTS: Record<string, string> = {
  spo: 'Stalking Protection Order',
  sdash: 'S-DASH',
  feedback: 'victim feedback',
  assurance: '',
  safeguarding: '',
  investigation: '',
  victims: '',
  insight: '',
  screening: 'screening',
}

/** An audit action in words: 'assurance.feedback.viewed' reads "Viewed victim feedback". */
export function auditActionWords(action: string | null | undefined): string {
  if (!action) return ''
  if (ACTIONS[action]) return ACTIONS[action]
  const parts = action.split('.')
  const verb = parts.at(-1) ?? ''
  const object = parts
    .slice(0, -1)
    .map((part) => OBJECTS[part] ?? part.replace(/[-_]/g, ' '))
    .filter(Boolean)
    .join(' ')
  const said = VERBS[verb] ?? verb.replace(/[-_]/g, ' ')
  const text = object ? `${said} ${object}` : said
  return text.charAt(0).toUpperCase() + text.slice(1)
}

const IMPORT_FORMATS: Record<string, string> = {
  'seed-text': 'the converted table the plans were first published in',
  'html-wide': 'a web page with the plan as one table',
  'html-keyvalue': 'a web page with a table per recommendation',
  csv: 'CSV',
  xlsx: 'Excel workbook (XLSX)',
  ods: 'OpenDocument spreadsheet (ODS)',
  docx: 'Word document (DOCX)',
  pdf: 'PDF',
  json: "Threadline's plan interchange (JSON)",
}

/** A plan document's format in words: 'seed-text' reads "the converted table the plans were first published in". */
export function importFormatWords(format: string | null | undefined): string {
  if (!format) return ''
  return IMPORT_FORMATS[format] ?? format.toUpperCase()
}
