// Supporting documents are checked by what they contain, never by their name or the browser's claimed type.
import { createHash } from 'node:crypto'
import { fileTypeFromBuffer } from 'file-type'

/** Largest supporting document accepted (bytes): 20 MB. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

export const ACCEPTED_DOCUMENT_TYPES: Record<string, { label: string; extension: string }> = {
  'application/pdf': { label: 'PDF', extension: 'pdf' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    label: 'Word (DOCX)',
    extension: 'docx',
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { label: 'Excel (XLSX)', extension: 'xlsx' },
  'image/png': { label: 'PNG image', extension: 'png' },
  'image/jpeg': { label: 'JPEG image', extension: 'jpg' },
}

export const ACCEPTED_DOCUMENTS_TEXT = 'a PDF, Word (DOCX), Excel (XLSX), PNG or JPEG file'

export class DocumentRefusedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DocumentRefusedError'
  }
}

export interface CheckedDocument {
  mediaType: string
  extension: string
  size: number
  /** 'sha256:<hex>' */
  checksum: string
  sha256: string
}

/** Checks a supporting document by content and size; throws DocumentRefusedError with a message for the user. */
export async function checkDocument(content: Buffer, fileName: string): Promise<CheckedDocument> {
  if (content.length === 0) throw new DocumentRefusedError(`${fileName} is empty. Choose ${ACCEPTED_DOCUMENTS_TEXT}.`)
  if (content.length > MAX_DOCUMENT_BYTES) {
    throw new DocumentRefusedError(`${fileName} is larger than 20 MB. Choose a file of 20 MB or less.`)
  }
  const detected = await fileTypeFromBuffer(content)
  const accepted = detected ? ACCEPTED_DOCUMENT_TYPES[detected.mime] : undefined
  if (!detected || !accepted) {
    const found = detected ? `a ${detected.ext.toUpperCase()} file (${detected.mime})` : 'not a file type we accept'
    throw new DocumentRefusedError(
      `${fileName} is ${found} by its content, whatever its name says. Choose ${ACCEPTED_DOCUMENTS_TEXT}.`,
    )
  }
  const sha256 = createHash('sha256').update(content).digest('hex')
  return {
    mediaType: detected.mime,
    extension: accepted.extension,
    size: content.length,
    sha256,
    checksum: `sha256:${sha256}`,
  }
}
