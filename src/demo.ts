import { loadAssuranceDemo } from './assurance/index.ts'
import { loadCasesDemo } from './cases/index.ts'
import type { Services } from './compositionRoot.ts'
import { loadCrimeDemo } from './crime/index.ts'
import { loadInvestigationDemo } from './investigation/index.ts'
import { loadPlanDemo } from './plan/index.ts'
import { SYSTEM_ACTOR } from './platform/services/auditService.ts'
import { DEMO_USERS } from './platform/services/demoUsers.ts'
import { loadSafeguardingDemo } from './safeguarding/index.ts'
import { loadVictimsDemo } from './victims/index.ts'

/**
 * Loads demo users and each area's demo data, once: a database that already has users is left alone.
 * Returns whether anything was loaded.
 */
export async function loadDemoData(services: Services, options: { force?: boolean } = {}): Promise<boolean> {
  const existing = await services.users.list()
  if (existing.length > 0 && !options.force) return false
  const actor = { ...SYSTEM_ACTOR, actorUsername: 'demo-loader' }
  for (const user of DEMO_USERS) {
    if (await services.users.sessionUserByUsername(user.username)) continue
    await services.users.addUser(actor, { ...user, email: `${user.username}@example.police.uk` })
  }
  // Importing the demo crimes also screens and links them (the importer's listener): no separate screening run.
  await loadCrimeDemo(services, actor)
  // SPO considerations on a seeded share of the demo force's stalking crimes, for the live figure on 13.1 and 13.2.
  await loadSafeguardingDemo(services, actor)
  // A skills register, allocations and supervisory reviews on a seeded share of the demo force's stalking crimes.
  await loadInvestigationDemo(services, actor)
  // Each demo force's support directory, and victim care on a seeded share of the demo force's stalking crimes.
  await loadVictimsDemo(services, actor)
  // A stalking case audit with findings, and victim satisfaction survey responses, for the live figures on 11.2, 11.3.
  await loadAssuranceDemo(services, actor)
  await loadPlanDemo(services, actor)
  // Stalking cases in every state: recent crimes with obligations due and overdue, assigned and unassigned.
  await loadCasesDemo(services, actor)
  return true
}
