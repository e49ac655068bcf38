import type { PlatformServices, WiredArea } from './platform/area.ts'
import { SYSTEM_ACTOR } from './platform/services/auditService.ts'
import { DEMO_USERS } from './platform/services/demoUsers.ts'

/**
 * Loads demo users and each area's demo data, once: a database that already has users is left alone.
 * Returns whether anything was loaded.
 */
export async function loadDemoData(
  services: Pick<PlatformServices, 'users'> & { areas: readonly WiredArea[] },
  options: { force?: boolean } = {},
): Promise<boolean> {
  const existing = await services.users.list()
  if (existing.length > 0 && !options.force) return false
  const actor = { ...SYSTEM_ACTOR, actorUsername: 'demo-loader' }
  for (const user of DEMO_USERS) {
    if (await services.users.sessionUserByUsername(user.username)) continue
    await services.users.addUser(actor, { ...user, email: `${user.username}@example.police.uk` })
  }
  // Each area's demo data in build order: the crimes (importing them also screens and links them) before the SPO
  // considerations, allocations and reviews, victim care, case audits and surveys on a seeded share of the demo
  // force's stalking crimes, and those before case work in every state.
  for (const area of [...services.areas].sort((a, b) => a.buildOrder - b.buildOrder)) await area.loadDemo?.(actor)
  return true
}
