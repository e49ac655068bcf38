// Plan harvest: reads a force's plan from where the force publishes it (a web page, or a document the page links to)
// and imports it through the same readers as an upload, held as a draft for the force to approve.
import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'
import { basename } from 'node:path'
import * as cheerio from 'cheerio'
import type { ActorContext } from '../../platform/services/auditService.ts'
import { readPlanInWorker } from '../import/worker.ts'
import { PlanImportError, type ParsedPlan } from '../model.ts'
import { sha256, type ImportResult, type PlanService } from './planService.ts'

export interface HarvestLimits {
  /** Each request (connection, redirects and body) must finish within this. */
  timeoutMs: number
  /** A response larger than this is refused. */
  maxBytes: number
  /** Development and tests harvest from this machine; a deployed service never fetches private or loopback addresses. */
  allowPrivateAddresses: boolean
}

export const DEFAULT_HARVEST_LIMITS: HarvestLimits = {
  timeoutMs: 20_000,
  maxBytes: 50 * 1024 * 1024,
  allowPrivateAddresses: false,
}

const MAX_REDIRECTS = 5
/** Links on a page tried as the plan, best first; a force's page seldom links more than a few documents. */
const MAX_LINKS_TRIED = 5
const DOCUMENT_EXTENSION = /\.(pdf|docx|xlsx|ods|csv|json|txt|html?)(?:$|[?#])/i
const PLAN_WORDS = /stalking|super-?complaint|action plan|recommendation/i

/** A harvest that cannot go on; the message says what and where, for the page or the CLI. */
export class PlanHarvestError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PlanHarvestError'
  }
}

export interface HarvestResult {
  /** The address the plan was read from in the end (after redirects, or the document a page linked to). */
  sourceUrl: string
  fileName: string
  /** Nothing changed: the plan already holds everything the harvested document says. */
  unchanged: boolean
  import: ImportResult
}

interface Fetched {
  url: string
  content: Buffer
  contentType: string
  fileName: string
}

const PRIVATE_RANGES = (() => {
  const list = new BlockList()
  for (const [network, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['224.0.0.0', 3],
  ] as const)
    list.addSubnet(network, prefix, 'ipv4')
  for (const [network, prefix] of [
    ['::', 127],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
  ] as const)
    list.addSubnet(network, prefix, 'ipv6')
  return list
})()

function isPrivateAddress(address: string): boolean {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4'
  const mapped = family === 'ipv6' && /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  return mapped ? PRIVATE_RANGES.check(mapped[1], 'ipv4') : PRIVATE_RANGES.check(address, family)
}

export function parseHarvestUrl(value: string): URL {
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    throw new PlanHarvestError(`"${value}" is not a web address: give the full address, starting https://`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PlanHarvestError(
      `${url.protocol.replace(':', '')} addresses cannot be harvested: give an http or https address`,
    )
  }
  if (url.username || url.password) throw new PlanHarvestError('Give the address without a user name or password')
  return url
}

async function checkHost(url: URL, limits: HarvestLimits): Promise<void> {
  if (limits.allowPrivateAddresses) return
  const host = url.hostname.replace(/^\[|\]$/g, '')
  let addresses: string[]
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address)
  } catch {
    throw new PlanHarvestError(`${url.host} could not be found: check the address`)
  }
  if (addresses.some(isPrivateAddress)) {
    throw new PlanHarvestError(`${url.host} is a private or local address: only published pages can be harvested`)
  }
}

function fileNameOf(url: URL, contentType: string): string {
  const last = decodeURIComponent(basename(url.pathname)) || url.hostname
  if (/\.[a-z0-9]{2,5}$/i.test(last)) return last
  return /html/i.test(contentType) ? `${last}.html` : last
}

const sizeInWords = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`
const durationInWords = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 1000)} seconds` : `${ms} milliseconds`)

async function readBody(response: Response, url: URL, limits: HarvestLimits): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? NaN)
  const tooLarge = () =>
    new PlanHarvestError(`${url.href} is larger than ${sizeInWords(limits.maxBytes)}: it is not a plan`)
  if (declared > limits.maxBytes) throw tooLarge()
  const chunks: Buffer[] = []
  let size = 0
  if (!response.body) return Buffer.alloc(0)
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return Buffer.concat(chunks)
    size += value.byteLength
    if (size > limits.maxBytes) {
      await reader.cancel()
      throw tooLarge()
    }
    chunks.push(Buffer.from(value))
  }
}

/** GET with a time limit and a size limit, following redirects itself so each address is checked. */
export async function fetchDocument(address: string, limits: HarvestLimits): Promise<Fetched> {
  let url = parseHarvestUrl(address)
  const signal = AbortSignal.timeout(limits.timeoutMs)
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      await checkHost(url, limits)
      const response = await fetch(url, {
        redirect: 'manual',
        signal,
        headers: { accept: 'text/html, application/pdf, application/octet-stream, */*;q=0.5' },
      })
      const location = response.headers.get('location')
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel()
        url = parseHarvestUrl(new URL(location, url).href)
        continue
      }
      if (!response.ok) {
        await response.body?.cancel()
        throw new PlanHarvestError(`${url.href} answered ${response.status} ${response.statusText}`.trim())
      }
      const contentType = response.headers.get('content-type') ?? ''
      const content = await readBody(response, url, limits)
      return { url: url.href, content, contentType, fileName: fileNameOf(url, contentType) }
    }
    throw new PlanHarvestError(`${address} redirects more than ${MAX_REDIRECTS} times`)
  } catch (error) {
    if (error instanceof PlanHarvestError) throw error
    const name = (error as Error).name
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new PlanHarvestError(`${url.href} did not answer within ${durationInWords(limits.timeoutMs)}`)
    }
    const cause = (error as { cause?: { code?: string } }).cause?.code
    throw new PlanHarvestError(`${url.href} could not be read${cause ? ` (${cause})` : ''}: check the address`)
  }
}

/** A page's links that may be the plan itself, best first: documents, and links whose words speak of the plan. */
export function candidateLinks(html: string, pageUrl: string): string[] {
  const $ = cheerio.load(html)
  const scored: { href: string; score: number; order: number }[] = []
  const seen = new Set<string>()
  $('a[href]').each((order, element) => {
    let href: string
    try {
      href = new URL($(element).attr('href') ?? '', pageUrl).href.replace(/#.*$/, '')
    } catch {
      return
    }
    if (!/^https?:/.test(href) || seen.has(href) || href === pageUrl) return
    const words = `${$(element).text()} ${$(element).attr('title') ?? ''} ${href}`
    const score = (DOCUMENT_EXTENSION.test(href) ? 2 : 0) + (PLAN_WORDS.test(words) ? 1 : 0)
    if (score < 2) return
    seen.add(href)
    scored.push({ href, score, order })
  })
  return scored
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, MAX_LINKS_TRIED)
    .map((c) => c.href)
}

export class PlanHarvester {
  constructor(
    private readonly plans: PlanService,
    private readonly limits: HarvestLimits = DEFAULT_HARVEST_LIMITS,
  ) {}

  /** Reads the plan at the address (or a document the page links to): the document, its parsed plan, its address. */
  async read(address: string): Promise<{ fetched: Fetched; parsed: ParsedPlan }> {
    const page = await this.fetch(address)
    const catalogue = this.plans.catalogue()
    let pageRefusal: string
    try {
      return { fetched: page, parsed: await readPlanInWorker(page.content, page.fileName, { catalogue }) }
    } catch (error) {
      if (!(error instanceof PlanImportError)) throw error
      pageRefusal = error.message
    }
    const isHtml = /html/i.test(page.contentType) || /^\s*</.test(page.content.subarray(0, 200).toString('latin1'))
    const links = isHtml ? candidateLinks(page.content.toString('utf8'), page.url) : []
    const refusals: string[] = []
    for (const link of links) {
      try {
        const document = await this.fetch(link)
        return { fetched: document, parsed: await readPlanInWorker(document.content, document.fileName, { catalogue }) }
      } catch (error) {
        if (!(error instanceof PlanImportError) && !(error instanceof PlanHarvestError)) throw error
        refusals.push(error.message)
      }
    }
    const tried = links.length
      ? ` Threadline also tried the ${links.length === 1 ? 'document it links to' : `${links.length} documents it links to`}: ${refusals.join('; ')}.`
      : ' It links to no document that could be the plan.'
    throw new PlanHarvestError(`${page.url} is not an action plan Threadline can read (${pageRefusal}).${tried}`)
  }

  /**
   * Harvests the plan into the force's plan as a draft for the force to approve (a new plan is created unpublished).
   * Harvesting content the plan already holds changes nothing and holds nothing.
   */
  async harvest(actor: ActorContext, address: string, forceName: string): Promise<HarvestResult> {
    const { fetched, parsed } = await this.read(address)
    const options = {
      fileName: fetched.fileName,
      // The plan's content, not the bytes: a page whose dates or tokens change around an unchanged plan is unchanged.
      checksum: sha256(Buffer.from(JSON.stringify(parsed))),
      forceName,
      sourceUrl: fetched.url,
    }
    const preview = await this.plans.importParsed(actor, parsed, { ...options, dryRun: true })
    const changed =
      preview.changes.length +
      preview.recommendationsAdded +
      preview.itemsAdded +
      preview.updatesAdded +
      preview.ownerChanges +
      preview.documentsAdded +
      preview.detailsChanged
    const unchanged = !preview.planCreated && (preview.alreadyImported !== null || changed === 0)
    if (unchanged) return { sourceUrl: fetched.url, fileName: fetched.fileName, unchanged, import: preview }
    const result = await this.plans.importParsed(actor, parsed, { ...options, hold: true })
    return { sourceUrl: fetched.url, fileName: fetched.fileName, unchanged: false, import: result }
  }

  private fetch(address: string): Promise<Fetched> {
    return fetchDocument(address, this.limits)
  }
}
