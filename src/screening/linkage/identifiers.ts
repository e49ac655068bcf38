// Identifier normalisation: two parties that share a normalised identifier are strong candidates for the same person.
//
// Decisions (each returns null for a value that cannot identify anybody, so it is ignored rather than matched):
// - phone: digits only; +44 / 0044 / 44 international forms become the national 0 form (+44 7700 900123 ->
//   07700900123). Fewer than 10 digits, or a number made of one repeated digit, is not an identifier.
//   Shown as '07700 900123' (mobile 5+6 grouping) in reasons.
// - email: trimmed and lower-cased. For gmail.com and googlemail.com only, dots and any '+tag' in the local part are
//   dropped and the domain becomes gmail.com, because Google delivers all of those to one mailbox. Other providers'
//   dots are significant, so they are kept; '+tags' are kept too (not every provider supports sub-addressing).
// - social: lower-case handle without a leading '@' and without a profile URL prefix (https://instagram.com/jo.b ->
//   jo.b). Platforms are not distinguished: a handle reused across platforms is usually the same person.
// - vehicle: VRM upper-case with spaces and punctuation removed ('AB12 CDE' -> 'AB12CDE').
// - pnc: upper-case without spaces; the year/serial form '2019/0012345A' keeps its slash.
// - other kinds: trimmed, lower-case, inner whitespace collapsed.

export type NormalisedKind = 'phone' | 'email' | 'social' | 'vehicle' | 'pnc' | 'other'

export interface NormalisedIdentifier {
  kind: NormalisedKind
  /** Comparison value. */
  value: string
  /** How to show it in a reason. */
  display: string
}

export function normalisePhone(raw: string): string | null {
  let digits = raw.replace(/[^0-9+]/g, '')
  if (digits.startsWith('+')) digits = digits.slice(1).replace(/\+/g, '')
  else {
    digits = digits.replace(/\+/g, '')
    if (digits.startsWith('00')) digits = digits.slice(2)
    else if (digits.startsWith('0')) return validPhone(digits)
  }
  if (digits.startsWith('44')) {
    // +44 (0)7700 900123: drop the trunk 0 written in brackets.
    let national = digits.slice(2)
    if (national.startsWith('0')) national = national.slice(1)
    return validPhone('0' + national)
  }
  // A UK national number written without its leading 0 (7700900123), or a foreign number: keep the digits.
  if (digits.length === 10 && digits.startsWith('7')) return validPhone('0' + digits)
  return validPhone('+' + digits)
}

function validPhone(value: string): string | null {
  const digits = value.replace(/\D/g, '')
  if (digits.length < 10 || digits.length > 15) return null
  if (/^(\d)\1+$/.test(digits.replace(/^0/, ''))) return null
  return value
}

export function displayPhone(value: string): string {
  if (value.startsWith('07') && value.length === 11) return `${value.slice(0, 5)} ${value.slice(5)}`
  if (value.startsWith('02') && value.length === 11)
    return `${value.slice(0, 3)} ${value.slice(3, 7)} ${value.slice(7)}`
  if (value.startsWith('0') && value.length === 11) return `${value.slice(0, 5)} ${value.slice(5)}`
  return value
}

export function normaliseEmail(raw: string): string | null {
  const value = raw
    .trim()
    .toLowerCase()
    .replace(/^mailto:/, '')
  const at = value.lastIndexOf('@')
  if (at <= 0 || at === value.length - 1 || /\s/.test(value)) return null
  let local = value.slice(0, at)
  let domain = value.slice(at + 1)
  if (domain === 'gmail.com' || domain === 'googlemail.com') {
    local = local.replace(/\+.*$/, '').replace(/\./g, '')
    domain = 'gmail.com'
    if (local === '') return null
  }
  return `${local}@${domain}`
}

export function normaliseSocial(raw: string): string | null {
  const value = raw
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^(www\.|m\.)/, '')
    .replace(/^[a-z0-9.-]+\.(com|net|org|co\.uk|me|app)\/(@)?/, '')
    .replace(/^@+/, '')
    .replace(/[/?#].*$/, '')
  return value === '' ? null : value
}

export function normaliseVehicle(raw: string): string | null {
  const value = raw.toUpperCase().replace(/[^A-Z0-9]/g, '')
  return value.length < 2 ? null : value
}

export function normalisePnc(raw: string): string | null {
  const value = raw.toUpperCase().replace(/\s+/g, '')
  return value === '' ? null : value
}

function normaliseOther(raw: string): string | null {
  const value = raw.trim().toLowerCase().replace(/\s+/g, ' ')
  return value === '' ? null : value
}

/** Normalises one identifier; null when it is empty or cannot identify anybody. Unknown kinds count as 'other'. */
export function normaliseIdentifier(kind: string, raw: string): NormalisedIdentifier | null {
  if (typeof raw !== 'string') return null
  switch (kind) {
    case 'phone': {
      const value = normalisePhone(raw)
      return value === null ? null : { kind, value, display: displayPhone(value) }
    }
    case 'email': {
      const value = normaliseEmail(raw)
      return value === null ? null : { kind, value, display: value }
    }
    case 'social': {
      const value = normaliseSocial(raw)
      return value === null ? null : { kind, value, display: `@${value}` }
    }
    case 'vehicle': {
      const value = normaliseVehicle(raw)
      return value === null ? null : { kind, value, display: value }
    }
    case 'pnc': {
      const value = normalisePnc(raw)
      return value === null ? null : { kind, value, display: value }
    }
    default: {
      const value = normaliseOther(raw)
      return value === null ? null : { kind: 'other', value, display: value }
    }
  }
}

/** The key two parties must share for the identifier to count as shared: 'phone:07700900123'. */
export function identifierKey(id: NormalisedIdentifier): string {
  return `${id.kind}:${id.value}`
}

/** The inverse of identifierKey (for reasons): kind, value and display form. */
export function parseIdentifierKey(key: string): NormalisedIdentifier {
  const colon = key.indexOf(':')
  const kind = key.slice(0, colon) as NormalisedKind
  const value = key.slice(colon + 1)
  const display = kind === 'phone' ? displayPhone(value) : kind === 'social' ? `@${value}` : value
  return { kind, value, display }
}
