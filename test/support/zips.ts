// Zip archives built byte by byte for tests: ordinary entries, and "zip bombs" (an entry that expands from a small
// deflated body to hundreds of megabytes), made by streaming one repeated chunk through Node's deflate so building a
// 400 MB bomb costs about a second and no more memory than the chunk.
import { createDeflateRaw, crc32, deflateRawSync } from 'node:zlib'

export interface ZipEntry {
  name: string
  /** Compressed (deflated) body, the uncompressed size and the CRC-32 of the uncompressed bytes. */
  deflated: Buffer
  size: number
  crc: number
  /** Store uncompressed instead (deflated is then the plain bytes). */
  stored?: boolean
}

export function entry(name: string, content: string | Buffer, stored = false): ZipEntry {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
  return { name, deflated: stored ? bytes : deflateRawSync(bytes), size: bytes.length, crc: crc32(bytes), stored }
}

/** An entry of `head`, then `repeat` repeated until the entry is at least `bytes` long, then `tail`. */
export async function bombEntry(name: string, bytes: number, repeat: string, head = '', tail = ''): Promise<ZipEntry> {
  const chunkText = repeat.repeat(Math.max(1, Math.floor((1 << 20) / repeat.length)))
  const chunk = Buffer.from(chunkText, 'utf8')
  const deflate = createDeflateRaw({ level: 9 })
  const parts: Buffer[] = []
  deflate.on('data', (part: Buffer) => parts.push(part))
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve)
    deflate.on('error', reject)
  })
  let size = 0
  let crc = 0
  const write = async (buffer: Buffer) => {
    size += buffer.length
    crc = crc32(buffer, crc)
    if (!deflate.write(buffer)) await new Promise((resolve) => deflate.once('drain', resolve))
  }
  await write(Buffer.from(head, 'utf8'))
  while (size < bytes) await write(chunk)
  await write(Buffer.from(tail, 'utf8'))
  deflate.end()
  await done
  return { name, deflated: Buffer.concat(parts), size, crc }
}

/** The archive of the entries, in order. */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const item of entries) {
    const name = Buffer.from(item.name, 'utf8')
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6)
    local.writeUInt16LE(item.stored ? 0 : 8, 8)
    local.writeUInt32LE(item.crc >>> 0, 14)
    local.writeUInt32LE(item.deflated.length, 18)
    local.writeUInt32LE(item.size, 22)
    local.writeUInt16LE(name.length, 26)
    const header = Buffer.alloc(46)
    header.writeUInt32LE(0x02014b50, 0)
    header.writeUInt16LE(20, 4)
    header.writeUInt16LE(20, 6)
    header.writeUInt16LE(0x0800, 8)
    header.writeUInt16LE(item.stored ? 0 : 8, 10)
    header.writeUInt32LE(item.crc >>> 0, 16)
    header.writeUInt32LE(item.deflated.length, 20)
    header.writeUInt32LE(item.size, 24)
    header.writeUInt16LE(name.length, 28)
    header.writeUInt32LE(offset, 42)
    locals.push(local, name, item.deflated)
    central.push(header, name)
    offset += local.length + name.length + item.deflated.length
  }
  const directory = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

const ROW =
  '<table:table-row><table:table-cell office:value-type="string"><text:p>7</text:p></table:table-cell></table:table-row>'

/** An ODS plan whose content.xml expands to `bytes` (about 400 MB by default) from a file of about 1 MB. */
export async function odsBomb(bytes = 400 << 20): Promise<Buffer> {
  return zip([
    entry('mimetype', 'application/vnd.oasis.opendocument.spreadsheet', true),
    await bombEntry(
      'content.xml',
      bytes,
      ROW,
      '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Plan">',
      '</table:table></office:spreadsheet></office:body></office:document-content>',
    ),
  ])
}

/** A DOCX whose document.xml expands to `bytes`. */
export async function docxBomb(bytes = 400 << 20): Promise<Buffer> {
  return zip([
    entry(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    await bombEntry(
      'word/document.xml',
      bytes,
      '<w:p><w:r><w:t>Recommendation 7</w:t></w:r></w:p>',
      '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>',
      '</w:body></w:document>',
    ),
  ])
}

/** An XLSX whose first sheet expands to `bytes`. */
export async function xlsxBomb(bytes = 400 << 20): Promise<Buffer> {
  return zip([
    entry(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    entry(
      'xl/workbook.xml',
      '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    entry(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    await bombEntry(
      'xl/worksheets/sheet1.xml',
      bytes,
      '<row><c t="inlineStr"><is><t>7</t></is></c></row>',
      '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
      '</sheetData></worksheet>',
    ),
  ])
}
