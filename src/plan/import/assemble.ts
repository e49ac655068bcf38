// Turns the rows every reader produces into a ParsedPlan: each item goes to the recommendation its number names,
// statuses and dates are normalised, and the result is compared with the recommendation catalogue.
import type { Catalogue } from '../catalogue/catalogue.ts'
import type { ImportWarning, ParsedPlan, PlanItem, PlanRecommendation, PlanUpdate } from '../model.ts'
import { PlanImportError } from '../model.ts'
import type { Meta, RowRecord, UpdateDraft } from './interpret.ts'
import { compareRefs, normaliseStatus, parseDate, parseDeadline } from './normalise.ts'

interface RecDraft {
  number: number
  text: string
  textLocation: string | null
  deadlineText: string | null
  location: string
  /** The document wrote this recommendation's number or text somewhere (not only an item number naming it). */
  declared: boolean
  items: Map<string, ItemDraft>
}

interface ItemDraft {
  ref: string
  requirement: string
  owner: string | null
  location: string
  updates: UpdateDraft[]
  documents: Array<{ name: string; url: string | null }>
}

export interface AssembleInput {
  format: string
  records: RowRecord[]
  meta: Partial<Meta>
  warnings: ImportWarning[]
  catalogue?: Catalogue | null
}

export function assemblePlan(input: AssembleInput): ParsedPlan {
  const warnings: ImportWarning[] = [...input.warnings]
  const recs = new Map<number, RecDraft>()
  const recDraft = (n: number, location: string): RecDraft => {
    let r = recs.get(n)
    if (!r) {
      r = { number: n, text: '', textLocation: null, deadlineText: null, location, declared: false, items: new Map() }
      recs.set(n, r)
    }
    return r
  }
  let block: number | null = null

  for (const row of input.records) {
    if (row.recNumber !== null) {
      block = row.recNumber
      const r = recDraft(row.recNumber, row.location)
      if (!r.declared) r.location = row.location
      r.declared = true
    }
    const refRec = row.ref ? Number(row.ref.split('.')[0]) : null
    if (row.recText) {
      const n = row.recNumber ?? refRec ?? block
      if (n === null) {
        throw new PlanImportError(
          'the row gives a recommendation\'s text but no recommendation number (expected a number such as 7 in the "Rec No." column)',
          row.location,
        )
      }
      const r = recDraft(n, row.location)
      r.declared = true
      if (!r.text) {
        r.text = row.recText
        r.textLocation = row.location
      } else if (r.text !== row.recText) {
        warnings.push({
          location: row.location,
          message: `recommendation ${n}'s text is given again here, differently; the text from ${r.textLocation} was kept`,
        })
      }
    }
    if (row.deadlineText && (row.recNumber ?? refRec ?? block) !== null) {
      recDraft((row.recNumber ?? refRec ?? block) as number, row.location).deadlineText ??= row.deadlineText
    }
    const hasItem = !!(row.requirement || row.updates.length || row.owner || row.documents.length)
    if (!row.ref) {
      if (hasItem) {
        const example = `${row.recNumber ?? block ?? 7}.1`
        throw new PlanImportError(
          `the row has an evidence requirement, owner or update but no evidence item number (expected a number such as "${example}" in the number column or at the start of the requirement)`,
          row.location,
        )
      }
      continue
    }
    if (row.recNumber !== null && refRec !== row.recNumber) {
      warnings.push({
        location: row.location,
        message: `evidence item ${row.ref} is in the row of recommendation ${row.recNumber} but its number names recommendation ${refRec}; it was placed under recommendation ${refRec}`,
      })
    }
    const r = recDraft(refRec as number, row.location)
    const existing = r.items.get(row.ref)
    if (!existing) {
      r.items.set(row.ref, {
        ref: row.ref,
        requirement: row.requirement ?? '',
        owner: row.owner,
        location: row.location,
        updates: [...row.updates],
        documents: [...row.documents],
      })
      continue
    }
    if (row.requirement && existing.requirement && row.requirement !== existing.requirement) {
      throw new PlanImportError(
        `evidence item ${row.ref} appears twice with different requirements (first at ${existing.location}); check the item numbers`,
        row.location,
      )
    }
    existing.requirement ||= row.requirement ?? ''
    if (row.owner && existing.owner && row.owner !== existing.owner) {
      warnings.push({
        location: row.location,
        message: `evidence item ${row.ref} is given a different owner ("${row.owner}") from ${existing.location} ("${existing.owner}"); the first was kept`,
      })
    }
    existing.owner ??= row.owner
    existing.updates.push(...row.updates)
    for (const d of row.documents) {
      if (!existing.documents.some((e) => e.name === d.name && e.url === d.url)) existing.documents.push(d)
    }
  }

  const anyDeclared = [...recs.values()].some((r) => r.declared)
  const recommendations: PlanRecommendation[] = []
  const recLocations = new Map<number, string>()
  const itemLocations = new Map<string, string>()
  for (const r of [...recs.values()].sort((a, b) => a.number - b.number)) {
    if (anyDeclared && !r.declared) {
      const first = [...r.items.values()][0]
      warnings.push({
        location: first?.location ?? r.location,
        message: `evidence item ${first?.ref ?? ''} names recommendation ${r.number}, which the document does not give; the item was kept under recommendation ${r.number}`,
      })
    }
    let deadline = r.text ? parseDeadline(r.text) : null
    if (!deadline && r.deadlineText) {
      deadline = parseDate(r.deadlineText)
      if (!deadline) {
        warnings.push({
          location: r.location,
          message: `deadline "${r.deadlineText}" is not a date the importer understands`,
        })
      }
    }
    recLocations.set(r.number, r.location)
    const items: PlanItem[] = [...r.items.values()]
      .sort((a, b) => compareRefs(a.ref, b.ref))
      .map((d) => {
        itemLocations.set(d.ref, d.location)
        return toItem(d, warnings)
      })
    recommendations.push({ number: r.number, text: r.text, deadline, items })
  }

  if (input.catalogue) checkCatalogue(recommendations, input.catalogue, recLocations, itemLocations, warnings)

  return {
    format: input.format,
    force: input.meta.force ?? null,
    executiveLead: input.meta.executiveLead ?? null,
    operationalLead: input.meta.operationalLead ?? null,
    title: input.meta.title ?? null,
    recommendations,
    warnings,
  }
}

function toItem(d: ItemDraft, warnings: ImportWarning[]): PlanItem {
  const updates: PlanUpdate[] = d.updates.map((u) => {
    const s = normaliseStatus(u.status)
    if (s?.problem) warnings.push({ location: u.location, message: s.problem })
    let date = u.date
    if (!date && u.dateText) {
      date = parseDate(u.dateText)
      if (!date) {
        warnings.push({
          location: u.location,
          message: `date "${u.dateText}" is not a date the importer understands (expected e.g. 20/11/2024, 27 March 2025 or November 2024); the update was kept without a date`,
        })
      }
    }
    return {
      date,
      heading: u.heading,
      text: u.text,
      status: s?.status ?? null,
      statusLabel: s?.statusLabel ?? null,
      percent: s?.percent ?? null,
    }
  })
  // Oldest first. Updates the document lists in date order stay as they are; when every update is dated, sort.
  if (updates.length > 1 && updates.every((u) => u.date)) {
    updates.sort((a, b) =>
      (a.date as string) < (b.date as string) ? -1 : (a.date as string) > (b.date as string) ? 1 : 0,
    )
  }
  const latest = updates[updates.length - 1]
  return {
    ref: d.ref,
    requirement: d.requirement,
    owner: d.owner,
    status: latest?.status ?? null,
    statusLabel: latest?.statusLabel ?? null,
    percent: latest?.percent ?? null,
    updates,
    documents: d.documents,
  }
}

function checkCatalogue(
  recommendations: PlanRecommendation[],
  catalogue: Catalogue,
  recLocations: Map<number, string>,
  itemLocations: Map<string, string>,
  warnings: ImportWarning[],
): void {
  const byNumber = new Map(catalogue.recommendations.map((r) => [r.number, r]))
  const present = new Set(recommendations.map((r) => r.number))
  for (const rec of recommendations) {
    const loc = recLocations.get(rec.number) ?? `recommendation ${rec.number}`
    const known = byNumber.get(rec.number)
    if (!known) {
      warnings.push({
        location: loc,
        message: `recommendation ${rec.number} is not one of the report's recommendations to forces in the catalogue`,
      })
      continue
    }
    if (rec.deadline && known.deadline && !known.deadline.startsWith(rec.deadline)) {
      warnings.push({
        location: loc,
        message: `recommendation ${rec.number}'s deadline is ${rec.deadline} in the document but ${known.deadline} in the report`,
      })
    }
    const knownRefs = new Set(known.evidence.map((e) => e.ref))
    for (const item of rec.items) {
      if (!knownRefs.has(item.ref)) {
        warnings.push({
          location: itemLocations.get(item.ref) ?? loc,
          message: `evidence item ${item.ref} is not in the catalogue (recommendation ${rec.number} has ${[...knownRefs].join(', ') || 'no numbered items'})`,
        })
      }
    }
    const refs = new Set(rec.items.map((i) => i.ref))
    const missing = known.evidence.filter((e) => !refs.has(e.ref)).map((e) => e.ref)
    if (missing.length) {
      warnings.push({
        location: loc,
        message: `recommendation ${rec.number} does not give evidence item${missing.length > 1 ? 's' : ''} ${missing.join(', ')} from the catalogue`,
      })
    }
  }
  for (const known of catalogue.recommendations) {
    if (!present.has(known.number)) {
      warnings.push({
        location: 'document',
        message: `recommendation ${known.number} of the report is missing from the document`,
      })
    }
  }
}
