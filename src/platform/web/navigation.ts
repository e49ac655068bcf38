// The service navigation (docs/page-patterns.md): at most seven top-level entries, so it never wraps onto two rows.
// An area's entry may name a hub; a hub the user has more than one entry in is one link to its hub page.
import { Router } from 'express'
import type { Capability, Permissions } from '../services/permissions.ts'
import { NotFoundError } from './errors.ts'

export interface NavigationEntry {
  text: string
  href: string
  capability: Capability
  /** The hub the entry belongs to ("Case work", "Assurance"), shown as one link when the user has several in it. */
  hub?: string
  /** One line on the hub page saying what the page is for. */
  description?: string
}

export interface NavigationItem {
  text: string
  href: string
  /** Paths that mark the item as the current one. */
  matches: string[]
}

export const MAX_NAVIGATION_ITEMS = 7

const slug = (hub: string) => hub.toLowerCase().replace(/[^a-z0-9]+/g, '-')

/** What the user may follow, in the areas' order: Home, then entries and hubs, then Administration. */
export function buildNavigation(entries: NavigationEntry[], permissions: Permissions): NavigationItem[] {
  const allowed = entries.filter((entry) => permissions.can(entry.capability))
  const items: NavigationItem[] = [{ text: 'Home', href: '/', matches: ['/'] }]
  const seen = new Set<string>()
  for (const entry of allowed) {
    const inHub = entry.hub ? allowed.filter((other) => other.hub === entry.hub) : [entry]
    if (inHub.length === 1) items.push({ text: entry.text, href: entry.href, matches: [entry.href] })
    else if (!seen.has(entry.hub!)) {
      seen.add(entry.hub!)
      const href = `/hubs/${slug(entry.hub!)}`
      items.push({ text: entry.hub!, href, matches: [href, ...inHub.map((other) => other.href)] })
    }
  }
  if (permissions.can('audit:read')) items.push({ text: 'Administration', href: '/admin', matches: ['/admin'] })
  return items
}

/** The hub pages: each lists the hub's entries the user may open, with what each is for. */
export function hubRouter(entries: NavigationEntry[]): Router {
  const router = Router()
  router.get('/hubs/:hub', (req, res) => {
    const inHub = entries.filter((entry) => entry.hub && slug(entry.hub) === req.params.hub)
    if (!inHub.length) throw new NotFoundError()
    const allowed = inHub.filter((entry) => res.locals.permissions.can(entry.capability))
    if (!allowed.length) throw new NotFoundError()
    res.render('platform/views/pages/hub.njk', { pageTitle: inHub[0].hub, hub: inHub[0].hub, entries: allowed })
  })
  return router
}
