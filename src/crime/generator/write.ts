// Writes generated records as the CSV extracts a records system would give us (see docs/crime-import-formats.md)
// plus truth.jsonl. Streams: records are written as they come, honouring back-pressure.

import { once } from 'node:events'
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import type { PartyInput } from '../model.ts'
import type { GeneratedRecord } from './types.ts'

export type ExtractLayout = 'single' | 'split'

export const SINGLE_HEADER = [
  'Crime Ref',
  'Record Type',
  'Force',
  'Date Reported',
  'Committed From',
  'Committed To',
  'HO Code',
  'Included Offences',
  'DA Flag',
  'Online Flag',
  'Repeat Victim',
  'Persons',
  'MO',
  'Team',
  'OIC',
  'Status',
  'Outcome',
  'Linked Refs',
  'Location',
]
export const SPLIT_CRIMES_HEADER = [
  'Crime Ref',
  'Record Type',
  'Force',
  'Date Reported',
  'Committed From',
  'Committed To',
  'HO Code',
  'DA Flag',
  'Online Flag',
  'Repeat Victim',
  'MO',
  'Team',
  'OIC',
  'Status',
  'Outcome',
  'Linked Refs',
  'Location',
]
export const SPLIT_CLASSIFICATIONS_HEADER = ['Crime Ref', 'Offence Code', 'Added By', 'Date Added', 'Reason']
export const SPLIT_PARTIES_HEADER = [
  'Crime Ref',
  'Role',
  'Person Ref',
  'Surname',
  'Forename',
  'Date of Birth',
  'Phone',
  'Email',
  'Social Media',
  'Vehicle',
  'PNC ID',
  'Other Identifiers',
]

const QUOTE_NEEDED = /[",\r\n]/

/** One CSV field, quoted only when it must be (RFC 4180). */
export function csvField(value: string): string {
  return QUOTE_NEEDED.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

function csvLine(values: readonly string[]): string {
  let line = ''
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : ',') + csvField(values[i])
  return line + '\r\n'
}

/** 'YYYY-MM-DD' -> 'DD/MM/YYYY'; 'YYYY-MM-DDTHH:mm[:ss]' -> 'DD/MM/YYYY HH:mm'. */
export function ukDate(iso: string | null): string {
  if (!iso) return ''
  const date = `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`
  return iso.length > 10 ? `${date} ${iso.slice(11, 16)}` : date
}

function isoSpaced(iso: string | null): string {
  if (!iso) return ''
  return iso.length > 10 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso
}

const yn = (flag: boolean) => (flag ? 'Y' : 'N')

/** The single layout's Persons cell: 'ROLE: Surname, Forename (DOB dd/mm/yyyy) [ref] {kind value, ...}' joined by ' | '. */
export function encodeParties(parties: readonly PartyInput[]): string {
  return parties
    .map((party) => {
      let text = `${party.role.toUpperCase()}: ${party.surname ?? ''}`
      if (party.forename) text += `, ${party.forename}`
      if (party.dateOfBirth) text += ` (DOB ${ukDate(party.dateOfBirth)})`
      if (party.personRef) text += ` [${party.personRef}]`
      if (party.identifiers.length > 0) {
        text += ` {${party.identifiers.map((identifier) => `${identifier.kind} ${identifier.value}`).join(', ')}}`
      }
      return text
    })
    .join(' | ')
}

class Out {
  private readonly stream: WriteStream
  private buffer = ''

  constructor(readonly path: string) {
    this.stream = createWriteStream(path)
  }

  /** Buffers text; returns a promise only when the stream wants the writer to wait. */
  write(text: string): Promise<unknown> | undefined {
    this.buffer += text
    if (this.buffer.length < 1 << 16) return undefined
    const chunk = this.buffer
    this.buffer = ''
    return this.stream.write(chunk) ? undefined : once(this.stream, 'drain')
  }

  async close(): Promise<void> {
    if (this.buffer) this.stream.write(this.buffer)
    this.buffer = ''
    this.stream.end()
    await once(this.stream, 'finish')
  }
}

export interface WriteOptions {
  layout: ExtractLayout
  /** Force name for the Force column; default 'Demoshire Police'. */
  force?: string
}

export interface WrittenFiles {
  /** Extract files, crimes file first. */
  files: string[]
  truth: string
  records: number
}

/** Writes records as CSV extracts in `dir` (created if missing) plus truth.jsonl; resolves when all are flushed. */
export async function writeImportFiles(
  records: Iterable<GeneratedRecord> | AsyncIterable<GeneratedRecord>,
  dir: string,
  options: WriteOptions,
): Promise<WrittenFiles> {
  mkdirSync(dir, { recursive: true })
  const force = options.force ?? 'Demoshire Police'
  const split = options.layout === 'split'
  const crimes = new Out(join(dir, split ? 'crimes.csv' : 'crimes-extract.csv'))
  const classifications = split ? new Out(join(dir, 'classifications.csv')) : null
  const parties = split ? new Out(join(dir, 'parties.csv')) : null
  const truth = new Out(join(dir, 'truth.jsonl'))
  void crimes.write(csvLine(split ? SPLIT_CRIMES_HEADER : SINGLE_HEADER))
  void classifications?.write(csvLine(SPLIT_CLASSIFICATIONS_HEADER))
  void parties?.write(csvLine(SPLIT_PARTIES_HEADER))
  let count = 0
  const waits: (Promise<unknown> | undefined)[] = []
  const writeOne = ({ record, truth: labels }: GeneratedRecord) => {
    count++
    const occurrence = record.occurrences[0]
    const common = {
      ref: record.forceReference,
      type: record.kind === 'intelligence' ? 'Intelligence' : 'Crime',
      outcome: record.outcome === null ? '' : String(record.outcome),
      linked: record.linkedCrimeRefs.join('; '),
    }
    if (split) {
      waits.push(
        crimes.write(
          csvLine([
            common.ref,
            common.type,
            force,
            isoSpaced(record.reportedAt),
            occurrence?.from ?? '',
            occurrence?.to ?? '',
            record.principal ?? '',
            yn(record.flags.domesticAbuse),
            yn(record.flags.online),
            yn(record.flags.repeatVictim),
            record.narrative,
            record.team ?? '',
            record.officerInCase ?? '',
            record.status ?? '',
            common.outcome,
            common.linked,
            record.location ?? '',
          ]),
        ),
      )
      for (const c of record.included) {
        waits.push(
          classifications!.write(csvLine([common.ref, c.code, c.addedBy ?? '', c.addedAt ?? '', c.reason ?? ''])),
        )
      }
      for (const party of record.parties) {
        const of = (kind: string) =>
          party.identifiers
            .filter((i) => i.kind === kind)
            .map((i) => i.value)
            .join('; ')
        waits.push(
          parties!.write(
            csvLine([
              common.ref,
              party.role,
              party.personRef ?? '',
              party.surname ?? '',
              party.forename ?? '',
              party.dateOfBirth ?? '',
              of('phone'),
              of('email'),
              of('social'),
              of('vehicle'),
              of('pnc'),
              of('other'),
            ]),
          ),
        )
      }
    } else {
      waits.push(
        crimes.write(
          csvLine([
            common.ref,
            common.type,
            force,
            ukDate(record.reportedAt),
            ukDate(occurrence?.from ?? null),
            ukDate(occurrence?.to ?? null),
            record.principal ?? '',
            record.included.map((c) => c.code).join(';'),
            yn(record.flags.domesticAbuse),
            yn(record.flags.online),
            yn(record.flags.repeatVictim),
            encodeParties(record.parties),
            record.narrative,
            record.team ?? '',
            record.officerInCase ?? '',
            record.status ?? '',
            common.outcome,
            common.linked,
            record.location ?? '',
          ]),
        ),
      )
    }
    waits.push(truth.write(JSON.stringify({ forceReference: record.forceReference, ...labels }) + '\n'))
  }
  const flush = async () => {
    for (const wait of waits) if (wait) await wait
    waits.length = 0
  }
  if (Symbol.iterator in records) {
    for (const item of records) {
      writeOne(item)
      if (waits.some(Boolean)) await flush()
      else waits.length = 0
    }
  } else {
    for await (const item of records) {
      writeOne(item)
      await flush()
    }
  }
  const outs = [crimes, classifications, parties].filter((out): out is Out => out !== null)
  await Promise.all([...outs, truth].map((out) => out.close()))
  return { files: outs.map((out) => out.path), truth: truth.path, records: count }
}
