// ODS (OpenDocument spreadsheet) written with jszip: the same three sheets as the XLSX. The package follows ODF 1.3:
// "mimetype" first and stored uncompressed, then META-INF/manifest.xml, content.xml, styles.xml and meta.xml.
import JSZip from 'jszip'
import type { ExportablePlan } from '../interchange.ts'
import { tabularSheets, type Cell, type Sheet } from './rows.ts'

export const ODS_MEDIA_TYPE = 'application/vnd.oasis.opendocument.spreadsheet'

const NS = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"',
  'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"',
  'xmlns:dc="http://purl.org/dc/elements/1.1/"',
].join(' ')

export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** One line of text as ODF paragraph content: runs of spaces and tabs kept with text:s and text:tab. */
function odfLine(line: string): string {
  return xmlEscape(line)
    .replace(/\t/g, '<text:tab/>')
    .replace(/^ /, '<text:s/>')
    .replace(/ {2,}/g, (run) => ` <text:s text:c="${run.length - 1}"/>`)
}

function cellXml(cell: Cell, style: string): string {
  if (cell === null || cell === '') return `<table:table-cell table:style-name="${style}"/>`
  if (typeof cell === 'number') {
    return `<table:table-cell table:style-name="${style}" office:value-type="float" office:value="${cell}"><text:p>${cell}</text:p></table:table-cell>`
  }
  const paragraphs = cell
    .split(/\r\n|\r|\n/)
    .map((line) => `<text:p>${odfLine(line)}</text:p>`)
    .join('')
  return `<table:table-cell table:style-name="${style}" office:value-type="string">${paragraphs}</table:table-cell>`
}

function tableXml(sheet: Sheet, index: number): string {
  const columns = sheet.columns.map((_, c) => `<table:table-column table:style-name="co${index}_${c}"/>`).join('')
  const header = `<table:table-row>${sheet.columns.map((c) => cellXml(c.header, 'hdr')).join('')}</table:table-row>`
  const rows = sheet.rows
    .map((row) => `<table:table-row>${row.map((cell) => cellXml(cell, 'wrap')).join('')}</table:table-row>`)
    .join('')
  return `<table:table table:name="${xmlEscape(sheet.name)}">${columns}<table:table-header-rows>${header}</table:table-header-rows>${rows}</table:table>`
}

function contentXml(sheets: Sheet[]): string {
  const columnStyles = sheets
    .flatMap((sheet, s) =>
      sheet.columns.map(
        (c, i) =>
          `<style:style style:name="co${s}_${i}" style:family="table-column"><style:table-column-properties style:column-width="${(c.width * 0.22).toFixed(2)}cm"/></style:style>`,
      ),
    )
    .join('')
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<office:document-content ${NS} office:version="1.3">` +
    `<office:automatic-styles>${columnStyles}` +
    `<style:style style:name="hdr" style:family="table-cell"><style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/><style:text-properties fo:font-weight="bold"/></style:style>` +
    `<style:style style:name="wrap" style:family="table-cell"><style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/></style:style>` +
    `</office:automatic-styles>` +
    `<office:body><office:spreadsheet>${sheets.map(tableXml).join('')}</office:spreadsheet></office:body>` +
    `</office:document-content>`
  )
}

const STYLES_XML =
  `<?xml version="1.0" encoding="UTF-8"?>` +
  `<office:document-styles ${NS} office:version="1.3"><office:styles/></office:document-styles>`

function metaXml(title: string, generatedAt: Date): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<office:document-meta ${NS} office:version="1.3"><office:meta>` +
    `<meta:generator>Threadline</meta:generator><dc:title>${xmlEscape(title)}</dc:title>` +
    `<meta:creation-date>${generatedAt.toISOString().replace(/\.\d{3}Z$/, '')}</meta:creation-date>` +
    `</office:meta></office:document-meta>`
  )
}

const MANIFEST_XML =
  `<?xml version="1.0" encoding="UTF-8"?>` +
  `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">` +
  `<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="${ODS_MEDIA_TYPE}"/>` +
  `<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>` +
  `<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>` +
  `<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>` +
  `</manifest:manifest>`

export async function planOds(plan: ExportablePlan, generatedAt: Date): Promise<Buffer> {
  const zip = new JSZip()
  const options = { date: generatedAt }
  zip.file('mimetype', ODS_MEDIA_TYPE, { ...options, compression: 'STORE' })
  zip.file('META-INF/manifest.xml', MANIFEST_XML, options)
  zip.file('content.xml', contentXml(tabularSheets(plan, generatedAt)), options)
  zip.file('styles.xml', STYLES_XML, options)
  zip.file('meta.xml', metaXml(`${plan.force ?? 'Police'} stalking action plan`, generatedAt), options)
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } })
}
