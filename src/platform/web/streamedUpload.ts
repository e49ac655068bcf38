// Large uploads streamed to disk (multer's disk storage: no file is ever held in memory), for the routes an area names
// in AreaWeb.streamedUploads. The app's own multer (memory, 20 MB) and its CSRF check leave those requests alone; the
// route calls receiveStreamedUploads after sign-in and its permission check, and the form's CSRF token (a field before
// the file field in the form) is checked before a byte of any file is written. Each file's first bytes are shown to
// the route's content check as they arrive, so a file that is not what the route takes is refused without reading on.
import { timingSafeEqual } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Request, Response } from 'express'
import multer from 'multer'

export interface StreamedFile {
  /** Where the file was written. */
  path: string
  /** The file's name as uploaded. */
  originalName: string
  size: number
}

/** An upload refused in words (too large, too many files, not the kind of file the route takes). */
export class UploadRefusedError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message)
    this.name = 'UploadRefusedError'
  }
}

export interface StreamedUploadOptions {
  /** The folder the files are written to (created; the caller removes it when done with the files). */
  dir: string
  /** The form field the files come in; other file fields are refused. */
  field: string
  maxBytes: number
  maxFiles: number
  /** Given up to the first 64 KB of each file: a sentence refusing it, or null to go on. */
  checkStart?: (start: Buffer, originalName: string) => string | null
}

const HEAD_BYTES = 64 * 1024

function csrfError(): Error {
  return Object.assign(new Error('invalid csrf token'), { code: 'EBADCSRFTOKEN', status: 403 })
}

/** The token the form sent, compared in constant time with the session's (res.locals.csrfToken, set by the app). */
function csrfValid(req: Request): boolean {
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf
  const expected = req.res?.locals.csrfToken as string | undefined
  if (typeof sent !== 'string' || !expected || sent.length !== expected.length) return false
  return timingSafeEqual(Buffer.from(sent), Buffer.from(expected))
}

function megabytes(bytes: number): string {
  return bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0
    ? `${bytes / 1024 ** 3} GB`
    : `${Math.round(bytes / 1024 ** 2)} MB`
}

/**
 * Reads a multipart form, writing the files to options.dir and the other fields to req.body. Refused with an
 * UploadRefusedError (nothing left in the folder) or, without a valid CSRF token, the app's CSRF error.
 */
export async function receiveStreamedUploads(
  req: Request,
  res: Response,
  options: StreamedUploadOptions,
): Promise<StreamedFile[]> {
  await mkdir(options.dir, { recursive: true })
  let count = 0
  const storage: multer.StorageEngine = {
    _handleFile(request, file, callback) {
      if (!csrfValid(request as Request)) {
        file.stream.resume()
        callback(csrfError())
        return
      }
      if (file.fieldname !== options.field) {
        file.stream.resume()
        callback(new UploadRefusedError(`The form has no file field called ${file.fieldname}`))
        return
      }
      const safeName = basename(file.originalname).replace(/[^\w.-]/g, '_') || 'upload'
      const path = join(options.dir, `${count++}-${safeName}`)
      let size = 0
      let head: Buffer | null = Buffer.alloc(0)
      const check = (start: Buffer) => {
        const refusal = options.checkStart?.(start, file.originalname)
        return refusal ? new UploadRefusedError(refusal) : null
      }
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length
          if (head !== null) {
            head = Buffer.concat([head, chunk])
            if (head.length >= HEAD_BYTES) {
              const refused = check(head.subarray(0, HEAD_BYTES))
              head = null
              if (refused) return done(refused)
            }
          }
          done(null, chunk)
        },
        flush(done) {
          done(head !== null ? check(head) : null)
        },
      })
      pipeline(file.stream, counter, createWriteStream(path, { flags: 'wx' })).then(
        () => callback(null, { path, size }),
        (error: unknown) => {
          void rm(path, { force: true }).finally(() => callback(error as Error))
        },
      )
    },
    _removeFile(_request, file, callback) {
      rm(file.path, { force: true }).then(
        () => callback(null),
        (error: unknown) => callback(error as Error),
      )
    },
  }
  const upload = multer({
    storage,
    limits: { fileSize: options.maxBytes, files: options.maxFiles, fields: 50 },
    defParamCharset: 'utf8',
  } as multer.Options).any()
  try {
    await new Promise<void>((resolve, reject) =>
      upload(req, res, (error?: unknown) => (error ? reject(error) : resolve())),
    )
  } catch (error) {
    await rm(options.dir, { recursive: true, force: true })
    if (error instanceof multer.MulterError) {
      if (error.code === 'LIMIT_FILE_SIZE') {
        throw new UploadRefusedError(`A file is larger than ${megabytes(options.maxBytes)}: nothing was uploaded`, 413)
      }
      if (error.code === 'LIMIT_FILE_COUNT') {
        throw new UploadRefusedError(`Choose at most ${options.maxFiles} files: nothing was uploaded`)
      }
      throw new UploadRefusedError(`The upload could not be read (${error.message}): nothing was uploaded`)
    }
    throw error
  }
  if (!csrfValid(req)) {
    await rm(options.dir, { recursive: true, force: true })
    throw csrfError()
  }
  // A request the browser gave up on part-way (the user cancelled, the connection dropped) leaves nothing.
  if (!req.complete) {
    await rm(options.dir, { recursive: true, force: true })
    throw new UploadRefusedError('The upload was cancelled before it finished: nothing was uploaded')
  }
  const files = (req.files as Express.Multer.File[] | undefined) ?? []
  return files.map((file) => ({ path: file.path, originalName: file.originalname, size: file.size }))
}

/** Whether a request is a multipart form post to one of the given paths (which the app's own multer leaves alone). */
export function isStreamedUpload(req: Request, paths: ReadonlySet<string>): boolean {
  return req.method === 'POST' && paths.has(req.path.replace(/\/$/, '')) && Boolean(req.is('multipart/form-data'))
}
