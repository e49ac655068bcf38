// Zip containers (XLSX, ODS, DOCX) checked before any library opens them: the central directory is read, every entry
// is inflated through Node's native zlib with its output counted and thrown away, and the archive is refused as soon
// as it holds too many entries, expands past a limit, expands far more than any real document does (a zip bomb), or is
// damaged (truncated, a bad checksum, an entry that cannot be inflated). Nothing is kept in memory but one chunk, so
// a 1.7 MB file that would expand to gigabytes costs a fraction of a second to refuse. The libraries that read the
// document afterwards (exceljs, mammoth, jszip) then never meet more than the limit allows.
import { open, type FileHandle } from 'node:fs/promises'
import { createInflateRaw, crc32 } from 'node:zlib'

export interface ArchiveLimits {
  /** Most entries (files and folders) in the archive. */
  maxEntries: number
  /** Most bytes all entries may expand to together. */
  maxExpandedBytes: number
  /** Most times an entry of over a megabyte may expand its compressed size (real documents stay far below). */
  maxRatio: number
  /** The document's kind in messages ("spreadsheet (XLSX)"), or found from the names of the files inside. */
  what: string | ((names: string[]) => string)
}

export class ArchiveRefusedError extends Error {}

export interface ArchiveEntry {
  name: string
  compressedSize: number
  expandedSize: number
}

interface Source {
  size: number
  read(offset: number, length: number): Promise<Buffer>
  close(): Promise<void>
}

const CHUNK = 1 << 20
const RATIO_FLOOR = 1 << 20

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`

function bufferSource(content: Buffer): Source {
  return {
    size: content.length,
    read: async (offset, length) => content.subarray(offset, Math.min(content.length, offset + length)),
    close: async () => {},
  }
}

async function fileSource(path: string): Promise<Source> {
  const handle: FileHandle = await open(path, 'r')
  const { size } = await handle.stat()
  return {
    size,
    async read(offset, length) {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)))
      if (buffer.length === 0) return buffer
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset)
      return buffer.subarray(0, bytesRead)
    },
    close: () => handle.close(),
  }
}

/** Checks an archive held in memory; resolves with its entries or rejects with ArchiveRefusedError. */
export function checkArchive(content: Buffer, limits: ArchiveLimits): Promise<ArchiveEntry[]> {
  return check(bufferSource(content), limits)
}

/** Checks an archive on disk, reading it a chunk at a time. */
export async function checkArchiveFile(path: string, limits: ArchiveLimits): Promise<ArchiveEntry[]> {
  return check(await fileSource(path), limits)
}

async function check(source: Source, given: ArchiveLimits): Promise<ArchiveEntry[]> {
  try {
    let limits = { ...given, what: typeof given.what === 'string' ? given.what : given.what([]) }
    const damaged = (why: string) =>
      new ArchiveRefusedError(`the ${limits.what} is damaged or truncated (${why}); save it again`)
    const tailLength = Math.min(source.size, 65_557)
    const tail = await source.read(source.size - tailLength, tailLength)
    const end = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
    if (end < 0 || end + 22 > tail.length) throw damaged('its table of contents is missing')
    let entryCount = tail.readUInt16LE(end + 10)
    let directorySize = tail.readUInt32LE(end + 12)
    let directoryOffset = tail.readUInt32LE(end + 16)
    if (entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      // ZIP64: the locator just before the end record points at the 64-bit end record.
      const locator = end - 20
      if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50)
        throw damaged('its ZIP64 table of contents is missing')
      const record = await source.read(Number(tail.readBigUInt64LE(locator + 8)), 56)
      if (record.length < 56 || record.readUInt32LE(0) !== 0x06064b50)
        throw damaged('its ZIP64 table of contents is missing')
      entryCount = Number(record.readBigUInt64LE(32))
      directorySize = Number(record.readBigUInt64LE(40))
      directoryOffset = Number(record.readBigUInt64LE(48))
    }
    if (entryCount > limits.maxEntries) {
      throw new ArchiveRefusedError(
        `the ${limits.what} holds ${entryCount} files inside, more than the ${limits.maxEntries} a real one has`,
      )
    }
    if (directoryOffset + directorySize > source.size) throw damaged('its table of contents points past its end')
    const directory = await source.read(directoryOffset, directorySize)
    const listed: {
      name: string
      flags: number
      method: number
      crc: number
      compressedSize: number
      localOffset: number
    }[] = []
    let at = 0
    for (let index = 0; index < entryCount; index++) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== 0x02014b50) {
        throw damaged('its table of contents is cut short')
      }
      const flags = directory.readUInt16LE(at + 8)
      const method = directory.readUInt16LE(at + 10)
      const crc = directory.readUInt32LE(at + 16)
      let compressedSize = directory.readUInt32LE(at + 20)
      let declaredSize = directory.readUInt32LE(at + 24)
      const nameLength = directory.readUInt16LE(at + 28)
      const extraLength = directory.readUInt16LE(at + 30)
      const commentLength = directory.readUInt16LE(at + 32)
      let localOffset = directory.readUInt32LE(at + 42)
      const name = directory.toString('utf8', at + 46, at + 46 + nameLength)
      const extra = directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength)
      at += 46 + nameLength + extraLength + commentLength
      for (let e = 0; e + 4 <= extra.length;) {
        const id = extra.readUInt16LE(e)
        const length = extra.readUInt16LE(e + 2)
        if (id === 0x0001) {
          // The 64-bit values present are those whose 32-bit field is all ones, in this order.
          let p = e + 4
          const next = () => {
            const value = p + 8 <= e + 4 + length ? Number(extra.readBigUInt64LE(p)) : 0xffffffff
            p += 8
            return value
          }
          if (declaredSize === 0xffffffff) declaredSize = next()
          if (compressedSize === 0xffffffff) compressedSize = next()
          if (localOffset === 0xffffffff) localOffset = next()
        }
        e += 4 + length
      }
      listed.push({ name, flags, method, crc, compressedSize, localOffset })
      void declaredSize
    }
    if (typeof given.what === 'function') limits = { ...limits, what: given.what(listed.map((entry) => entry.name)) }
    const entries: ArchiveEntry[] = []
    let expandedTotal = 0
    for (const { name, flags, method, crc, compressedSize, localOffset } of listed) {
      if (flags & 0x1) throw new ArchiveRefusedError(`the ${limits.what} is encrypted; save an unprotected copy`)
      if (method !== 0 && method !== 8) {
        throw new ArchiveRefusedError(
          `the ${limits.what} uses a compression method (${method}) that Office and LibreOffice never write; save it again`,
        )
      }
      const local = await source.read(localOffset, 30)
      if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50)
        throw damaged(`"${name}" is not where the table of contents says`)
      const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28)
      if (dataStart + compressedSize > source.size) throw damaged(`"${name}" is cut short`)
      const expanded = await inflateCounted(source, dataStart, compressedSize, method, {
        budget: limits.maxExpandedBytes - expandedTotal,
        crc,
        onTooLarge: () =>
          new ArchiveRefusedError(
            `the ${limits.what} expands to more than ${megabytes(limits.maxExpandedBytes)} (it is a "zip bomb" or far larger than a real one); nothing was read`,
          ),
        onRatio: (ratio) =>
          new ArchiveRefusedError(
            `the ${limits.what} holds "${name}", compressed more than ${Math.floor(ratio)} times (no real document is; this is how a "zip bomb" is made); nothing was read`,
          ),
        maxRatio: limits.maxRatio,
        damaged: (why) => damaged(`"${name}" ${why}`),
      })
      expandedTotal += expanded
      entries.push({ name, compressedSize, expandedSize: expanded })
    }
    return entries
  } finally {
    await source.close()
  }
}

interface InflateLimits {
  budget: number
  crc: number
  maxRatio: number
  onTooLarge: () => Error
  onRatio: (ratio: number) => Error
  damaged: (why: string) => Error
}

/** Inflates one entry a chunk at a time, counting and discarding its output; returns the expanded size. */
async function inflateCounted(
  source: Source,
  start: number,
  length: number,
  method: number,
  limits: InflateLimits,
): Promise<number> {
  if (method === 0) {
    if (length > limits.budget) throw limits.onTooLarge()
    let crc = 0
    for (let offset = 0; offset < length; offset += CHUNK) {
      crc = crc32(await source.read(start + offset, Math.min(CHUNK, length - offset)), crc)
    }
    if (crc >>> 0 !== limits.crc) throw limits.damaged('fails its checksum')
    return length
  }
  const inflate = createInflateRaw({ chunkSize: 64 * 1024 })
  let out = 0
  let fed = 0
  let crc = 0
  let failure: Error | null = null
  inflate.on('data', (chunk: Buffer) => {
    if (failure) return
    out += chunk.length
    crc = crc32(chunk, crc)
    if (out > limits.budget) failure = limits.onTooLarge()
    else if (out > RATIO_FLOOR && out / Math.max(1, fed) > limits.maxRatio)
      failure = limits.onRatio(out / Math.max(1, fed))
    if (failure) inflate.destroy()
  })
  const ended = new Promise<void>((resolve, reject) => {
    inflate.on('end', resolve)
    inflate.on('close', resolve)
    inflate.on('error', (error) => reject(error))
  })
  ended.catch(() => {})
  try {
    for (let offset = 0; offset < length && !failure; offset += CHUNK) {
      const chunk = await source.read(start + offset, Math.min(CHUNK, length - offset))
      fed += chunk.length
      if (!inflate.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            inflate.off('drain', done)
            inflate.off('close', done)
            resolve()
          }
          inflate.on('drain', done)
          inflate.on('close', done)
        })
      }
    }
    if (!failure) inflate.end()
    await ended
  } catch {
    if (failure) throw failure
    // zlib's own words ("invalid distance too far back") add nothing a reader can act on.
    throw limits.damaged('cannot be expanded')
  }
  if (failure) throw failure
  if (crc >>> 0 !== limits.crc) throw limits.damaged('fails its checksum')
  return out
}
