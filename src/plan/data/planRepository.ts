// The only code that reads and writes the plan area's tables. Every write takes the caller's transaction.
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely'
import type { Database } from '../../platform/data/schema.ts'
import type {
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
