// DOCX: mammoth turns the document into HTML (tables keep their spans and links), read by the HTML table readers.
import mammoth from 'mammoth'
import { PlanImportError } from '../model.ts'
import type { HtmlTables } from './html.ts'
import { htmlTables } from './html.ts'

export async function docxTables(content: Buffer): Promise<HtmlTables> {
  let html: string
  try {
    html = (await mammoth.convertToHtml({ buffer: content })).value
  } catch {
    // mammoth's own words ("[xmldom error] element parse error", "Cannot read properties of null") mean nothing here.
    throw new PlanImportError(
      'the Word document (DOCX) could not be opened: it is damaged, or not built as Word builds one; save it again from the program that made it',
    )
  }
  return htmlTables(html)
}
