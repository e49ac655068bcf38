// DOCX: mammoth turns the document into HTML (tables keep their spans and links), read by the HTML table readers.
import mammoth from 'mammoth'
import { PlanImportError } from '../model.ts'
import type { HtmlTables } from './html.ts'
import { htmlTables } from './html.ts'

export async function docxTables(content: Buffer): Promise<HtmlTables> {
  let html: string
  try {
    html = (await mammoth.convertToHtml({ buffer: content })).value
  } catch (e) {
    throw new PlanImportError(`the Word document (DOCX) could not be opened: ${(e as Error).message}`)
  }
  return htmlTables(html)
}
