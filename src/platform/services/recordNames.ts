// The audit log's "Record" column names each record the way its users know it (a crime by its force reference, a
// force by its name), not by Threadline's internal number. The area that owns a kind of record says how to name it:
// the platform imports no area.

/** Names of some records of one kind, by id, within one force (a record of another force is left unnamed). */
export type RecordNamer = (ids: string[], forceId: number) => Promise<Map<string, string>>

export class RecordNames {
  private readonly namers = new Map<string, RecordNamer>()

  /** Says how records of one subject type are named; the area owning them calls this when it is created. */
  register(subjectType: string, namer: RecordNamer): void {
    this.namers.set(subjectType, namer)
  }

  /** Names for the subjects given, keyed `type:id`; a subject with no namer, or not found, has none. */
  async of(subjects: { type: string; id: string | null }[], forceId: number): Promise<Record<string, string>> {
    const idsByType = new Map<string, Set<string>>()
    for (const { type, id } of subjects) {
      if (id === null || !this.namers.has(type)) continue
      const ids = idsByType.get(type) ?? new Set<string>()
      ids.add(id)
      idsByType.set(type, ids)
    }
    const names: Record<string, string> = {}
    for (const [type, ids] of idsByType) {
      const named = await this.namers.get(type)!([...ids], forceId)
      for (const [id, name] of named) names[`${type}:${id}`] = name
    }
    return names
  }
}
