// The action plan's domain logic: importing a document into a force's plan (one transaction, idempotent, adding to
// history), keeping it current (updates, owners, documents), publishing, and reading it back for pages and exports.
import { safeLink } from '../../platform/links.ts'
import { parseDateParts } from '../../platform/dateInput.ts'
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Kysely, Transaction } from 'kysely'
import { z } from 'zod'
import type { Config } from '../../config.ts'
import type { PlanDatabase as Database } from '../data/tables.ts'
import { actorInForce, type ActorContext, type AuditService } from '../../platform/services/auditService.ts'
import { findForceByName, forceCodeOf, insertForce, type ForceRef } from '../../platform/data/forces.ts'
import { catalogueAsPlan, loadCatalogue, type Catalogue } from '../catalogue/catalogue.ts'
import { latestUpdateDate, type ExportablePlan } from '../interchange.ts'
import type { ImportWarning, ParsedPlan, PlanItem, PlanStatus } from '../model.ts'
import {
  formatPercent,
  itemProgress,
  planProgress,
  PROGRESS_METHOD,
  recommendationProgress,
  ukDate,
  type AggregateProgress,
  type ItemProgress,
} from '../progress.ts'
import type { ApprovalKind } from '../data/tables.ts'
import type {
  ApprovedChangeRow,
  CorrectionRow,
  DocumentRow,
  HeldImportRow,
  ImportRow,
  ItemRow,
  OwnerChangeRow,
  PlanRepository,
  PlanRow,
  RecommendationRow,
  UpdateRow,
} from '../data/planRepository.ts'
import { checkDocument, type CheckedDocument } from './documentCheck.ts'
import { isOverdue, isPlanStatus, labelFor, precisionOf, recommendationStatus } from './status.ts'

export type { ApprovalKind } from '../data/tables.ts'

/** A request the user can correct: the message says what and where. */
export class PlanInputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PlanInputError'
  }
}

export class PlanNotFoundError extends Error {
  readonly status = 404
  constructor(message: string) {
    super(message)
    this.name = 'PlanNotFoundError'
  }
}

export type { ForceRef }

export interface ImportOptions {
  fileName: string
  /** sha256 hex of the file's bytes. */
  checksum: string
  /** Import into this force (the web page: the user's own force). */
  forceId?: number
  /** Import into the force with this name or code, created if new (the CLI's --force); else the document's force. */
  forceName?: string
  /** Work out what would change, then roll everything back. */
  dryRun?: boolean
  /** Where the document was fetched from (plan harvest). */
  sourceUrl?: string | null
  /** Held as a draft for approval even when the plan is not published (a harvested document is the force's to approve). */
  hold?: boolean
  /** Internal: the import is being applied by an approval, so it is not held again. */
  approving?: boolean
}

/** One field an import would change, for the confirmation page: exactly what, from what, to what. */
export interface FieldChange {
  /** "Plan", "Recommendation 7" or "Evidence item 7.1". */
  where: string
  field: string
  from: string | null
  to: string | null
}

export interface ImportResult {
  format: string
  force: ForceRef
  forceCreated: boolean
  planCreated: boolean
  /** Set when this very file was imported into the plan before: nothing was written. */
  alreadyImported: { importedAt: string; importedBy: string } | null
  dryRun: boolean
  document: { recommendations: number; items: number; updates: number }
  recommendationsAdded: number
  itemsAdded: number
  updatesAdded: number
  updatesAlreadyHeld: number
  ownerChanges: number
  documentsAdded: number
  /** Requirement, recommendation, deadline and plan header changes. */
  detailsChanged: number
  warnings: ImportWarning[]
  /** Every field the import changes (or would), one by one. */
  changes: FieldChange[]
  /** Why the import needs an explicit confirmation: it names another force, or replaces the plan's leads. */
  confirmationReasons: string[]
  /** Set when the plan is published: the import is held as a draft until approved. */
  held: { id: number; heldAt: string } | null
}

export interface UpdateView {
  id: number
  date: string | null
  datePrecision: string | null
  heading: string | null
  text: string
  status: PlanStatus | null
  statusLabel: string | null
  percent: number | null
  source: string
  createdBy: string
  createdAt: string
  /** Not yet approved: seen by the force, never on the public page. */
  draft: boolean
  /** When the update was approved (ISO timestamp), null while a draft. */
  approvedAt: string | null
  /** Set when the text, date, status or % shown are a correction's: when it was corrected, and why. */
  correctedOn: string | null
  correctionReason: string | null
  /** A correction waiting for approval (the force sees it; the public page still shows the approved version). */
  correctionDraft: boolean
  /** Every version, oldest first: the update as first recorded, then each correction. */
  versions: {
    kind: 'original' | 'correction'
    id: number
    date: string | null
    text: string
    statusLabel: string | null
    percent: number | null
    reason: string | null
    by: string
    at: string
    draft: boolean
  }[]
}

export interface DocumentView {
  id: number
  name: string
  url: string | null
  /** Where Threadline serves an uploaded file (signed-in path); null for a link. */
  href: string | null
  checksum: string | null
  mediaType: string | null
  size: number | null
  uploadedBy: string
  uploadedAt: string
  draft: boolean
}

export interface ItemView {
  id: number
  ref: string
  requirement: string
  owner: string | null
  status: PlanStatus | null
  statusLabel: string | null
  percent: number | null
  progress: ItemProgress
  percentText: string
  updates: UpdateView[]
  documents: DocumentView[]
  ownerChanges: (OwnerChangeRow & { draft: boolean })[]
  /** Drafts waiting for approval on this item (updates, corrections, owner changes, documents). */
  draftCount: number
}

export interface RecommendationView {
  id: number
  number: number
  text: string
  deadline: string | null
  status: PlanStatus | null
  progress: AggregateProgress
  percentText: string
  owners: string[]
  overdue: boolean
  items: ItemView[]
}

export interface PlanView {
  plan: PlanRow
  force: ForceRef
  title: string | null
  executiveLead: string | null
  operationalLead: string | null
  published: boolean
  publishedAt: string | null
  lastUpdated: string | null
  progress: AggregateProgress
  percentText: string
  method: string
  overdueCount: number
  recommendations: RecommendationView[]
  imports: (ImportRow & { warningList: ImportWarning[] })[]
  /** 'force': everything, drafts marked; 'public': only approved content. */
  audience: PlanAudience
  /** When the plan's content was last approved (ISO timestamp), null if never. */
  lastApprovedAt: string | null
  /** Drafts waiting for approval, across the plan (0 on the public view). */
  draftCount: number
  heldImports: HeldImportRow[]
}

export type PlanAudience = 'force' | 'public'

/** A draft waiting for approval, as the approvals page lists it. */
export interface DraftView {
  kind: ApprovalKind
  id: number
  ref: string | null
  summary: string
  detail: string | null
  by: string
  at: string
}

export const approvalInputSchema = z.object({
  comment: z
    .string({ error: 'Enter a comment for the approval' })
    .trim()
    .min(1, { error: 'Enter a comment for the approval' })
    .max(2000, { error: 'The comment must be 2,000 characters or fewer' }),
})

export const correctionReasonSchema = z
  .string({ error: 'Enter the reason for the correction' })
  .trim()
  .min(1, { error: 'Enter the reason for the correction' })
  .max(2000, { error: 'The reason must be 2,000 characters or fewer' })

export interface NationalRow {
  force: ForceRef
  published: boolean
  lastUpdated: string | null
  percentText: string
  progress: AggregateProgress
  overdueCount: number
  cells: Record<number, { status: PlanStatus | null; percent: number | null; percentText: string; overdue: boolean }>
}

export interface NationalView {
  numbers: number[]
  rows: NationalRow[]
  method: string
  notUpdatedSince: string | null
  totalForces: number
}

const dateInput = z
  .object({
    // A whole date typed into one field reads too (27/03/2025, 27 March 2025): the one parser, as every form.
    day: z.string().trim().max(30).default(''),
    month: z.string().trim().max(30).default(''),
    year: z.string().trim().max(30).default(''),
  })
  .default({ day: '', month: '', year: '' })

/** A new update as a person enters it. Field names match the form's, so errors point at the right field. */
export const updateInputSchema = z
  .object({
    text: z
      .string({ error: 'Enter the update' })
      .trim()
      .min(1, { error: 'Enter the update' })
      .max(20000, { error: 'The update must be 20,000 characters or fewer' }),
    status: z.enum(['not_started', 'in_progress', 'complete'], { error: 'Select the status' }),
    percent: z
      .union([z.string(), z.number()])
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value === '') return null
        const n = typeof value === 'number' ? value : Number(value.trim().replace(/%$/, ''))
        if (!Number.isInteger(n) || n < 0 || n > 100) {
          ctx.addIssue({ code: 'custom', message: 'Enter the % as a whole number from 0 to 100' })
          return z.NEVER
        }
        return n
      }),
    date: dateInput,
  })
  .transform((input, ctx) => {
    let date: string
    const parsed = parseDateParts(input.date, { allowMonth: true, label: 'The date' })
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', path: ['date'], message: parsed.message })
      return z.NEVER
    }
    if (parsed.value === null) date = ukDate(new Date())
    else {
      date = parsed.value
      if (date > ukDate(new Date())) {
        ctx.addIssue({ code: 'custom', path: ['date'], message: 'The date of the update must be today or in the past' })
        return z.NEVER
      }
    }
    let percent = input.percent
    if (input.status === 'complete') {
      if (percent !== null && percent !== 100) {
        ctx.addIssue({
          code: 'custom',
          path: ['percent'],
          message: 'A complete item is 100%: leave % blank or enter 100',
        })
        return z.NEVER
      }
      percent = 100
    }
    if (input.status === 'not_started' && percent !== null && percent !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['percent'],
        message: 'An item not started is 0%: leave % blank or enter 0',
      })
      return z.NEVER
    }
    return { text: input.text, status: input.status as PlanStatus, percent, date }
  })

export type UpdateInput = z.output<typeof updateInputSchema>

export const ownerInputSchema = z.object({
  owner: z
    .string({ error: 'Enter the new owner' })
    .trim()
    .min(1, { error: 'Enter the new owner' })
    .max(200, { error: 'The owner must be 200 characters or fewer' }),
})

export function textHash(text: string): string {
  return createHash('sha256').update(text.replace(/\s+/g, ' ').trim()).digest('hex')
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex')
}

function compareRefs(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0 && !Number.isNaN(d)) return d
  }
  return a.localeCompare(b)
}

/** Oldest first: undated updates first, then by date, then in the order they were recorded. */
function compareUpdates(a: { date: string | null; id: number }, b: { date: string | null; id: number }): number {
  const da = a.date ?? ''
  const db = b.date ?? ''
  return da < db ? -1 : da > db ? 1 : a.id - b.id
}

function maxDate(dates: (string | null)[]): string | null {
  return dates.reduce<string | null>((latest, d) => (d !== null && (latest === null || d > latest) ? d : latest), null)
}

/** When each approved draft ('kind:id') was approved. */
function approvalTimes(approvals: { id: number; approved_at: string }[], approved: ApprovedChangeRow[]) {
  const at = new Map(approvals.map((a) => [a.id, a.approved_at]))
  return new Map(approved.map((a) => [`${a.kind}:${a.row_id}`, at.get(a.approval_id) ?? '']))
}

function asStatus(value: string | null): PlanStatus | null {
  return isPlanStatus(value) ? value : null
}

/** Thrown inside a dry-run transaction to roll it back, carrying the result out. */
class DryRun extends Error {
  constructor(readonly result: ImportResult) {
    super('dry run')
  }
}

/** Thrown inside an import into a published plan: rolled back, then held for approval. */
class Held extends Error {
  constructor(readonly result: ImportResult) {
    super('held for approval')
  }
}

/** Whether a name a document gives is this force ("Northamptonshire" is Northamptonshire Police). */
export function sameForce(named: string, force: ForceRef): boolean {
  return named === force.name || forceCodeOf(named) === force.code || named.toLowerCase() === force.code
}

/** How long an import preview's document is kept for its confirmation. */
const PREVIEW_KEPT_MS = 24 * 60 * 60 * 1000

export class PlanService {
  private catalogueCache: Catalogue | null = null

  constructor(
    private readonly db: Kysely<Database>,
    private readonly repository: PlanRepository,
    private readonly audit: AuditService,
    private readonly config: Pick<Config, 'uploadDir'>,
  ) {}

  catalogue(): Catalogue {
    this.catalogueCache ??= loadCatalogue()
    return this.catalogueCache
  }

  // ---------------------------------------------------------------------------------------------- forces and plans

  async forceByCode(code: string): Promise<ForceRef | undefined> {
    const row = await this.db
      .selectFrom('forces')
      .select(['id', 'name', 'code'])
      .where('code', '=', code.toLowerCase())
      .executeTakeFirst()
    return row
  }

  async forceById(id: number): Promise<ForceRef | undefined> {
    return this.db.selectFrom('forces').select(['id', 'name', 'code']).where('id', '=', id).executeTakeFirst()
  }

  /** A force by its name or code, or by the code its name would have ("Northamptonshire" finds "Northamptonshire Police"). */
  async findForce(name: string, db: Kysely<Database> = this.db): Promise<ForceRef | undefined> {
    return findForceByName(db, name)
  }

  async listPlans(options: { publishedOnly?: boolean } = {}) {
    return this.repository.listPlans(options)
  }

  async hasPlan(forceId: number): Promise<boolean> {
    return (await this.repository.planByForce(forceId)) !== undefined
  }

  // ------------------------------------------------------------------------------------------------------- import

  /** Imports a parsed document into a force's plan in one transaction. Nothing is written when it fails. */
  async importParsed(actor: ActorContext, parsed: ParsedPlan, options: ImportOptions): Promise<ImportResult> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const before = await this.resolveExistingPlan(trx, parsed, options)
        const result = await this.merge(trx, actor, parsed, {
          ...options,
          source: `import:${options.checksum}`,
        })
        if (options.dryRun) throw new DryRun(result)
        // Into a published plan, an import is a draft: held, unapplied, until a user with plan:approve approves it.
        const held = before && (before.published === 1 || options.hold)
        if (held && !options.approving && !result.alreadyImported) throw new Held(result)
        return result
      })
    } catch (error) {
      if (error instanceof DryRun) return error.result
      if (error instanceof Held) return this.holdImport(actor, parsed, options, error.result)
      throw error
    }
  }

  /** The plan an import would go into, if the force and plan exist already. */
  private async resolveExistingPlan(
    trx: Transaction<Database>,
    parsed: ParsedPlan,
    options: ImportOptions,
  ): Promise<PlanRow | undefined> {
    const force =
      options.forceId !== undefined
        ? await trx
            .selectFrom('forces')
            .select(['id', 'name', 'code'])
            .where('id', '=', options.forceId)
            .executeTakeFirst()
        : await this.findForce(options.forceName?.trim() || parsed.force?.trim() || '', trx)
    return force ? this.repository.planByForce(force.id, trx) : undefined
  }

  /** Keeps an import into a published plan as a draft; the same document already held is not held twice. */
  private async holdImport(
    actor: ActorContext,
    parsed: ParsedPlan,
    options: ImportOptions,
    result: ImportResult,
  ): Promise<ImportResult> {
    const plan = (await this.repository.planByForce(result.force.id))!
    const now = new Date().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const already = (await this.repository.heldImports(plan.id, 'held', trx)).find(
        (h) => h.checksum === options.checksum,
      )
      if (already) return { ...result, held: { id: already.id, heldAt: already.held_at } }
      const id = await this.repository.insertHeldImport(trx, {
        plan_id: plan.id,
        file_name: options.fileName,
        checksum: options.checksum,
        format: parsed.format,
        parsed: JSON.stringify(parsed),
        source_url: options.sourceUrl ?? null,
        state: 'held',
        held_by: actor.actorUsername,
        held_at: now,
        decided_by: null,
        decided_at: null,
      })
      await this.audit.record(trx, actorInForce(actor, result.force.id), {
        action: 'plan.import-held',
        subjectType: 'plan',
        subjectId: plan.id,
        details: {
          heldImportId: id,
          fileName: options.fileName,
          checksum: options.checksum,
          sourceUrl: options.sourceUrl ?? null,
          changes: result.changes.length,
        },
      })
      return { ...result, held: { id, heldAt: now } }
    })
  }

  /** Starts a force's plan from the report's recommendation catalogue: every recommendation and item, not started. */
  async startFromCatalogue(actor: ActorContext, forceId: number): Promise<ImportResult> {
    const force = await this.forceById(forceId)
    if (!force) throw new PlanNotFoundError('No such force')
    if (await this.repository.planByForce(forceId)) {
      throw new PlanInputError(`${force.name} already has a plan: import a document to add to it`)
    }
    const parsed = catalogueAsPlan(this.catalogue(), force.name)
    return this.db.transaction().execute((trx) =>
      this.merge(trx, actor, parsed, {
        fileName: 'Recommendation catalogue',
        checksum: '',
        forceId,
        source: 'catalogue',
      }),
    )
  }

  private async resolveForce(
    trx: Transaction<Database>,
    actor: ActorContext,
    parsed: ParsedPlan,
    options: ImportOptions,
    warnings: ImportWarning[],
  ): Promise<{ force: ForceRef; created: boolean }> {
    if (options.forceId !== undefined) {
      const force = await trx
        .selectFrom('forces')
        .select(['id', 'name', 'code'])
        .where('id', '=', options.forceId)
        .executeTakeFirst()
      if (!force) throw new PlanNotFoundError('No such force')
      this.warnIfOtherForce(parsed, force, warnings)
      return { force, created: false }
    }
    const name = options.forceName?.trim() || parsed.force?.trim()
    if (!name) {
      throw new PlanInputError(
        `${options.fileName} does not say which force's plan it is: give the force, e.g. --force "Northamptonshire Police"`,
      )
    }
    const existing = await this.findForce(name, trx)
    if (existing) {
      if (options.forceName) this.warnIfOtherForce(parsed, existing, warnings)
      return { force: existing, created: false }
    }
    const id = await insertForce(trx, name)
    const force = (await findForceByName(trx, name))!
    await this.audit.record(trx, actor, {
      action: 'force.created',
      subjectType: 'force',
      subjectId: id,
      forceId: id,
      details: { name, by: 'plan import' },
    })
    if (options.forceName) this.warnIfOtherForce(parsed, force, warnings)
    return { force, created: true }
  }

  private warnIfOtherForce(parsed: ParsedPlan, force: ForceRef, warnings: ImportWarning[]): void {
    const named = parsed.force?.trim()
    if (!named || parsed.format === 'catalogue') return
    if (sameForce(named, force)) return
    warnings.push({
      location: 'document',
      message: `the document names the force "${named}" but was imported into the plan of ${force.name}`,
    })
  }

  private async merge(
    trx: Transaction<Database>,
    actor: ActorContext,
    parsed: ParsedPlan,
    options: ImportOptions & { source: string },
  ): Promise<ImportResult> {
    const warnings: ImportWarning[] = [...parsed.warnings]
    const { force, created: forceCreated } = await this.resolveForce(trx, actor, parsed, options, warnings)
    // A CLI import's rows concern the force whose plan it is (its administrators see them).
    actor = actorInForce(actor, force.id)
    const now = new Date().toISOString()
    const document = {
      recommendations: parsed.recommendations.length,
      items: parsed.recommendations.reduce((n, r) => n + r.items.length, 0),
      updates: parsed.recommendations.reduce((n, r) => n + r.items.reduce((m, i) => m + i.updates.length, 0), 0),
    }
    const result: ImportResult = {
      format: parsed.format,
      force,
      forceCreated,
      planCreated: false,
      alreadyImported: null,
      dryRun: options.dryRun ?? false,
      document,
      recommendationsAdded: 0,
      itemsAdded: 0,
      updatesAdded: 0,
      updatesAlreadyHeld: 0,
      ownerChanges: 0,
      documentsAdded: 0,
      detailsChanged: 0,
      warnings,
      changes: [],
      confirmationReasons: [],
      held: null,
    }
    const named = parsed.force?.trim()
    if (named && parsed.format !== 'catalogue' && !sameForce(named, force)) {
      result.confirmationReasons.push(`the document names the force "${named}", not ${force.name}`)
    }

    let plan = await this.repository.planByForce(force.id, trx)
    if (plan && options.checksum) {
      const before = await this.repository.importByChecksum(plan.id, options.checksum, trx)
      if (before) {
        result.alreadyImported = { importedAt: before.imported_at, importedBy: before.imported_by }
        result.updatesAlreadyHeld = document.updates
        return result
      }
    }
    if (!plan) {
      const id = await this.repository.insertPlan(trx, {
        force_id: force.id,
        title: parsed.title,
        executive_lead: parsed.executiveLead,
        operational_lead: parsed.operationalLead,
        published: 0,
        published_at: null,
        origin: parsed.format,
        created_at: now,
        updated_at: now,
      })
      plan = (await this.repository.planByForce(force.id, trx))!
      result.planCreated = true
      await this.audit.record(trx, actor, {
        action: 'plan.created',
        subjectType: 'plan',
        subjectId: id,
        details: { force: force.name, origin: parsed.format },
      })
    } else {
      const header: Partial<Record<'title' | 'executive_lead' | 'operational_lead', string>> = {}
      if (parsed.title && parsed.title !== plan.title) header.title = parsed.title
      if (parsed.executiveLead && parsed.executiveLead !== plan.executive_lead)
        header.executive_lead = parsed.executiveLead
      if (parsed.operationalLead && parsed.operationalLead !== plan.operational_lead)
        header.operational_lead = parsed.operationalLead
      const names = { title: 'Title', executive_lead: 'Executive lead', operational_lead: 'Operational lead' } as const
      for (const key of Object.keys(header) as (keyof typeof header)[]) {
        result.changes.push({ where: 'Plan', field: names[key], from: plan[key], to: header[key] ?? null })
        if (key !== 'title' && plan[key]) {
          result.confirmationReasons.push(
            `it replaces the ${names[key].toLowerCase()} "${plan[key]}" with "${header[key]}"`,
          )
        }
      }
      if (Object.keys(header).length > 0) {
        await this.repository.updatePlan(trx, plan.id, header)
        result.detailsChanged += Object.keys(header).length
      }
    }
    const planId = plan.id

    const recommendations = new Map((await this.repository.recommendations(planId, trx)).map((r) => [r.number, r]))
    const items = new Map((await this.repository.items(planId, trx)).map((i) => [i.ref, i]))
    const heldUpdates = new Map<number, UpdateRow[]>()
    for (const update of await this.repository.updates(planId, trx)) {
      const list = heldUpdates.get(update.item_id) ?? []
      list.push(update)
      heldUpdates.set(update.item_id, list)
    }
    const heldDocuments = new Map<number, DocumentRow[]>()
    for (const doc of await this.repository.documents(planId, trx)) {
      const list = heldDocuments.get(doc.item_id) ?? []
      list.push(doc)
      heldDocuments.set(doc.item_id, list)
    }

    for (const rec of parsed.recommendations) {
      let recRow: RecommendationRow | undefined = recommendations.get(rec.number)
      if (!recRow) {
        const id = await this.repository.insertRecommendation(trx, {
          plan_id: planId,
          number: rec.number,
          text: rec.text,
          deadline: rec.deadline,
          deadline_precision: precisionOf(rec.deadline),
        })
        recRow = {
          id,
          plan_id: planId,
          number: rec.number,
          text: rec.text,
          deadline: rec.deadline,
          deadline_precision: precisionOf(rec.deadline),
        }
        recommendations.set(rec.number, recRow)
        result.recommendationsAdded++
        result.changes.push({ where: `Recommendation ${rec.number}`, field: 'Added', from: null, to: rec.text })
      } else {
        const changes: { text?: string; deadline?: string; deadline_precision?: ReturnType<typeof precisionOf> } = {}
        const where = `Recommendation ${rec.number}`
        if (rec.text.trim() && rec.text !== recRow.text) {
          changes.text = rec.text
          result.changes.push({ where, field: 'Text', from: recRow.text, to: rec.text })
        }
        if (rec.deadline && rec.deadline !== recRow.deadline) {
          changes.deadline = rec.deadline
          changes.deadline_precision = precisionOf(rec.deadline)
          result.changes.push({ where, field: 'Deadline', from: recRow.deadline, to: rec.deadline })
        }
        if (Object.keys(changes).length > 0) {
          await this.repository.updateRecommendation(trx, recRow.id, changes)
          result.detailsChanged++
        }
      }
      for (const item of rec.items) {
        await this.mergeItem(
          trx,
          planId,
          recRow.id,
          item,
          items,
          heldUpdates,
          heldDocuments,
          options,
          actor,
          result,
          now,
        )
      }
    }

    const changed =
      result.planCreated ||
      result.recommendationsAdded + result.itemsAdded + result.updatesAdded + result.ownerChanges > 0 ||
      result.documentsAdded + result.detailsChanged > 0
    if (changed) await this.repository.updatePlan(trx, planId, { updated_at: now })
    if (options.source !== 'catalogue') {
      await this.repository.insertImport(trx, {
        plan_id: planId,
        file_name: options.fileName,
        checksum: options.checksum,
        format: parsed.format,
        warnings: JSON.stringify(warnings),
        updates_added: result.updatesAdded,
        imported_by: actor.actorUsername,
        imported_at: now,
        source_url: options.sourceUrl ?? null,
      })
    }
    await this.audit.record(trx, actor, {
      action: options.source === 'catalogue' ? 'plan.started-from-catalogue' : 'plan.imported',
      subjectType: 'plan',
      subjectId: planId,
      details: {
        force: force.name,
        fileName: options.fileName,
        checksum: options.checksum || null,
        format: parsed.format,
        recommendationsAdded: result.recommendationsAdded,
        itemsAdded: result.itemsAdded,
        updatesAdded: result.updatesAdded,
        updatesAlreadyHeld: result.updatesAlreadyHeld,
        ownerChanges: result.ownerChanges,
        documentsAdded: result.documentsAdded,
        detailsChanged: result.detailsChanged,
        warnings: warnings.length,
      },
    })
    return result
  }

  private async mergeItem(
    trx: Transaction<Database>,
    planId: number,
    recommendationId: number,
    item: PlanItem,
    items: Map<string, ItemRow>,
    heldUpdates: Map<number, UpdateRow[]>,
    heldDocuments: Map<number, DocumentRow[]>,
    options: ImportOptions & { source: string },
    actor: ActorContext,
    result: ImportResult,
    now: string,
  ): Promise<void> {
    let row = items.get(item.ref)
    let isNew = false
    if (!row) {
      const id = await this.repository.insertItem(trx, {
        plan_id: planId,
        recommendation_id: recommendationId,
        ref: item.ref,
        requirement: item.requirement,
        owner: item.owner,
        status: item.status,
        status_label: item.statusLabel,
        percent: item.percent,
        public_owner: null,
        public_status: null,
        public_status_label: null,
        public_percent: null,
        public_at: null,
      })
      row = {
        id,
        plan_id: planId,
        recommendation_id: recommendationId,
        ref: item.ref,
        requirement: item.requirement,
        owner: item.owner,
        status: item.status,
        status_label: item.statusLabel,
        percent: item.percent,
        public_owner: null,
        public_status: null,
        public_status_label: null,
        public_percent: null,
        public_at: null,
      }
      items.set(item.ref, row)
      result.itemsAdded++
      result.changes.push({ where: `Evidence item ${item.ref}`, field: 'Added', from: null, to: item.requirement })
      isNew = true
    } else {
      const changes: Partial<Pick<ItemRow, 'requirement' | 'recommendation_id' | 'owner'>> = {}
      const where = `Evidence item ${item.ref}`
      if (item.requirement.trim() && item.requirement !== row.requirement) {
        changes.requirement = item.requirement
        result.changes.push({ where, field: 'Requirement', from: row.requirement, to: item.requirement })
      }
      if (row.recommendation_id !== recommendationId) changes.recommendation_id = recommendationId
      if (item.owner && item.owner !== row.owner) {
        result.changes.push({ where, field: 'Owner', from: row.owner, to: item.owner })
        changes.owner = item.owner
        await this.repository.insertOwnerChange(trx, {
          item_id: row.id,
          previous_owner: row.owner,
          new_owner: item.owner,
          source: options.source,
          changed_by: actor.actorUsername,
          changed_at: now,
        })
        result.ownerChanges++
      }
      if (changes.requirement || changes.recommendation_id) result.detailsChanged++
      if (Object.keys(changes).length > 0) {
        await this.repository.updateItem(trx, row.id, changes)
        row = { ...row, ...changes }
        items.set(item.ref, row)
      }
    }

    const held = heldUpdates.get(row.id) ?? []
    const storedLatest = maxDate(held.map((u) => u.date))
    const keys = new Set(held.map((u) => `${u.date ?? ''}|${u.text_hash}`))
    for (const update of item.updates) {
      const hash = textHash(update.text)
      const key = `${update.date ?? ''}|${hash}`
      if (keys.has(key)) {
        result.updatesAlreadyHeld++
        continue
      }
      keys.add(key)
      result.changes.push({
        where: `Evidence item ${row.ref}`,
        field: `New update${update.date ? ` dated ${update.date}` : ''}`,
        from: null,
        to: update.text,
      })
      await this.repository.insertUpdate(trx, {
        item_id: row.id,
        date: update.date,
        date_precision: precisionOf(update.date),
        heading: update.heading,
        text: update.text,
        text_hash: hash,
        status: update.status,
        status_label: update.statusLabel,
        percent: update.percent,
        source: options.source,
        created_by: actor.actorUsername,
        created_at: now,
      })
      result.updatesAdded++
    }

    // The item's current status follows the document unless Threadline already holds a later dated update.
    const documentLatest = maxDate(item.updates.map((u) => u.date))
    const documentIsCurrent =
      isNew || storedLatest === null || (documentLatest !== null && documentLatest >= storedLatest)
    const hasStatus = item.status !== null || item.statusLabel !== null || item.percent !== null
    if (!isNew && documentIsCurrent && hasStatus) {
      if (item.status !== row.status || item.statusLabel !== row.status_label || item.percent !== row.percent) {
        const show = (label: string | null, status: string | null, percent: number | null) =>
          label ?? status ?? (percent === null ? null : `${percent}%`)
        result.changes.push({
          where: `Evidence item ${row.ref}`,
          field: 'Status',
          from: show(row.status_label, row.status, row.percent),
          to: show(item.statusLabel, item.status, item.percent),
        })
        await this.repository.updateItem(trx, row.id, {
          status: item.status,
          status_label: item.statusLabel,
          percent: item.percent,
        })
        items.set(item.ref, { ...row, status: item.status, status_label: item.statusLabel, percent: item.percent })
        result.detailsChanged++
      }
    }

    const docs = heldDocuments.get(row.id) ?? []
    for (const doc of item.documents) {
      if (docs.some((d) => d.name === doc.name && d.url === doc.url)) continue
      result.changes.push({ where: `Evidence item ${row.ref}`, field: 'New document', from: null, to: doc.name })
      await this.repository.insertDocument(trx, {
        item_id: row.id,
        name: doc.name,
        url: doc.url,
        stored_path: null,
        checksum: doc.checksum ?? null,
        media_type: doc.mediaType ?? null,
        size: doc.size ?? null,
        source: options.source,
        uploaded_by: actor.actorUsername,
        uploaded_at: now,
      })
      docs.push({ name: doc.name, url: doc.url } as DocumentRow)
      result.documentsAdded++
    }
    heldDocuments.set(row.id, docs)
  }

  // ---------------------------------------------------------------------------------------------- keeping current

  private async editableItem(forceId: number, ref: string): Promise<{ plan: PlanRow; item: ItemRow }> {
    const plan = await this.repository.planByForce(forceId)
    if (!plan) throw new PlanNotFoundError('This force has no plan yet')
    const item = await this.repository.itemByRef(plan.id, ref)
    if (!item) throw new PlanNotFoundError(`The plan has no evidence item ${ref}`)
    return { plan, item }
  }

  /** Adds a dated update to an item's history; it becomes the item's current status unless a later update exists. */
  async addUpdate(actor: ActorContext, forceId: number, ref: string, input: UpdateInput): Promise<number> {
    const { plan, item } = await this.editableItem(forceId, ref)
    const now = new Date().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const held = await this.repository.updatesOfItem(item.id, trx)
      const latest = maxDate(held.map((u) => u.date))
      const statusLabel = labelFor(input.status, input.percent)
      const id = await this.repository.insertUpdate(trx, {
        item_id: item.id,
        date: input.date,
        date_precision: precisionOf(input.date),
        heading: null,
        text: input.text,
        text_hash: textHash(input.text),
        status: input.status,
        status_label: statusLabel,
        percent: input.percent,
        source: actor.actorId !== null ? `user:${actor.actorId}` : `user:${actor.actorUsername}`,
        created_by: actor.actorUsername,
        created_at: now,
      })
      const current = latest === null || input.date >= latest
      if (current) {
        await this.repository.updateItem(trx, item.id, {
          status: input.status,
          status_label: statusLabel,
          percent: input.percent,
        })
      }
      await this.repository.updatePlan(trx, plan.id, { updated_at: now })
      await this.audit.record(trx, actorInForce(actor, forceId), {
        action: 'plan.update-added',
        subjectType: 'plan-item',
        subjectId: item.id,
        details: {
          planId: plan.id,
          ref,
          updateId: id,
          date: input.date,
          status: input.status,
          percent: input.percent,
          becameCurrent: current,
        },
      })
      return id
    })
  }

  /** Changes an item's owner, keeping the change in its history. Returns false when the owner is already that. */
  async changeOwner(actor: ActorContext, forceId: number, ref: string, owner: string): Promise<boolean> {
    const { plan, item } = await this.editableItem(forceId, ref)
    const trimmed = owner.trim()
    if (!trimmed) throw new PlanInputError('Enter the new owner')
    if (trimmed === item.owner) return false
    const now = new Date().toISOString()
    await this.db.transaction().execute(async (trx) => {
      await this.repository.updateItem(trx, item.id, { owner: trimmed })
      await this.repository.insertOwnerChange(trx, {
        item_id: item.id,
        previous_owner: item.owner,
        new_owner: trimmed,
        source: actor.actorId !== null ? `user:${actor.actorId}` : `user:${actor.actorUsername}`,
        changed_by: actor.actorUsername,
        changed_at: now,
      })
      await this.repository.updatePlan(trx, plan.id, { updated_at: now })
      await this.audit.record(trx, actorInForce(actor, forceId), {
        action: 'plan.owner-changed',
        subjectType: 'plan-item',
        subjectId: item.id,
        details: { planId: plan.id, ref, from: item.owner, to: trimmed },
      })
    })
    return true
  }

  /**
   * Keeps an uploaded plan document while its import is previewed, until it is confirmed (takePreview) or a day
   * has passed: each new preview sweeps away the ones nobody confirmed. Returns the document's SHA-256.
   */
  async holdForPreview(content: Buffer, now = Date.now()): Promise<string> {
    const dir = join(this.config.uploadDir, 'plan-imports')
    await mkdir(dir, { recursive: true })
    for (const name of await readdir(dir)) {
      const file = join(dir, name)
      const { mtimeMs } = await stat(file).catch(() => ({ mtimeMs: now }))
      if (now - mtimeMs > PREVIEW_KEPT_MS) await rm(file, { force: true })
    }
    const checksum = createHash('sha256').update(content).digest('hex')
    await writeFile(join(dir, `${checksum}.bin`), content)
    return checksum
  }

  /** The previewed document with this SHA-256, left on hold (a confirmation may still be refused); null if gone. */
  async peekPreview(checksum: string): Promise<Buffer | null> {
    if (!/^[a-f0-9]{64}$/.test(checksum)) return null
    const file = join(this.config.uploadDir, 'plan-imports', `${checksum}.bin`)
    const content = await readFile(file).catch(() => null)
    if (!content || createHash('sha256').update(content).digest('hex') !== checksum) return null
    return content
  }

  /** Approvals of the force's plan, newest first. */
  async approvalHistory(forceId: number) {
    const plan = await this.repository.planByForce(forceId)
    return plan ? (await this.repository.approvals(plan.id)).reverse() : []
  }

  /** The previewed document with this SHA-256, removed from the hold; null when it has gone or been changed. */
  async takePreview(checksum: string): Promise<Buffer | null> {
    if (!/^[a-f0-9]{64}$/.test(checksum)) return null
    const file = join(this.config.uploadDir, 'plan-imports', `${checksum}.bin`)
    const content = await readFile(file).catch(() => null)
    await rm(file, { force: true })
    if (!content || createHash('sha256').update(content).digest('hex') !== checksum) return null
    return content
  }

  /**
   * Stores a supporting document for an item after checking it by content and size (DocumentRefusedError otherwise).
   * The file is kept under the upload directory by its checksum.
   */
  async addDocument(
    actor: ActorContext,
    forceId: number,
    ref: string,
    file: { content: Buffer; fileName: string },
  ): Promise<{ id: number; checked: CheckedDocument }> {
    const { plan, item } = await this.editableItem(forceId, ref)
    const name = cleanFileName(file.fileName)
    const checked = await checkDocument(file.content, name)
    const relative = join('plan-documents', `${checked.sha256}.${checked.extension}`)
    const absolute = join(this.config.uploadDir, relative)
    await mkdir(join(this.config.uploadDir, 'plan-documents'), { recursive: true })
    await writeFile(absolute, file.content, { flag: 'w' })
    const now = new Date().toISOString()
    const id = await this.db.transaction().execute(async (trx) => {
      const documentId = await this.repository.insertDocument(trx, {
        item_id: item.id,
        name,
        url: null,
        stored_path: relative,
        checksum: checked.checksum,
        media_type: checked.mediaType,
        size: checked.size,
        source: actor.actorId !== null ? `user:${actor.actorId}` : `user:${actor.actorUsername}`,
        uploaded_by: actor.actorUsername,
        uploaded_at: now,
      })
      await this.repository.updatePlan(trx, plan.id, { updated_at: now })
      await this.audit.record(trx, actorInForce(actor, forceId), {
        action: 'plan.document-uploaded',
        subjectType: 'plan-item',
        subjectId: item.id,
        details: {
          planId: plan.id,
          ref,
          documentId,
          name,
          checksum: checked.checksum,
          mediaType: checked.mediaType,
          size: checked.size,
        },
      })
      return documentId
    })
    return { id, checked }
  }

  /** An uploaded document's row and bytes, checked against its stored checksum. */
  async documentContent(
    forceId: number,
    documentId: number,
    options: { approvedOnly?: boolean } = {},
  ): Promise<{ row: DocumentRow; content: Buffer } | null> {
    const plan = await this.repository.planByForce(forceId)
    if (!plan) return null
    const row = await this.repository.documentById(plan.id, documentId)
    if (!row || !row.stored_path) return null
    if (options.approvedOnly) {
      const approved = await this.repository.approvedChanges(plan.id)
      if (!approved.some((a) => a.kind === 'document' && a.row_id === row.id)) return null
    }
    const content = await readFile(join(this.config.uploadDir, row.stored_path))
    if (row.checksum && `sha256:${sha256(content)}` !== row.checksum) {
      throw new Error(`Stored document ${documentId} does not match its checksum`)
    }
    return { row, content }
  }

  /**
   * Publishes the plan on its public page, or withdraws it. Publishing is a sign-off (plan:approve at the routes):
   * every draft waiting is approved with it, so the public page opens with what the approver saw.
   */
  async setPublished(actor: ActorContext, forceId: number, published: boolean, comment = 'Published'): Promise<void> {
    const plan = await this.repository.planByForce(forceId)
    if (!plan) throw new PlanNotFoundError('This force has no plan yet')
    if (published && (await this.drafts(forceId)).length > 0) await this.approve(actor, forceId, 'all', comment)
    const now = new Date().toISOString()
    await this.db.transaction().execute(async (trx) => {
      await this.repository.updatePlan(trx, plan.id, {
        published: published ? 1 : 0,
        published_at: published ? now : plan.published_at,
      })
      // Publishing signs off what the plan holds: items no draft has touched (an import without updates) are shown.
      if (published) await this.refreshPublic(trx, plan.id, now)
      await this.audit.record(trx, actorInForce(actor, forceId), {
        action: published ? 'plan.published' : 'plan.unpublished',
        subjectType: 'plan',
        subjectId: plan.id,
        details: { forceId },
      })
    })
  }

  // -------------------------------------------------------------------------------------------------------- reading

  /** The whole plan of a force, with progress, status and overdue figures worked out; null when it has none. */
  async planView(
    forceId: number,
    options: { today?: string; documentBase?: string; audience?: PlanAudience } = {},
  ): Promise<PlanView | null> {
    const plan = await this.repository.planByForce(forceId)
    if (!plan) return null
    const force = (await this.forceById(forceId))!
    const audience = options.audience ?? 'force'
    const isPublic = audience === 'public'
    const today = options.today ?? ukDate(new Date())
    const documentBase = options.documentBase ?? `/plans/${force.code}/documents`
    const [recs, items, allUpdates, allDocuments, allOwners, imports, approvals, approved, corrections, held] =
      await Promise.all([
        this.repository.recommendations(plan.id),
        this.repository.items(plan.id),
        this.repository.updates(plan.id),
        this.repository.documents(plan.id),
        this.repository.ownerChanges(plan.id),
        this.repository.imports(plan.id),
        this.repository.approvals(plan.id),
        this.repository.approvedChanges(plan.id),
        this.repository.corrections(plan.id),
        this.repository.heldImports(plan.id, 'held'),
      ])
    const approvedAt = approvalTimes(approvals, approved)
    const isApproved = (kind: ApprovalKind, id: number) => approvedAt.has(`${kind}:${id}`)
    const updates = isPublic ? allUpdates.filter((u) => isApproved('update', u.id)) : allUpdates
    const documents = isPublic ? allDocuments.filter((d) => isApproved('document', d.id)) : allDocuments
    const owners = isPublic ? allOwners.filter((o) => isApproved('owner', o.id)) : allOwners
    const correctionsOf = new Map<number, CorrectionRow[]>()
    for (const c of corrections) correctionsOf.set(c.update_id, [...(correctionsOf.get(c.update_id) ?? []), c])
    const group = <T extends { item_id: number }>(rows: T[]) => {
      const map = new Map<number, T[]>()
      for (const row of rows) map.set(row.item_id, [...(map.get(row.item_id) ?? []), row])
      return map
    }
    const updatesByItem = group(updates)
    const documentsByItem = group(documents)
    const ownersByItem = group(owners)
    let draftCount = 0

    const updateView = (u: UpdateRow): UpdateView => {
      const all = correctionsOf.get(u.id) ?? []
      const shown = isPublic ? all.filter((c) => isApproved('correction', c.id)) : all
      const latest = shown[shown.length - 1]
      const draft = !isApproved('update', u.id)
      const correctionDraft = latest ? !isApproved('correction', latest.id) : false
      if (!isPublic) draftCount += (draft ? 1 : 0) + all.filter((c) => !isApproved('correction', c.id)).length
      return {
        id: u.id,
        date: latest ? latest.date : u.date,
        datePrecision: latest ? latest.date_precision : u.date_precision,
        heading: u.heading,
        text: latest ? latest.text : u.text,
        status: asStatus(latest ? latest.status : u.status),
        statusLabel: latest ? latest.status_label : u.status_label,
        percent: latest ? latest.percent : u.percent,
        source: u.source,
        createdBy: u.created_by,
        createdAt: u.created_at,
        draft,
        approvedAt: approvedAt.get(`update:${u.id}`) ?? null,
        correctedOn: latest ? latest.corrected_at : null,
        correctionReason: latest ? latest.reason : null,
        correctionDraft,
        versions: [
          {
            kind: 'original' as const,
            id: u.id,
            date: u.date,
            text: u.text,
            statusLabel: u.status_label,
            percent: u.percent,
            reason: null,
            by: u.created_by,
            at: u.created_at,
            draft,
          },
          ...shown.map((c) => ({
            kind: 'correction' as const,
            id: c.id,
            date: c.date,
            text: c.text,
            statusLabel: c.status_label,
            percent: c.percent,
            reason: c.reason,
            by: c.corrected_by,
            at: c.corrected_at,
            draft: !isApproved('correction', c.id),
          })),
        ],
      }
    }

    const itemView = (row: ItemRow): ItemView => {
      const before = draftCount
      const itemUpdates: UpdateView[] = (updatesByItem.get(row.id) ?? [])
        .slice()
        .map(updateView)
        .sort((a, b) => compareUpdates({ date: a.date, id: a.id }, { date: b.date, id: b.id }))
      const status = asStatus(isPublic ? row.public_status : row.status)
      const percent = isPublic ? row.public_percent : row.percent
      const progress = itemProgress({ status, percent, updates: itemUpdates })
      const itemDocuments = (documentsByItem.get(row.id) ?? []).map((d) => ({
        id: d.id,
        name: d.name,
        // Checked again when shown: a link stored before the check, or from the interchange JSON, is never followed.
        url: safeLink(d.url),
        href: d.stored_path ? `${documentBase}/${d.id}` : null,
        checksum: d.checksum,
        mediaType: d.media_type,
        size: d.size,
        uploadedBy: d.uploaded_by,
        uploadedAt: d.uploaded_at,
        draft: !isApproved('document', d.id),
      }))
      const ownerChanges = (ownersByItem.get(row.id) ?? []).map((o) => ({ ...o, draft: !isApproved('owner', o.id) }))
      if (!isPublic) {
        draftCount += itemDocuments.filter((d) => d.draft).length + ownerChanges.filter((o) => o.draft).length
      }
      return {
        id: row.id,
        ref: row.ref,
        requirement: row.requirement,
        owner: isPublic ? row.public_owner : row.owner,
        status,
        statusLabel: isPublic ? row.public_status_label : row.status_label,
        percent,
        progress,
        percentText: formatPercent(progress),
        updates: itemUpdates,
        documents: itemDocuments,
        ownerChanges,
        draftCount: draftCount - before,
      }
    }

    const recommendations: RecommendationView[] = recs.map((rec) => {
      const recItems = items
        .filter((i) => i.recommendation_id === rec.id)
        .filter((i) => !isPublic || i.public_at !== null)
        .sort((a, b) => compareRefs(a.ref, b.ref))
        .map(itemView)
      const progress = recommendationProgress({ items: recItems })
      const status = recommendationStatus(recItems)
      return {
        id: rec.id,
        number: rec.number,
        text: rec.text,
        deadline: rec.deadline,
        status,
        progress,
        percentText: formatPercent(progress),
        owners: [...new Set(recItems.map((i) => i.owner).filter((o): o is string => Boolean(o)))],
        overdue: isOverdue(rec.deadline, status, today),
        items: recItems,
      }
    })
    const progress = planProgress({ recommendations })
    const shownDates = recommendations.flatMap((r) => r.items.flatMap((i) => i.updates.map((u) => u.date)))
    return {
      plan,
      force,
      title: plan.title,
      executiveLead: plan.executive_lead,
      operationalLead: plan.operational_lead,
      published: plan.published === 1,
      publishedAt: plan.published_at,
      lastUpdated: maxDate(shownDates),
      progress,
      percentText: formatPercent(progress),
      method: PROGRESS_METHOD,
      overdueCount: recommendations.filter((r) => r.overdue).length,
      recommendations,
      imports: isPublic ? [] : imports.map((i) => ({ ...i, warningList: JSON.parse(i.warnings) as ImportWarning[] })),
      audience,
      lastApprovedAt: approvals.length ? approvals[approvals.length - 1].approved_at : null,
      draftCount: isPublic ? 0 : draftCount + held.length,
      heldImports: isPublic ? [] : held,
    }
  }

  // ------------------------------------------------------------------------------------------------------ sign-off

  /** Every draft of the force's plan waiting for approval, oldest first. */
  async drafts(forceId: number): Promise<DraftView[]> {
    const plan = await this.repository.planByForce(forceId)
    if (!plan) return []
    const [items, updates, owners, documents, corrections, approved, held] = await Promise.all([
      this.repository.items(plan.id),
      this.repository.updates(plan.id),
      this.repository.ownerChanges(plan.id),
      this.repository.documents(plan.id),
      this.repository.corrections(plan.id),
      this.repository.approvedChanges(plan.id),
      this.repository.heldImports(plan.id, 'held'),
    ])
    const done = new Set(approved.map((a) => `${a.kind}:${a.row_id}`))
    const refOf = new Map(items.map((i) => [i.id, i.ref]))
    const updateItem = new Map(updates.map((u) => [u.id, u.item_id]))
    const out: DraftView[] = []
    for (const u of updates) {
      if (done.has(`update:${u.id}`)) continue
      out.push({
        kind: 'update',
        id: u.id,
        ref: refOf.get(u.item_id) ?? null,
        summary: `Update${u.date ? ` dated ${u.date}` : ''}: ${u.status_label ?? u.status ?? 'no status'}`,
        detail: u.text,
        by: u.created_by,
        at: u.created_at,
      })
    }
    for (const c of corrections) {
      if (done.has(`correction:${c.id}`)) continue
      out.push({
        kind: 'correction',
        id: c.id,
        ref: refOf.get(updateItem.get(c.update_id) ?? -1) ?? null,
        summary: `Correction of an update (${c.status_label ?? c.status ?? 'no status'}): ${c.reason}`,
        detail: c.text,
        by: c.corrected_by,
        at: c.corrected_at,
      })
    }
    for (const o of owners) {
      if (done.has(`owner:${o.id}`)) continue
      out.push({
        kind: 'owner',
        id: o.id,
        ref: refOf.get(o.item_id) ?? null,
        summary: `Owner from ${o.previous_owner ?? 'no owner'} to ${o.new_owner ?? 'no owner'}`,
        detail: null,
        by: o.changed_by,
        at: o.changed_at,
      })
    }
    for (const d of documents) {
      if (done.has(`document:${d.id}`)) continue
      out.push({
        kind: 'document',
        id: d.id,
        ref: refOf.get(d.item_id) ?? null,
        summary: `Document: ${d.name}`,
        detail: d.url,
        by: d.uploaded_by,
        at: d.uploaded_at,
      })
    }
    for (const h of held) {
      out.push({
        kind: 'import',
        id: h.id,
        ref: null,
        summary: `Import of ${h.file_name}${h.source_url ? ` from ${h.source_url}` : ''}`,
        detail: null,
        by: h.held_by,
        at: h.held_at,
      })
    }
    return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
  }

  /**
   * Approves drafts of the force's plan (the ones named, or all of them) with a comment, in one transaction: the
   * public page then shows them, with the approval's date. A held import is merged now. Returns how many.
   */
  async approve(
    actor: ActorContext,
    forceId: number,
    selection: { kind: ApprovalKind; id: number }[] | 'all',
    comment: string,
  ): Promise<{ approvalId: number; approved: number }> {
    const plan = await this.repository.planByForce(forceId)
    if (!plan) throw new PlanNotFoundError('This force has no plan yet')
    const text = approvalInputSchema.parse({ comment }).comment
    const drafts = await this.drafts(forceId)
    const chosen =
      selection === 'all'
        ? drafts
        : selection.map((s) => {
            const found = drafts.find((d) => d.kind === s.kind && d.id === s.id)
            if (!found)
              throw new PlanInputError(`That ${s.kind} (${s.id}) is not a draft of this plan waiting for approval`)
            return found
          })
    if (chosen.length === 0) throw new PlanInputError('Select at least one draft to approve')
    const now = new Date().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const approvalId = await this.repository.insertApproval(trx, {
        plan_id: plan.id,
        comment: text,
        approved_by: actor.actorUsername,
        approved_at: now,
      })
      const marks: { kind: ApprovalKind; rowId: number }[] = chosen
        .filter((d) => d.kind !== 'import')
        .map((d) => ({ kind: d.kind, rowId: d.id }))
      for (const d of chosen.filter((c) => c.kind === 'import')) {
        const held = (await this.repository.heldImports(plan.id, 'held', trx)).find((h) => h.id === d.id)
        if (!held) throw new PlanInputError('That import has already been decided')
        const parsed = JSON.parse(held.parsed) as ParsedPlan
        await this.merge(trx, actor, parsed, {
          fileName: held.file_name,
          checksum: held.checksum,
          forceId,
          sourceUrl: held.source_url,
          approving: true,
          source: `import:${held.checksum}`,
        })
        await this.repository.decideHeldImport(trx, held.id, 'approved', actor.actorUsername, now)
        marks.push({ kind: 'import', rowId: held.id })
        // What the import added is approved with it.
        const source = `import:${held.checksum}`
        const done = new Set(
          [
            ...(await this.repository.approvedChanges(plan.id, trx)),
            ...marks.map((m) => ({ kind: m.kind, row_id: m.rowId })),
          ].map((a) => `${a.kind}:${a.row_id}`),
        )
        const add = (kind: ApprovalKind, rows: { id: number; source: string }[]) => {
          for (const r of rows) {
            if (r.source === source && !done.has(`${kind}:${r.id}`)) marks.push({ kind, rowId: r.id })
          }
        }
        add('update', await this.repository.updates(plan.id, trx))
        add('owner', await this.repository.ownerChanges(plan.id, trx))
        add('document', await this.repository.documents(plan.id, trx))
      }
      await this.repository.insertApprovedChanges(trx, approvalId, plan.id, marks)
      await this.refreshPublic(trx, plan.id, now)
      await this.repository.updatePlan(trx, plan.id, { updated_at: now })
      await this.audit.record(trx, actorInForce(actor, forceId), {
        action: 'plan.approved',
        subjectType: 'plan',
        subjectId: plan.id,
        details: {
          approvalId,
          comment: text,
          approved: marks.length,
          byKind: Object.fromEntries(
            (['update', 'correction', 'owner', 'document', 'import'] as const).map((k) => [
              k,
              marks.filter((m) => m.kind === k).length,
            ]),
          ),
        },
      })
      return { approvalId, approved: marks.length }
    })
  }

  /** Turns down an import held for approval: nothing of it is applied; it stays listed as rejected. */
  async rejectHeldImport(actor: ActorContext, forceId: number, heldId: number, comment: string): Promise<void> {
    const plan = await this.repository.planByForce(forceId)
    if (!plan) throw new PlanNotFoundError('This force has no plan yet')
    const text = approvalInputSchema.parse({ comment }).comment
    const held = (await this.repository.heldImports(plan.id, 'held')).find((h) => h.id === heldId)
    if (!held) throw new PlanNotFoundError('No such import waiting for approval')
    const now = new Date().toISOString()
    await this.db.transaction().execute(async (trx) => {
      await this.repository.decideHeldImport(trx, held.id, 'rejected', actor.actorUsername, now)
      await this.audit.record(trx, actorInForce(actor, forceId), {
        action: 'plan.import-rejected',
        subjectType: 'plan',
        subjectId: plan.id,
        details: { heldImportId: held.id, fileName: held.file_name, comment: text },
      })
    })
  }

  /** What a held import would change if approved now (a dry run against the plan as it stands). */
  async heldImportPreview(
    actor: ActorContext,
    forceId: number,
    heldId: number,
  ): Promise<{ held: HeldImportRow; result: ImportResult }> {
    const plan = await this.repository.planByForce(forceId)
    if (!plan) throw new PlanNotFoundError('This force has no plan yet')
    const held = (await this.repository.heldImports(plan.id)).find((h) => h.id === heldId)
    if (!held) throw new PlanNotFoundError('No such held import')
    const result = await this.importParsed(actor, JSON.parse(held.parsed) as ParsedPlan, {
      fileName: held.file_name,
      checksum: held.checksum,
      forceId,
      dryRun: true,
      approving: true,
    })
    return { held, result }
  }

  /**
   * Sets each item's public owner and status from what is approved: when nothing of the item is waiting, what the
   * force holds now; otherwise the latest approved owner change and the latest approved (corrected) update.
   */
  private async refreshPublic(trx: Transaction<Database>, planId: number, now: string): Promise<void> {
    const [items, updates, owners, corrections, approved] = await Promise.all([
      this.repository.items(planId, trx),
      this.repository.updates(planId, trx),
      this.repository.ownerChanges(planId, trx),
      this.repository.corrections(planId, trx),
      this.repository.approvedChanges(planId, trx),
    ])
    const done = new Set(approved.map((a) => `${a.kind}:${a.row_id}`))
    const correctionsOf = new Map<number, CorrectionRow[]>()
    for (const c of corrections) correctionsOf.set(c.update_id, [...(correctionsOf.get(c.update_id) ?? []), c])
    for (const item of items) {
      const ups = updates.filter((u) => u.item_id === item.id)
      const own = owners.filter((o) => o.item_id === item.id)
      const waiting =
        ups.some((u) => !done.has(`update:${u.id}`)) ||
        ups.some((u) => (correctionsOf.get(u.id) ?? []).some((c) => !done.has(`correction:${c.id}`))) ||
        own.some((o) => !done.has(`owner:${o.id}`))
      let next: Pick<ItemRow, 'public_owner' | 'public_status' | 'public_status_label' | 'public_percent'>
      if (!waiting) {
        next = {
          public_owner: item.owner,
          public_status: item.status,
          public_status_label: item.status_label,
          public_percent: item.percent,
        }
      } else {
        const approvedOwners = own.filter((o) => done.has(`owner:${o.id}`))
        const owner = approvedOwners.length
          ? approvedOwners[approvedOwners.length - 1].new_owner
          : own.length
            ? own[0].previous_owner
            : item.owner
        const shown = ups
          .filter((u) => done.has(`update:${u.id}`))
          .map((u) => {
            const c = (correctionsOf.get(u.id) ?? []).filter((x) => done.has(`correction:${x.id}`)).pop()
            return c ? { ...u, date: c.date, status: c.status, status_label: c.status_label, percent: c.percent } : u
          })
          .sort(compareUpdates)
        const latest = shown[shown.length - 1]
        next = {
          public_owner: owner,
          public_status: latest?.status ?? item.public_status,
          public_status_label: latest ? latest.status_label : item.public_status_label,
          public_percent: latest ? latest.percent : item.public_percent,
        }
      }
      const same =
        item.public_at !== null &&
        next.public_owner === item.public_owner &&
        next.public_status === item.public_status &&
        next.public_status_label === item.public_status_label &&
        next.public_percent === item.public_percent
      if (!same) await this.repository.updateItem(trx, item.id, { ...next, public_at: now })
    }
  }

  /**
   * Corrects an update (text, date, status, %) with a reason. The update row never changes: the correction is kept
   * beside it, a draft until approved; the item's current status follows it when it corrects the latest update.
   */
  async correctUpdate(
    actor: ActorContext,
    forceId: number,
    ref: string,
    updateId: number,
    input: UpdateInput,
    reason: string,
  ): Promise<number> {
    const { plan, item } = await this.editableItem(forceId, ref)
    const why = correctionReasonSchema.parse(reason)
    const now = new Date().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const held = await this.repository.updatesOfItem(item.id, trx)
      const original = held.find((u) => u.id === updateId)
      if (!original) throw new PlanNotFoundError(`Evidence item ${ref} has no such update`)
      const statusLabel = labelFor(input.status, input.percent)
      const id = await this.repository.insertCorrection(trx, {
        update_id: updateId,
        date: input.date,
        date_precision: precisionOf(input.date),
        text: input.text,
        status: input.status,
        status_label: statusLabel,
        percent: input.percent,
        reason: why,
        corrected_by: actor.actorUsername,
        corrected_at: now,
      })
      const others = held.filter((u) => u.id !== updateId).map((u) => u.date)
      const latestOther = maxDate(others)
      if (latestOther === null || input.date >= latestOther) {
        await this.repository.updateItem(trx, item.id, {
          status: input.status,
          status_label: statusLabel,
          percent: input.percent,
        })
      }
      await this.repository.updatePlan(trx, plan.id, { updated_at: now })
      await this.audit.record(trx, actorInForce(actor, forceId), {
        action: 'plan.update-corrected',
        subjectType: 'plan-item',
        subjectId: item.id,
        details: {
          planId: plan.id,
          ref,
          updateId,
          correctionId: id,
          reason: why,
          from: { date: original.date, text: original.text, status: original.status, percent: original.percent },
          to: { date: input.date, text: input.text, status: input.status, percent: input.percent },
        },
      })
      return id
    })
  }

  /** The plan in the exporters' model. Uploaded documents link to `documentBase`/<id>. */
  toExportable(view: PlanView): ExportablePlan {
    const recommendations = view.recommendations.map((rec) => ({
      number: rec.number,
      text: rec.text,
      deadline: rec.deadline,
      items: rec.items.map((item) => ({
        ref: item.ref,
        requirement: item.requirement,
        owner: item.owner,
        status: item.status,
        statusLabel: item.statusLabel,
        percent: item.percent,
        updates: item.updates.map((u) => ({
          date: u.date,
          heading: u.heading,
          text: u.text,
          status: u.status,
          statusLabel: u.statusLabel,
          percent: u.percent,
        })),
        documents: item.documents.map((d) =>
          d.href
            ? { name: d.name, url: d.href, checksum: d.checksum, mediaType: d.mediaType, size: d.size }
            : { name: d.name, url: d.url },
        ),
      })),
    }))
    return {
      force: view.force.name,
      title: view.title,
      executiveLead: view.executiveLead,
      operationalLead: view.operationalLead,
      recommendations,
      lastUpdated: latestUpdateDate(recommendations),
      publishedAt: view.published ? view.publishedAt : null,
      ...(view.audience === 'public' ? { approvedAt: view.lastApprovedAt } : {}),
    }
  }

  async exportable(
    forceId: number,
    options: { documentBase?: string; audience?: PlanAudience } = {},
  ): Promise<ExportablePlan | null> {
    const view = await this.planView(forceId, options)
    return view ? this.toExportable(view) : null
  }

  /**
   * Every force's plan side by side: status and % per recommendation, overdue counts, and (with notUpdatedSince)
   * only the forces whose latest update is dated before that day.
   */
  async nationalView(options: { today?: string; notUpdatedSince?: string | null } = {}): Promise<NationalView> {
    const plans = await this.repository.listPlans()
    const rows: NationalRow[] = []
    const numbers = new Set<number>()
    for (const summary of plans) {
      const view = await this.planView(summary.force_id, { today: options.today })
      if (!view) continue
      const cells: NationalRow['cells'] = {}
      for (const rec of view.recommendations) {
        numbers.add(rec.number)
        cells[rec.number] = {
          status: rec.status,
          percent: rec.progress.percent,
          percentText: rec.percentText,
          overdue: rec.overdue,
        }
      }
      rows.push({
        force: view.force,
        published: view.published,
        lastUpdated: view.lastUpdated,
        percentText: view.percentText,
        progress: view.progress,
        overdueCount: view.overdueCount,
        cells,
      })
    }
    const since = options.notUpdatedSince ?? null
    return {
      numbers: [...numbers].sort((a, b) => a - b),
      rows: since ? rows.filter((r) => r.lastUpdated === null || r.lastUpdated < since) : rows,
      method: PROGRESS_METHOD,
      notUpdatedSince: since,
      totalForces: rows.length,
    }
  }

  /** One item's full history, newest first: updates, owner changes, documents and audit events. */
  async itemHistory(forceId: number, ref: string) {
    const { item } = await this.editableItem(forceId, ref)
    const events = await this.audit.historyOf('plan-item', item.id)
    return { item, events }
  }
}

/** A file name safe to show and to put in a Content-Disposition header. */
export function cleanFileName(name: string): string {
  const base = basename(name.replace(/\\/g, '/'))
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(0, 200)
  return base || 'document'
}
