// Home Office classification reference data: offence classes and outcome types, loaded from the JSON files beside
// this module and validated with zod. Lookups are case-insensitive and ignore surrounding spaces.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

const sourceSchema = z.object({
  title: z.string().min(1),
  publisher: z.string().min(1),
  version: z.string().min(1),
  url: z.string().min(1),
  compiled: z.string().optional(),
  openData: z.string().optional(),
})

export const offenceClassSchema = z
  .object({
    code: z.string().trim().min(1),
    name: z.string().min(1),
    group: z.string().min(1),
    subgroup: z.string().min(1),
    /** 'class': a Home Office class; 'local': a Threadline code inside hoClass; 'group': a police.uk pseudo code. */
    level: z.enum(['class', 'local', 'group']),
    hoClass: z.string().optional(),
    legislation: z.string().optional(),
    note: z.string().optional(),
    stalkingRelated: z.boolean(),
    watchedByDefault: z.boolean(),
    isStalking: z.boolean(),
  })
  .refine((entry) => entry.level !== 'local' || Boolean(entry.hoClass), {
    message: 'a local code must name its Home Office class in hoClass',
    path: ['hoClass'],
  })

export const offenceClassesFileSchema = z.object({
  source: sourceSchema,
  notes: z.array(z.string()),
  classes: z.array(offenceClassSchema).min(1),
})

export const outcomeTypeSchema = z.object({
  number: z.number().int().min(1),
  name: z.string().min(1),
  description: z.string().min(1),
})

export const outcomeTypesFileSchema = z.object({
  source: sourceSchema,
  notes: z.array(z.string()),
  outcomes: z.array(outcomeTypeSchema).min(1),
})

export type OffenceClass = z.infer<typeof offenceClassSchema>
export type OutcomeType = z.infer<typeof outcomeTypeSchema>
export type OffenceClassesFile = z.infer<typeof offenceClassesFileSchema>
export type OutcomeTypesFile = z.infer<typeof outcomeTypesFileSchema>

/** A reference file that is missing, not JSON, or not of the expected shape. */
export class ReferenceDataError extends Error {
  constructor(
    readonly file: string,
    readonly field: string | null,
    detail: string,
  ) {
    super(`${file}${field ? `, field "${field}"` : ''}: ${detail}`)
    this.name = 'ReferenceDataError'
  }
}

export const OFFENCE_CLASSES_FILE = fileURLToPath(new URL('./offence-classes.json', import.meta.url))
export const OUTCOME_TYPES_FILE = fileURLToPath(new URL('./outcome-types.json', import.meta.url))

function readJson(file: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ReferenceDataError(
      file,
      null,
      `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    )
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new ReferenceDataError(file, null, `not valid JSON: ${(error as Error).message}`)
  }
}

function validate<T>(file: string, schema: z.ZodType<T>, data: unknown): T {
  const result = schema.safeParse(data)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part))).join('.')
  const at = field.replace(/\.\[/g, '[')
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problems)` : ''
  throw new ReferenceDataError(file, at || null, `${issue.message}${more}`)
}

/** Normalises a code for lookup: trimmed, upper-case, '4/1' written as '4.1'. */
export function normaliseCode(code: string): string {
  return code.trim().toUpperCase().replace(/\//g, '.')
}

export class ClassificationReference {
  readonly classes: readonly OffenceClass[]
  readonly outcomes: readonly OutcomeType[]
  readonly offenceSource: OffenceClassesFile['source']
  readonly outcomeSource: OutcomeTypesFile['source']
  private readonly byCode = new Map<string, OffenceClass>()
  private readonly byOutcome = new Map<number, OutcomeType>()

  constructor(offences: OffenceClassesFile, outcomes: OutcomeTypesFile, files = { offences: '', outcomes: '' }) {
    this.classes = offences.classes
    this.outcomes = outcomes.outcomes
    this.offenceSource = offences.source
    this.outcomeSource = outcomes.source
    offences.classes.forEach((entry, index) => {
      const key = normaliseCode(entry.code)
      if (this.byCode.has(key)) {
        throw new ReferenceDataError(files.offences, `classes[${index}].code`, `duplicate code "${entry.code}"`)
      }
      this.byCode.set(key, entry)
    })
    offences.classes.forEach((entry, index) => {
      if (entry.hoClass && !this.byCode.has(normaliseCode(entry.hoClass))) {
        throw new ReferenceDataError(files.offences, `classes[${index}].hoClass`, `unknown class "${entry.hoClass}"`)
      }
    })
    outcomes.outcomes.forEach((entry, index) => {
      if (this.byOutcome.has(entry.number)) {
        throw new ReferenceDataError(files.outcomes, `outcomes[${index}].number`, `duplicate outcome ${entry.number}`)
      }
      this.byOutcome.set(entry.number, entry)
    })
  }

  /** The class for a code ('8q', ' 8Q ', '4/1' all work), or undefined. */
  offenceClass(code: string): OffenceClass | undefined {
    return this.byCode.get(normaliseCode(code))
  }

  /** The canonical spelling of a known code, or undefined. */
  canonicalCode(code: string): string | undefined {
    return this.byCode.get(normaliseCode(code))?.code
  }

  /** The group-level pseudo code for a police.uk crime type ('Violence and sexual offences' -> 'PUK-VSO'). */
  openDataCode(crimeType: string): string | undefined {
    const wanted = crimeType.trim().toLowerCase()
    return this.classes.find((entry) => entry.level === 'group' && entry.subgroup.toLowerCase() === wanted)?.code
  }

  outcome(number: number): OutcomeType | undefined {
    return this.byOutcome.get(number)
  }

  stalkingRelatedCodes(): string[] {
    return this.classes.filter((entry) => entry.stalkingRelated).map((entry) => entry.code)
  }

  watchedCodes(): string[] {
    return this.classes.filter((entry) => entry.watchedByDefault).map((entry) => entry.code)
  }

  stalkingCodes(): string[] {
    return this.classes.filter((entry) => entry.isStalking).map((entry) => entry.code)
  }

  /** Offence groups in file order, each with its subgroups in file order. */
  groups(): { group: string; subgroups: string[] }[] {
    const groups = new Map<string, string[]>()
    for (const entry of this.classes) {
      const subgroups = groups.get(entry.group) ?? []
      if (!subgroups.includes(entry.subgroup)) subgroups.push(entry.subgroup)
      groups.set(entry.group, subgroups)
    }
    return [...groups].map(([group, subgroups]) => ({ group, subgroups }))
  }
}

export function loadOffenceClasses(file = OFFENCE_CLASSES_FILE): OffenceClassesFile {
  return validate(file, offenceClassesFileSchema, readJson(file))
}

export function loadOutcomeTypes(file = OUTCOME_TYPES_FILE): OutcomeTypesFile {
  const data = validate(file, outcomeTypesFileSchema, readJson(file))
  const numbers = data.outcomes.map((outcome) => outcome.number).sort((a, b) => a - b)
  const expected = Array.from({ length: 22 }, (_, index) => index + 1)
  if (numbers.join(',') !== expected.join(',')) {
    throw new ReferenceDataError(
      file,
      'outcomes',
      `expected outcome numbers 1 to 22 once each, found ${numbers.join(', ')}`,
    )
  }
  return data
}

export function loadReference(files = { offences: OFFENCE_CLASSES_FILE, outcomes: OUTCOME_TYPES_FILE }) {
  return new ClassificationReference(loadOffenceClasses(files.offences), loadOutcomeTypes(files.outcomes), files)
}

let cached: ClassificationReference | undefined

/** The shipped reference data, loaded and validated once. */
export function reference(): ClassificationReference {
  cached ??= loadReference()
  return cached
}

export function offenceClass(code: string): OffenceClass | undefined {
  return reference().offenceClass(code)
}

export function outcomeType(number: number): OutcomeType | undefined {
  return reference().outcome(number)
}

export function stalkingRelatedCodes(): string[] {
  return reference().stalkingRelatedCodes()
}

export function watchedCodes(): string[] {
  return reference().watchedCodes()
}

export function offenceGroups(): { group: string; subgroups: string[] }[] {
  return reference().groups()
}
