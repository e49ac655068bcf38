// The only code that touches the training register's tables: the officers in the force's learning records and the
// courses they completed.
import type { Insertable, Kysely, Transaction } from 'kysely'
import type { InvestigationDatabase as Database, InvestigationTrainingCompletionsTable } from './tables.ts'

type Executor = Kysely<Database> | Transaction<Database>

export interface TrainingOfficerInput {
  officer: string
  numberKey: string | null
  nameKey: string | null
  role: string | null
  frontline: boolean | null
}

export class TrainingRepository {
  constructor(private readonly db: Executor) {}

  async transaction<T>(run: (repository: TrainingRepository, trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return (this.db as Kysely<Database>).transaction().execute((trx) => run(new TrainingRepository(trx), trx))
  }

  /**
   * The officer's id, known by their number (or, without one, their name); a new officer is added. What a later
   * record says of their role and frontline status replaces what an earlier one said; a blank leaves it.
   */
  async upsertOfficer(forceId: number, input: TrainingOfficerInput, now: string): Promise<number> {
    let query = this.db.selectFrom('investigation_training_officers').selectAll().where('force_id', '=', forceId)
    query = input.numberKey
      ? query.where('number_key', '=', input.numberKey)
      : query.where('name_key', '=', input.nameKey).where('number_key', 'is', null)
    const existing = await query.orderBy('id').executeTakeFirst()
    if (!existing) {
      const inserted = await this.db
        .insertInto('investigation_training_officers')
        .values({
          force_id: forceId,
          officer: input.officer,
          number_key: input.numberKey,
          name_key: input.nameKey,
          role: input.role,
          frontline: input.frontline === null ? null : input.frontline ? 1 : 0,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return inserted.id
    }
    const changes: Partial<Insertable<Database['investigation_training_officers']>> = {}
    if (input.nameKey && input.nameKey !== existing.name_key) changes.name_key = input.nameKey
    if (input.officer !== existing.officer && input.officer.length >= existing.officer.length)
      changes.officer = input.officer
    if (input.role && input.role !== existing.role) changes.role = input.role
    const frontline = input.frontline === null ? null : input.frontline ? 1 : 0
    if (frontline !== null && frontline !== existing.frontline) changes.frontline = frontline
    if (Object.keys(changes).length) {
      await this.db
        .updateTable('investigation_training_officers')
        .set({ ...changes, updated_at: now })
        .where('id', '=', existing.id)
        .execute()
    }
    return existing.id
  }

  async completionsOfOfficer(forceId: number, officerId: number, courseId: string) {
    return this.db
      .selectFrom('investigation_training_completions')
      .select(['id', 'completed_on'])
      .where('force_id', '=', forceId)
      .where('officer_id', '=', officerId)
      .where('course_id', '=', courseId)
      .execute()
  }

  async insertCompletion(row: Insertable<InvestigationTrainingCompletionsTable>): Promise<number> {
    const inserted = await this.db
      .insertInto('investigation_training_completions')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow()
    return inserted.id
  }

  /** Every officer in the force's learning records with the courses they completed (first completion of each). */
  async officersWithCompletions(forceId: number) {
    const officers = await this.db
      .selectFrom('investigation_training_officers')
      .select(['id', 'officer', 'number_key', 'name_key', 'role', 'frontline'])
      .where('force_id', '=', forceId)
      .orderBy('id')
      .execute()
    const completions = await this.db
      .selectFrom('investigation_training_completions')
      .select(['officer_id', 'course_id', (eb) => eb.fn.min('completed_on').as('completed_on')])
      .where('force_id', '=', forceId)
      .where('completed_on', 'is not', null)
      .groupBy(['officer_id', 'course_id'])
      .execute()
    return { officers, completions }
  }

  /**
   * The earliest completion, on or before the day, of one of the courses by an officer known by one of the keys
   * (their number or their name).
   */
  async qualifyingCompletion(forceId: number, keys: string[], courseIds: string[], onOrBefore: string) {
    if (keys.length === 0 || courseIds.length === 0) return undefined
    return this.db
      .selectFrom('investigation_training_completions as c')
      .innerJoin('investigation_training_officers as o', 'o.id', 'c.officer_id')
      .select(['c.id', 'c.course_id', 'c.completed_on'])
      .where('c.force_id', '=', forceId)
      .where('c.course_id', 'in', courseIds)
      .where('c.completed_on', '<=', onOrBefore)
      .where((eb) => eb.or([eb('o.number_key', 'in', keys), eb('o.name_key', 'in', keys)]))
      .orderBy('c.completed_on')
      .orderBy('c.id')
      .executeTakeFirst()
  }

  async recentCompletions(forceId: number, limit: number) {
    return this.db
      .selectFrom('investigation_training_completions as c')
      .innerJoin('investigation_training_officers as o', 'o.id', 'c.officer_id')
      .select([
        'c.id',
        'o.officer',
        'o.role',
        'c.course_id',
        'c.completed_on',
        'c.source',
        'c.recorded_by',
        'c.recorded_at',
      ])
      .where('c.force_id', '=', forceId)
      .where('c.completed_on', 'is not', null)
      .orderBy('c.id', 'desc')
      .limit(limit)
      .execute()
  }
}
