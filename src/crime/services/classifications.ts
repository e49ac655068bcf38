// What the crime store needs to know about offence classes: whether a code is known, its name, and the search keys
// (its class, Home Office class and group) under which a crime classified with it is found.
import { normaliseCode, reference, type OffenceClass, type OutcomeType } from '../reference/index.ts'

export type { OffenceClass, OutcomeType }

export interface ClassificationGroup {
  /** The search key: 'group:<slug>' or 'subgroup:<group slug>--<subgroup slug>'. */
  key: string
  label: string
  kind: 'group' | 'subgroup'
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

/** Offence classes and outcome types (src/crime/reference) with the search keys each class is indexed under. */
export class ClassificationCatalogue {
  private readonly byCode = new Map<string, OffenceClass>()
  private readonly keysByCode = new Map<string, string[]>()
  readonly classes: readonly OffenceClass[]
  readonly groups: ClassificationGroup[]
  readonly outcomes: readonly OutcomeType[]

  constructor(classes: readonly OffenceClass[], outcomes: readonly OutcomeType[]) {
    this.classes = classes
    this.outcomes = outcomes
    for (const entry of classes) this.byCode.set(normaliseCode(entry.code), entry)
    const groups = new Map<string, ClassificationGroup>()
    for (const entry of classes) {
      const keys = [entry.code]
      if (entry.hoClass && entry.hoClass !== entry.code) keys.push(entry.hoClass)
      const group = { key: `group:${slug(entry.group)}`, label: entry.group, kind: 'group' as const }
      keys.push(group.key)
      if (!groups.has(group.key)) groups.set(group.key, group)
      if (entry.subgroup && entry.subgroup !== entry.group) {
        const subgroup = {
          key: `subgroup:${slug(entry.group)}--${slug(entry.subgroup)}`,
          label: `${entry.group}: ${entry.subgroup}`,
          kind: 'subgroup' as const,
        }
        keys.push(subgroup.key)
        if (!groups.has(subgroup.key)) groups.set(subgroup.key, subgroup)
      }
      this.keysByCode.set(entry.code, keys)
    }
    this.groups = [...groups.values()].sort((a, b) => a.label.localeCompare(b.label))
  }

  static load(): ClassificationCatalogue {
    const shipped = reference()
    return new ClassificationCatalogue(shipped.classes, shipped.outcomes)
  }

  /** The catalogue's spelling of a code ('4/1' → '4.1', '8q' → '8Q'), or null when it is not a known class. */
  canonical(code: string): string | null {
    const entry = this.byCode.get(normaliseCode(code))
    return entry ? entry.code : null
  }

  find(code: string): OffenceClass | undefined {
    const canonical = this.canonical(code)
    return canonical ? this.byCode.get(normaliseCode(canonical)) : undefined
  }

  name(code: string | null): string {
    if (!code) return ''
    return this.find(code)?.name ?? code
  }

  /** The keys a crime classified with this code is indexed under: the code, its Home Office class, group and subgroup. */
  searchKeys(code: string): string[] {
    const canonical = this.canonical(code)
    return canonical ? (this.keysByCode.get(canonical) ?? [canonical]) : [code]
  }

  group(key: string): ClassificationGroup | undefined {
    return this.groups.find((group) => group.key === key)
  }

  outcomeName(outcome: number | null): string {
    if (outcome === null) return ''
    return this.outcomes.find((entry) => entry.number === outcome)?.name ?? `Outcome ${outcome}`
  }
}
