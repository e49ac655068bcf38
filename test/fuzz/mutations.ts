// Seeded mutations of valid plan documents and crime extracts, for the fuzz suite: the byte-level damage of
// test/support/mutate.ts and damage that knows the file's structure (rows and columns of a table, cells of a workbook,
// the entries of a zip container and the XML inside them, text encodings, huge cells). The same seed always gives the
// same input, so a failure is replayed from its seed alone.
import { inflateRawSync } from 'node:zlib'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { Random } from '../../src/platform/random.ts'
import { mutate as mutateBytes } from '../support/mutate.ts'
import { entry, zip, type ZipEntry } from '../support/zips.ts'

export interface Mutated {
  content: Buffer
  /** What was done, in words, for the failure message. */
  how: string
}

/** How an input is built: text (CSV, tab-separated, HTML), an Excel workbook, another zip container, or a PDF. */
export type Shape = 'text' | 'xlsx' | 'zip' | 'pdf'

type Mutator = (content: Buffer, random: Random) => Promise<Mutated> | Mutated

/** One to three mutations, chosen by the seed, applied one after another. */
export async function mutateInput(content: Buffer, shape: Shape, seed: number): Promise<Mutated> {
  const random = new Random(seed)
  const mutators = MUTATORS[shape]
  const count = 1 + (random.chance(0.35) ? 1 + random.int(2) : 0)
  const steps: string[] = []
  let out = content
  for (let i = 0; i < count; i++) {
    const [name, mutator] = random.pick(mutators)
    const result = await mutator(out, random)
    out = result.content
    steps.push(`${name}: ${result.how}`)
  }
  return { content: out, how: steps.join('; then ') }
}

// ------------------------------------------------------------------------------------------------------- bytes

const bytes: Mutator = (content, random) => mutateBytes(content, random.int(2 ** 31))

// -------------------------------------------------------------------------------------------------------- text

/** Lines, with the separator the text uses between cells (tab for the seed's converted table, else a comma). */
function linesOf(content: Buffer): { lines: string[]; eol: string; separator: string } {
  const text = content.toString('utf8')
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const lines = text.split(eol)
  const separator = (text.match(/\t/g)?.length ?? 0) > (text.match(/,/g)?.length ?? 0) ? '\t' : ','
  return { lines, eol, separator }
}

const lineMutator =
  (change: (lines: string[], random: Random, separator: string) => string): Mutator =>
  (content, random) => {
    const { lines, eol, separator } = linesOf(content)
    const how = change(lines, random, separator)
    return { content: Buffer.from(lines.join(eol), 'utf8'), how }
  }

const duplicateRows = lineMutator((lines, random) => {
  const at = random.int(lines.length)
  const times = random.pick([1, 2, 10, 200])
  lines.splice(at, 0, ...Array.from({ length: times }, () => lines[at]))
  return `line ${at + 1} repeated ${times} times`
})

const removeRows = lineMutator((lines, random) => {
  const at = random.int(lines.length)
  const count = 1 + random.int(Math.max(1, Math.floor(lines.length / 4)))
  lines.splice(at, count)
  return `${count} lines removed from line ${at + 1}`
})

const swapRows = lineMutator((lines, random) => {
  const a = random.int(lines.length)
  const b = random.int(lines.length)
  ;[lines[a], lines[b]] = [lines[b], lines[a]]
  return `lines ${a + 1} and ${b + 1} swapped`
})

/** Splits each line on the separator (quotes ignored: a fuzzer need not respect them) and changes one column. */
const columnMutator = (kind: 'remove' | 'duplicate' | 'swap' | 'blank'): Mutator =>
  lineMutator((lines, random, separator) => {
    const width = Math.max(...lines.slice(0, 20).map((line) => line.split(separator).length))
    const column = random.int(width)
    const other = random.int(width)
    for (let i = 0; i < lines.length; i++) {
      const cells = lines[i].split(separator)
      if (column >= cells.length) continue
      if (kind === 'remove') cells.splice(column, 1)
      else if (kind === 'duplicate') cells.splice(column, 0, cells[column])
      else if (kind === 'blank' && i > 0) cells[column] = ''
      else if (kind === 'swap' && other < cells.length) [cells[column], cells[other]] = [cells[other], cells[column]]
      lines[i] = cells.join(separator)
    }
    return kind === 'swap' ? `columns ${column + 1} and ${other + 1} swapped` : `column ${column + 1}: ${kind}`
  })

/** A cell replaced by something a records system or a person might really put there, or worse. */
const ODD_VALUES = [
  '',
  ' ',
  '"',
  '""',
  '"unclosed',
  '=HYPERLINK("http://example.invalid")',
  '+1+1',
  '-1',
  '0',
  '99999999999999999999',
  '1e309',
  '3.5',
  '31/02/2025',
  '00/00/0000',
  '2025-13-45',
  '29/02/2023',
  '01/01/1800',
  '01/01/9999',
  '1 January 2025 25:61',
  '45000',
  '150%',
  '-20%',
  'In Progress 250%',
  'Complete 100% 100%',
  '8Q',
  '8Q;8Q;8Q',
  '999Z',
  ';;;;',
  '<b>bold</b>',
  '<script>alert(1)</script>',
  '&amp;&lt;&#0;&#xFFFF;',
  '\u0000',
  '\u2028\u2029',
  '\u202Eright to left',
  '\uFEFF',
  '\uD800',
  'e\u0301\u0301\u0301',
  '🙂🙂🙂',
  '7.1.1.1.1',
  '7..1',
  'Rec. No.',
  'Crime Ref',
]

const oddCell = lineMutator((lines, random, separator) => {
  const row = random.int(lines.length)
  const cells = lines[row].split(separator)
  const column = random.int(cells.length)
  const value = random.pick(ODD_VALUES)
  cells[column] = value
  lines[row] = cells.join(separator)
  return `line ${row + 1} cell ${column + 1} set to ${JSON.stringify(value)}`
})

/** A cell of up to 2 MB: one long word, many words, or a quoted value running over many lines. */
function hugeValue(random: Random): { value: string; how: string } {
  const size = random.pick([5_000, 70_000, 300_000, 2_000_000])
  const kind = random.int(3)
  if (kind === 0) return { value: 'x'.repeat(size), how: `${size} characters of one word` }
  if (kind === 1) return { value: 'stalking and harassment '.repeat(size / 24), how: `${size} characters of words` }
  return { value: `"${'a line\n'.repeat(size / 8)}"`, how: `a quoted value of ${size / 8} lines` }
}

const hugeCell = lineMutator((lines, random, separator) => {
  const row = random.int(lines.length)
  const cells = lines[row].split(separator)
  const column = random.int(cells.length)
  const { value, how } = hugeValue(random)
  cells[column] = value
  lines[row] = cells.join(separator)
  return `line ${row + 1} cell ${column + 1} replaced by ${how}`
})

const manyColumns = lineMutator((lines, random, separator) => {
  const extra = random.pick([50, 2000])
  const row = random.chance(0.5) ? 0 : random.int(lines.length)
  lines[row] += Array.from({ length: extra }, (_, i) => `${separator}Extra ${i}`).join('')
  return `${extra} columns added to line ${row + 1}`
})

const manyRows = lineMutator((lines, random) => {
  const body = lines.slice(1).filter(Boolean)
  const times = Math.ceil(random.pick([2_000, 20_000]) / Math.max(1, body.length))
  for (let i = 0; i < times; i++) lines.push(...body)
  return `the rows repeated ${times} times`
})

const separators: Mutator = (content, random) => {
  const { separator } = linesOf(content)
  const to = random.pick([';', '\t', '|', ',', ' '].filter((s) => s !== separator))
  return {
    content: Buffer.from(content.toString('utf8').split(separator).join(to), 'utf8'),
    how: `${JSON.stringify(separator)} replaced by ${JSON.stringify(to)}`,
  }
}

const lineEndings: Mutator = (content, random) => {
  const to = random.pick(['\r\n', '\r', '\n\n', '\u2028'])
  return {
    content: Buffer.from(content.toString('utf8').replace(/\r?\n/g, to), 'utf8'),
    how: `line endings made ${JSON.stringify(to)}`,
  }
}

const insertText: Mutator = (content, random) => {
  const text = content.toString('utf8')
  const at = random.int(text.length + 1)
  const value = random.pick(['"', '""', '\u0000', '\t', ',', '\r', '\n', '<table>', '</td>', '<!--', ']]>', '\uFFFD'])
  const times = random.pick([1, 3, 1000])
  return {
    content: Buffer.from(text.slice(0, at) + value.repeat(times) + text.slice(at), 'utf8'),
    how: `${JSON.stringify(value)} x${times} inserted at character ${at}`,
  }
}

/** The text in another encoding, with or without its byte-order mark, or with bytes no encoding allows. */
const encodings: Mutator = (content, random) => {
  const text = content.toString('utf8')
  const kind = random.int(7)
  switch (kind) {
    case 0:
      return { content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), how: 'UTF-16LE' }
    case 1:
      return { content: Buffer.from(text, 'utf16le'), how: 'UTF-16LE without its byte-order mark' }
    case 2: {
      const le = Buffer.from(text, 'utf16le')
      const be = Buffer.alloc(le.length)
      for (let i = 0; i + 1 < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1], le[i]]
      return { content: Buffer.concat([Buffer.from([0xfe, 0xff]), be]), how: 'UTF-16BE' }
    }
    case 3:
      return { content: Buffer.from(`${text.slice(0, 200)}é£€’ ${text.slice(200)}`, 'latin1'), how: 'Latin-1' }
    case 4:
      return { content: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), content]), how: 'UTF-8 byte-order mark added' }
    case 5: {
      const out = Buffer.from(content)
      for (let i = 0; i < 5; i++) out[random.int(out.length)] = random.pick([0xc3, 0xe2, 0xff, 0x80, 0xfe])
      return { content: out, how: 'bytes no UTF-8 text has' }
    }
    default:
      // A BOM that contradicts the bytes after it.
      return { content: Buffer.concat([Buffer.from([0xff, 0xfe]), content]), how: 'UTF-16 byte-order mark on UTF-8' }
  }
}

const TEXT: [string, Mutator][] = [
  ['bytes', bytes],
  ['bytes', bytes],
  ['duplicate rows', duplicateRows],
  ['remove rows', removeRows],
  ['swap rows', swapRows],
  ['remove column', columnMutator('remove')],
  ['duplicate column', columnMutator('duplicate')],
  ['swap columns', columnMutator('swap')],
  ['blank column', columnMutator('blank')],
  ['odd cell', oddCell],
  ['odd cell', oddCell],
  ['huge cell', hugeCell],
  ['many columns', manyColumns],
  ['many rows', manyRows],
  ['separators', separators],
  ['line endings', lineEndings],
  ['insert', insertText],
  ['encoding', encodings],
]

// ------------------------------------------------------------------------------------------------ zip containers

async function entriesOf(content: Buffer): Promise<ZipEntry[] | null> {
  try {
    const archive = await JSZip.loadAsync(content)
    const out: ZipEntry[] = []
    for (const file of Object.values(archive.files)) {
      if (file.dir) continue
      out.push(entry(file.name, await file.async('nodebuffer'), file.name === 'mimetype'))
    }
    return out
  } catch {
    return null // already damaged by an earlier step: the next step works on the bytes
  }
}

const entryMutator =
  (change: (entries: ZipEntry[], random: Random) => Promise<string> | string): Mutator =>
  async (content, random) => {
    const entries = await entriesOf(content)
    if (!entries || entries.length === 0) return bytes(content, random)
    const how = await change(entries, random)
    return { content: zip(entries), how }
  }

const removeEntry = entryMutator((entries, random) => {
  const at = random.int(entries.length)
  const [removed] = entries.splice(at, 1)
  return `entry "${removed.name}" removed`
})

const renameEntry = entryMutator((entries, random) => {
  const at = random.int(entries.length)
  const from = entries[at].name
  const to = random.pick(['', '/', '../escape.xml', `${from}.bak`, from.toUpperCase(), 'a'.repeat(300)])
  entries[at] = { ...entries[at], name: to }
  return `entry "${from}" renamed ${JSON.stringify(to)}`
})

const duplicateEntry = entryMutator((entries, random) => {
  const at = random.int(entries.length)
  entries.push({ ...entries[at] })
  return `entry "${entries[at].name}" stored twice`
})

const garbageEntry = entryMutator((entries, random) => {
  const at = random.int(entries.length)
  const junk = Buffer.from(Array.from({ length: 1 + random.int(4096) }, () => random.int(256)))
  entries[at] = entry(entries[at].name, junk)
  return `entry "${entries[at].name}" replaced by ${junk.length} random bytes`
})

const wrongChecksum = entryMutator((entries, random) => {
  const at = random.int(entries.length)
  entries[at] = { ...entries[at], crc: entries[at].crc ^ 0x5a5a }
  return `entry "${entries[at].name}" given a wrong checksum`
})

const wrongSize = entryMutator((entries, random) => {
  const at = random.int(entries.length)
  const size = random.pick([0, 1, entries[at].size * 2, 0xffffffff])
  entries[at] = { ...entries[at], size }
  return `entry "${entries[at].name}" said to expand to ${size} bytes`
})

const manyEntries = entryMutator((entries, random) => {
  const count = random.pick([100, 1500, 2500])
  for (let i = 0; i < count; i++) entries.push(entry(`extra/${i}.xml`, '<a/>'))
  return `${count} entries added`
})

function xmlEntries(entries: ZipEntry[]): number[] {
  return entries.map((e, i) => (/\.(xml|rels)$/.test(e.name) ? i : -1)).filter((i) => i >= 0)
}

/** Changes the text of one XML entry (preferring the one holding the table) with a text mutation. */
const xmlMutator = (change: (xml: string, random: Random) => { xml: string; how: string }): Mutator =>
  entryMutator((entries, random) => {
    const candidates = xmlEntries(entries)
    if (candidates.length === 0) return 'no XML entry to change'
    const main = candidates.filter((i) =>
      /content\.xml|document\.xml|sheet\d*\.xml|sharedStrings/.test(entries[i].name),
    )
    const at = random.pick(main.length > 0 && random.chance(0.8) ? main : candidates)
    const raw = inflated(entries[at])
    const { xml, how } = change(raw, random)
    entries[at] = entry(entries[at].name, xml, entries[at].stored)
    return `in "${entries[at].name}", ${how}`
  })

/** An entry's text (entries built by entriesOf hold their plain bytes deflated). */
function inflated(item: ZipEntry): string {
  return (item.stored ? item.deflated : inflateRawSync(item.deflated)).toString('utf8')
}

/** The elements that make a table's rows and cells in XLSX, ODS and DOCX. */
const ROW_TAGS = ['row', 'c', 'si', 'table:table-row', 'table:table-cell', 'w:tr', 'w:tc', 'w:p', 'w:tbl', 'sheet']

function elementsOf(xml: string, tag: string): { start: number; end: number }[] {
  const pattern = new RegExp(`<${tag.replace(':', '\\:')}\\b[^>]*?(?:/>|>[\\s\\S]*?</${tag.replace(':', '\\:')}>)`, 'g')
  const out: { start: number; end: number }[] = []
  for (const match of xml.matchAll(pattern)) {
    out.push({ start: match.index, end: match.index + match[0].length })
    if (out.length > 5000) break
  }
  return out
}

const xmlElement = xmlMutator((xml, random) => {
  const tags = ROW_TAGS.filter((tag) => xml.includes(`<${tag}`))
  if (tags.length === 0) return { xml: xml.slice(0, random.int(xml.length)), how: 'cut short' }
  const tag = random.pick(tags)
  const found = elementsOf(xml, tag)
  if (found.length === 0) return { xml, how: `no <${tag}> element` }
  const { start, end } = random.pick(found)
  const element = xml.slice(start, end)
  const kind = random.int(4)
  if (kind === 0) return { xml: xml.slice(0, start) + xml.slice(end), how: `a <${tag}> removed` }
  if (kind === 1) {
    const times = random.pick([1, 5, 500])
    return { xml: xml.slice(0, end) + element.repeat(times) + xml.slice(end), how: `a <${tag}> repeated ${times}x` }
  }
  if (kind === 2) {
    const { value, how } = hugeValue(random)
    const changed = element.replace(/>([^<]+)</, `>${value.replace(/[<&]/g, ' ')}<`)
    return { xml: xml.slice(0, start) + changed + xml.slice(end), how: `a <${tag}>'s text replaced by ${how}` }
  }
  const value = random.pick(ODD_VALUES).replace(/[<&]/g, ' ')
  const changed = element.replace(/>([^<]+)</, `>${value}<`)
  return {
    xml: xml.slice(0, start) + changed + xml.slice(end),
    how: `a <${tag}>'s text set to ${JSON.stringify(value)}`,
  }
})

const xmlAttribute = xmlMutator((xml, random) => {
  const attributes = [...xml.matchAll(/\s([\w:]+)="([^"]*)"/g)].slice(0, 5000)
  if (attributes.length === 0) return { xml, how: 'no attribute' }
  const match = random.pick(attributes)
  const value = random.pick([
    '',
    '-1',
    '0',
    '99999999',
    'A1048577',
    'XFD1',
    'ZZZZ99',
    'x',
    '1:1',
    's',
    'inlineStr',
    'e',
  ])
  const replaced = ` ${match[1]}="${value}"`
  return {
    xml: xml.slice(0, match.index) + replaced + xml.slice(match.index + match[0].length),
    how: `attribute ${match[1]}="${match[2].slice(0, 20)}" made "${value}"`,
  }
})

const xmlText = xmlMutator((xml, random) => {
  const kind = random.int(5)
  if (kind === 0) {
    const at = random.int(xml.length)
    return { xml: xml.slice(0, at), how: `cut at character ${at}` }
  }
  if (kind === 1) {
    const at = random.int(xml.length)
    const junk = random.pick(['<', '>', '&', '&bogus;', '</unopened>', '<![CDATA[', '\u0000', '<?xml version="1.0"?>'])
    return { xml: xml.slice(0, at) + junk + xml.slice(at), how: `${JSON.stringify(junk)} inserted at ${at}` }
  }
  if (kind === 2) {
    const depth = random.pick([100, 10_000, 100_000])
    const at = xml.indexOf('>', xml.indexOf('<', 50)) + 1
    return {
      xml: xml.slice(0, at) + '<x>'.repeat(depth) + '</x>'.repeat(depth) + xml.slice(at),
      how: `elements nested ${depth} deep`,
    }
  }
  if (kind === 3) {
    // Entity expansion ("billion laughs"): a parser that expands entities would build gigabytes.
    const doctype =
      '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]>'
    const body = xml.replace(/^<\?xml[^>]*\?>/, '')
    const at = body.search(/>[^<]/)
    return {
      xml: `<?xml version="1.0"?>${doctype}${at > 0 ? body.slice(0, at + 1) + '&g;' + body.slice(at + 1) : body}`,
      how: 'an entity expanding to 10^7 characters',
    }
  }
  const damaged = mutateBytes(Buffer.from(xml, 'utf8'), random.int(2 ** 31))
  return { xml: damaged.content.toString('utf8'), how: damaged.how }
})

const ZIP: [string, Mutator][] = [
  ['bytes', bytes],
  ['bytes', bytes],
  ['remove entry', removeEntry],
  ['rename entry', renameEntry],
  ['duplicate entry', duplicateEntry],
  ['garbage entry', garbageEntry],
  ['wrong checksum', wrongChecksum],
  ['wrong size', wrongSize],
  ['many entries', manyEntries],
  ['xml element', xmlElement],
  ['xml element', xmlElement],
  ['xml element', xmlElement],
  ['xml attribute', xmlAttribute],
  ['xml text', xmlText],
  ['xml text', xmlText],
]

// ------------------------------------------------------------------------------------------------------ workbooks

/** Changes the workbook through ExcelJS (rows, columns and cells as a spreadsheet program would change them). */
const workbookMutator =
  (change: (sheet: ExcelJS.Worksheet, random: Random, workbook: ExcelJS.Workbook) => string): Mutator =>
  async (content, random) => {
    const workbook = new ExcelJS.Workbook()
    try {
      await workbook.xlsx.load(content as unknown as ExcelJS.Buffer)
    } catch {
      return bytes(content, random)
    }
    const sheets = workbook.worksheets.filter((sheet) => sheet.rowCount > 0)
    if (sheets.length === 0) return bytes(content, random)
    const sheet = sheets.at(-1)!
    try {
      const how = change(sheet, random, workbook)
      return { content: Buffer.from(await workbook.xlsx.writeBuffer()), how: `sheet "${sheet.name}": ${how}` }
    } catch {
      // ExcelJS refuses some changes to a workbook an earlier step changed ("Cannot merge already merged cells").
      return bytes(content, random)
    }
  }

const cellValues = (random: Random): { value: ExcelJS.CellValue; how: string } => {
  const kind = random.int(9)
  switch (kind) {
    case 0:
      return { value: null, how: 'emptied' }
    case 1:
      return { value: random.pick([-1, 0, 3.25, 1e15, Number.MAX_SAFE_INTEGER, 45000]), how: 'a number' }
    case 2:
      return { value: new Date(Date.UTC(random.pick([1899, 1900, 2025, 2999]), 1, 28)), how: 'a date' }
    case 3:
      return { value: random.chance(0.5), how: 'a boolean' }
    case 4:
      return { value: { formula: 'A1*2', result: 7 }, how: 'a formula' }
    case 5:
      return { value: { error: '#N/A' } as ExcelJS.CellErrorValue, how: 'an error value' }
    case 6:
      return { value: { richText: [{ text: 'Rich ' }, { font: { bold: true }, text: 'text' }] }, how: 'rich text' }
    case 7:
      return { value: { text: 'a link', hyperlink: 'javascript:alert(1)' }, how: 'a hyperlink' }
    default: {
      const odd = random.pick(ODD_VALUES)
      return { value: odd, how: `the text ${JSON.stringify(odd)}` }
    }
  }
}

const workbookCell = workbookMutator((sheet, random) => {
  const row = 1 + random.int(Math.max(1, sheet.rowCount))
  const column = 1 + random.int(Math.max(1, sheet.columnCount))
  const { value, how } = cellValues(random)
  sheet.getCell(row, column).value = value
  return `cell R${row}C${column} made ${how}`
})

const workbookHugeCell = workbookMutator((sheet, random) => {
  const row = 1 + random.int(Math.max(1, sheet.rowCount))
  const column = 1 + random.int(Math.max(1, sheet.columnCount))
  const { value, how } = hugeValue(random)
  sheet.getCell(row, column).value = value
  return `cell R${row}C${column} replaced by ${how}`
})

const workbookRows = workbookMutator((sheet, random) => {
  const row = 1 + random.int(Math.max(1, sheet.rowCount))
  const kind = random.int(3)
  if (kind === 0) {
    const count = 1 + random.int(Math.max(1, Math.floor(sheet.rowCount / 3)))
    sheet.spliceRows(row, count)
    return `${count} rows removed from row ${row}`
  }
  if (kind === 1) {
    const times = random.pick([1, 3, 100])
    sheet.duplicateRow(row, times, true)
    return `row ${row} repeated ${times} times`
  }
  sheet.spliceRows(row, 0, [])
  return `an empty row inserted at row ${row}`
})

const workbookColumns = workbookMutator((sheet, random) => {
  const column = 1 + random.int(Math.max(1, sheet.columnCount))
  const kind = random.int(3)
  if (kind === 0) {
    sheet.spliceColumns(column, 1)
    return `column ${column} removed`
  }
  if (kind === 1) {
    const values = sheet.getColumn(column).values as ExcelJS.CellValue[]
    sheet.spliceColumns(column, 0, values)
    return `column ${column} repeated`
  }
  const other = 1 + random.int(Math.max(1, sheet.columnCount))
  const a = sheet.getColumn(column).values as ExcelJS.CellValue[]
  const b = sheet.getColumn(other).values as ExcelJS.CellValue[]
  sheet.getColumn(column).values = b
  sheet.getColumn(other).values = a
  return `columns ${column} and ${other} swapped`
})

const workbookShape = workbookMutator((sheet, random, workbook) => {
  const kind = random.int(4)
  if (kind === 0) {
    const last = Math.max(2, Math.min(sheet.rowCount, 6))
    sheet.mergeCells(1, 1, last, 2)
    return `cells R1C1:R${last}C2 merged`
  }
  if (kind === 1) {
    const empty = workbook.addWorksheet('Empty first')
    workbook.worksheets.splice(workbook.worksheets.indexOf(empty), 1)
    workbook.worksheets.unshift(empty)
    return 'an empty worksheet put first'
  }
  if (kind === 2) {
    sheet.getCell(1_048_576, 16_384).value = 'far corner'
    return 'a value in the last cell a sheet can have'
  }
  sheet.state = 'hidden'
  return 'the sheet hidden'
})

const XLSX: [string, Mutator][] = [
  ...ZIP,
  ['cell', workbookCell],
  ['cell', workbookCell],
  ['huge cell', workbookHugeCell],
  ['rows', workbookRows],
  ['rows', workbookRows],
  ['columns', workbookColumns],
  ['columns', workbookColumns],
  ['shape', workbookShape],
]

// ---------------------------------------------------------------------------------------------------------- PDF

/** A PDF's objects, numbers and streams damaged in the text of the file (a PDF is mostly Latin-1 text). */
const pdfText: Mutator = (content, random) => {
  const text = content.toString('latin1')
  const kind = random.int(4)
  if (kind === 0) {
    const found = [...text.matchAll(/endstream|endobj|xref|trailer|startxref|%%EOF/g)]
    if (found.length === 0) return bytes(content, random)
    const match = random.pick(found)
    return {
      content: Buffer.from(text.slice(0, match.index) + text.slice(match.index + match[0].length), 'latin1'),
      how: `"${match[0]}" at ${match.index} removed`,
    }
  }
  if (kind === 1) {
    const numbers = [...text.matchAll(/\b\d+\b/g)].slice(0, 20000)
    const match = random.pick(numbers)
    const to = String(random.pick([0, -1, 999999999, Number(match[0]) + 1]))
    return {
      content: Buffer.from(text.slice(0, match.index) + to + text.slice(match.index + match[0].length), 'latin1'),
      how: `number ${match[0]} at ${match.index} made ${to}`,
    }
  }
  if (kind === 2) {
    const streams = [...text.matchAll(/stream\r?\n/g)]
    if (streams.length === 0) return bytes(content, random)
    const match = random.pick(streams)
    const at = match.index + match[0].length
    const junk = Buffer.from(Array.from({ length: 200 }, () => random.int(256)))
    return {
      content: Buffer.concat([content.subarray(0, at), junk, content.subarray(at + 200)]),
      how: `a stream at ${at} overwritten`,
    }
  }
  const objects = [...text.matchAll(/\d+ 0 obj[\s\S]*?endobj/g)]
  if (objects.length === 0) return bytes(content, random)
  const match = random.pick(objects)
  return {
    content: Buffer.from(text.slice(0, match.index) + match[0] + '\n' + text.slice(match.index), 'latin1'),
    how: `object "${match[0].slice(0, 12)}" stored twice`,
  }
}

const PDF: [string, Mutator][] = [
  ['bytes', bytes],
  ['bytes', bytes],
  ['pdf', pdfText],
  ['pdf', pdfText],
  ['pdf', pdfText],
]

const MUTATORS: Record<Shape, [string, Mutator][]> = { text: TEXT, xlsx: XLSX, zip: ZIP, pdf: PDF }
