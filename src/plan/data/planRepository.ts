// The only code that reads and writes the plan area's tables. Every write takes the caller's transaction.
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely'
import type { PlanDatabase as Database } from './tables.ts'
import type {
  ApprovalKind,
  PlanApprovalTable,
  PlanApprovedChangeTable,
  PlanHeldImportTable,
  PlanReturnTable,
  PlanUpdateCorrectionTable,
  PlanDocumentTable,
  PlanImportTable,
  PlanItemTable,
  PlanOwnerChangeTable,
  PlanPlanTable,
  PlanRecommendationTable,
  PlanUpdateTable,
} from './tables.ts'

export type PlanRow = Selectable<PlanPlanTable>
export type RecommendationRow = Selectable<PlanRecommendationTable>
export type ItemRow = Selectable<PlanItemTable>
export type UpdateRow = Selectable<PlanUpdateTable>
export type OwnerChangeRow = Selectable<PlanOwnerChangeTable>
export type DocumentRow = Selectable<PlanDocumentTable>
export type ImportRow = Selectable<PlanImportTable>
export type ApprovalRow = Selectable<PlanApprovalTable>
export type ApprovedChangeRow = Selectable<PlanApprovedChangeTable>
export type CorrectionRow = Selectable<PlanUpdateCorrectionTable>
export type HeldImportRow = Selectable<PlanHeldImportTable>
export type ReturnRow = Selectable<PlanReturnTable>

export interface PlanSummaryRow {
  plan_id: number
  force_id: number
  force_name: string
  force_code: string
  published: number
  published_at: string | null
  updated_at: string
}

type Db = Kysely<Database>

export class PlanRepository {
  constructor(private readonly db: Db) {}

  async planByForce(forceId: number, db: Db = this.db): Promise<PlanRow | undefined> {
    return db.selectFrom('plan_plans').selectAll().where('force_id', '=', forceId).executeTakeFirst()
  }

  async listPlans(options: { publishedOnly?: boolean } = {}): Promise<PlanSummaryRow[]> {
    let query = this.db
      .selectFrom('plan_plans')
      .innerJoin('forces', 'forces.id', 'plan_plans.force_id')
      .select([
        'plan_plans.id as plan_id',
        'plan_plans.force_id',
        'forces.name as force_name',
        'forces.code as force_code',
        'plan_plans.published',
        'plan_plans.published_at',
        'plan_plans.updated_at',
      ])
      .orderBy('forces.name')
    if (options.publishedOnly) query = query.where('plan_plans.published', '=', 1)
    return query.execute()
  }

  async insertPlan(db: Db, plan: Insertable<PlanPlanTable>): Promise<number> {
    const row = await db.insertInto('plan_plans').values(plan).returning('id').executeTakeFirstOrThrow()
    return row.id
  }

  async updatePlan(db: Db, id: number, changes: Updateable<PlanPlanTable>): Promise<void> {
    await db.updateTable('plan_plans').set(changes).where('id', '=', id).execute()
  }

  async recommendations(planId: number, db: Db = this.db): Promise<RecommendationRow[]> {
    return db.selectFrom('plan_recommendations').selectAll().where('plan_id', '=', planId).orderBy('number').execute()
  }

  async insertRecommendation(db: Db, row: Insertable<PlanRecommendationTable>): Promise<number> {
    const inserted = await db.insertInto('plan_recommendations').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  async updateRecommendation(db: Db, id: number, changes: Updateable<PlanRecommendationTable>): Promise<void> {
    await db.updateTable('plan_recommendations').set(changes).where('id', '=', id).execute()
  }

  async items(planId: number, db: Db = this.db): Promise<ItemRow[]> {
    return db.selectFrom('plan_items').selectAll().where('plan_id', '=', planId).orderBy('id').execute()
  }

  async itemByRef(planId: number, ref: string, db: Db = this.db): Promise<ItemRow | undefined> {
    return db
      .selectFrom('plan_items')
      .selectAll()
      .where('plan_id', '=', planId)
      .where('ref', '=', ref)
      .executeTakeFirst()
  }

  async insertItem(db: Db, row: Insertable<PlanItemTable>): Promise<number> {
    const inserted = await db.insertInto('plan_items').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  async updateItem(db: Db, id: number, changes: Updateable<PlanItemTable>): Promise<void> {
    await db.updateTable('plan_items').set(changes).where('id', '=', id).execute()
  }

  /** Every update of the plan's items, oldest first (undated first, then by date, then in the order recorded). */
  async updates(planId: number, db: Db = this.db): Promise<UpdateRow[]> {
    return db
      .selectFrom('plan_updates')
      .innerJoin('plan_items', 'plan_items.id', 'plan_updates.item_id')
      .selectAll('plan_updates')
      .where('plan_items.plan_id', '=', planId)
      .orderBy('plan_updates.item_id')
      .orderBy('plan_updates.id')
      .execute()
  }

  async updatesOfItem(itemId: number, db: Db = this.db): Promise<UpdateRow[]> {
    return db.selectFrom('plan_updates').selectAll().where('item_id', '=', itemId).orderBy('id').execute()
  }

  async insertUpdate(db: Db, row: Insertable<PlanUpdateTable>): Promise<number> {
    const inserted = await db.insertInto('plan_updates').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  async ownerChanges(planId: number, db: Db = this.db): Promise<OwnerChangeRow[]> {
    return db
      .selectFrom('plan_owner_changes')
      .innerJoin('plan_items', 'plan_items.id', 'plan_owner_changes.item_id')
      .selectAll('plan_owner_changes')
      .where('plan_items.plan_id', '=', planId)
      .orderBy('plan_owner_changes.id')
      .execute()
  }

  async insertOwnerChange(db: Db, row: Insertable<PlanOwnerChangeTable>): Promise<number> {
    const inserted = await db.insertInto('plan_owner_changes').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  async documents(planId: number, db: Db = this.db): Promise<DocumentRow[]> {
    return db
      .selectFrom('plan_documents')
      .innerJoin('plan_items', 'plan_items.id', 'plan_documents.item_id')
      .selectAll('plan_documents')
      .where('plan_items.plan_id', '=', planId)
      .orderBy('plan_documents.id')
      .execute()
  }

  async documentById(planId: number, id: number): Promise<DocumentRow | undefined> {
    return this.db
      .selectFrom('plan_documents')
      .innerJoin('plan_items', 'plan_items.id', 'plan_documents.item_id')
      .selectAll('plan_documents')
      .where('plan_items.plan_id', '=', planId)
      .where('plan_documents.id', '=', id)
      .executeTakeFirst()
  }

  async insertDocument(db: Db, row: Insertable<PlanDocumentTable>): Promise<number> {
    const inserted = await db.insertInto('plan_documents').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  async imports(planId: number, db: Db = this.db): Promise<ImportRow[]> {
    return db.selectFrom('plan_imports').selectAll().where('plan_id', '=', planId).orderBy('id', 'desc').execute()
  }

  async importByChecksum(planId: number, checksum: string, db: Db = this.db): Promise<ImportRow | undefined> {
    return db
      .selectFrom('plan_imports')
      .selectAll()
      .where('plan_id', '=', planId)
      .where('checksum', '=', checksum)
      .executeTakeFirst()
  }

  async insertImport(db: Db, row: Insertable<PlanImportTable>): Promise<number> {
    const inserted = await db.insertInto('plan_imports').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  // ------------------------------------------------------------------------------------------------ sign-off

  async approvals(planId: number, db: Db = this.db): Promise<ApprovalRow[]> {
    return db.selectFrom('plan_approvals').selectAll().where('plan_id', '=', planId).orderBy('id').execute()
  }

  async approvedChanges(planId: number, db: Db = this.db): Promise<ApprovedChangeRow[]> {
    return db.selectFrom('plan_approved_changes').selectAll().where('plan_id', '=', planId).orderBy('id').execute()
  }

  async insertApproval(db: Db, row: Insertable<PlanApprovalTable>): Promise<number> {
    const inserted = await db.insertInto('plan_approvals').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  async insertApprovedChanges(
    db: Db,
    approvalId: number,
    planId: number,
    changes: { kind: ApprovalKind; rowId: number }[],
  ): Promise<void> {
    if (changes.length === 0) return
    for (let i = 0; i < changes.length; i += 200) {
      await db
        .insertInto('plan_approved_changes')
        .values(
          changes
            .slice(i, i + 200)
            .map((c) => ({ approval_id: approvalId, plan_id: planId, kind: c.kind, row_id: c.rowId })),
        )
        .execute()
    }
  }

  async corrections(planId: number, db: Db = this.db): Promise<CorrectionRow[]> {
    return db
      .selectFrom('plan_update_corrections')
      .innerJoin('plan_updates', 'plan_updates.id', 'plan_update_corrections.update_id')
      .innerJoin('plan_items', 'plan_items.id', 'plan_updates.item_id')
      .selectAll('plan_update_corrections')
      .where('plan_items.plan_id', '=', planId)
      .orderBy('plan_update_corrections.id')
      .execute()
  }

  async insertCorrection(db: Db, row: Insertable<PlanUpdateCorrectionTable>): Promise<number> {
    const inserted = await db
      .insertInto('plan_update_corrections')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow()
    return inserted.id
  }

  async heldImports(planId: number, state?: HeldImportRow['state'], db: Db = this.db): Promise<HeldImportRow[]> {
    let query = db.selectFrom('plan_held_imports').selectAll().where('plan_id', '=', planId)
    if (state) query = query.where('state', '=', state)
    return query.orderBy('id').execute()
  }

  async insertHeldImport(db: Db, row: Insertable<PlanHeldImportTable>): Promise<number> {
    const inserted = await db.insertInto('plan_held_imports').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  async decideHeldImport(db: Db, id: number, state: 'approved' | 'rejected', by: string, at: string): Promise<void> {
    await db
      .updateTable('plan_held_imports')
      .set({ state, decided_by: by, decided_at: at })
      .where('id', '=', id)
      .where('state', '=', 'held')
      .execute()
  }

  // ------------------------------------------------------------------------------------------------ NPCC returns

  async returns(planId: number, db: Db = this.db): Promise<ReturnRow[]> {
    return db.selectFrom('plan_returns').selectAll().where('plan_id', '=', planId).orderBy('id', 'desc').execute()
  }

  async returnById(planId: number, id: number, db: Db = this.db): Promise<ReturnRow | undefined> {
    return db
      .selectFrom('plan_returns')
      .selectAll()
      .where('plan_id', '=', planId)
      .where('id', '=', id)
      .executeTakeFirst()
  }

  async insertReturn(db: Db, row: Insertable<PlanReturnTable>): Promise<number> {
    const inserted = await db.insertInto('plan_returns').values(row).returning('id').executeTakeFirstOrThrow()
    return inserted.id
  }

  /** Changes a return that is not approved; an approved (frozen) return is refused here and by the database. */
  async updateReturn(db: Db, id: number, changes: Updateable<PlanReturnTable>): Promise<boolean> {
    const result = await db
      .updateTable('plan_returns')
      .set(changes)
      .where('id', '=', id)
      .where('state', '!=', 'approved')
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  /** Row counts for the plan: what tests and the import summary compare. */
  async counts(planId: number, db: Db = this.db): Promise<Record<string, number>> {
    const count = async (table: 'plan_updates' | 'plan_owner_changes' | 'plan_documents') =>
      Number(
        (
          await db
            .selectFrom(table)
            .innerJoin('plan_items', 'plan_items.id', `${table}.item_id`)
            .select((eb) => eb.fn.countAll().as('n'))
            .where('plan_items.plan_id', '=', planId)
            .executeTakeFirstOrThrow()
        ).n,
      )
    return {
      recommendations: (await this.recommendations(planId, db)).length,
      items: (await this.items(planId, db)).length,
      updates: await count('plan_updates'),
      ownerChanges: await count('plan_owner_changes'),
      documents: await count('plan_documents'),
    }
  }
}
