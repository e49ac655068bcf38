// Demo data for case work: a few stalking crimes reported in the last days (so a newcomer sees obligations due today,
// tomorrow and overdue, not only the demo's older cases, long overdue or met), cases assigned to the demo officer and
// specialist, some left unassigned, and one obligation marked not applicable with its reason. Invented people only
// (the seeded generator's); loaded once: a force whose cases are already assigned is left alone.
import { areaDatabase } from '../platform/area.ts'
import type { CaseContext } from './context.ts'
import type { CaseDatabase } from './data/tables.ts'
import { generateRecords } from '../crime/index.ts'
import { Random } from '../platform/random.ts'
import { addDays } from '../platform/days.ts'
import type { ActorContext } from '../platform/services/auditService.ts'
import { DEMO_FORCE } from '../platform/services/demoUsers.ts'
import { SDASH_QUESTIONS } from '../screening/index.ts'

/** How many days ago each recent demo crime was reported, and what was done on it. */
const RECENT = [
  { daysAgo: 0, sdash: false },
  { daysAgo: 3, sdash: false },
  { daysAgo: 6, sdash: true },
  { daysAgo: 6, sdash: false },
  { daysAgo: 10, sdash: true },
  { daysAgo: 1, sdash: false },
]

export async function loadCasesDemo(services: CaseContext, actor: ActorContext): Promise<void> {
  const force = await services.crime.repository.forceByName(DEMO_FORCE)
  if (!force) return
  const already = await areaDatabase<CaseDatabase>(services)
    .selectFrom('cases')
    .select('crime_id')
    .where('force_id', '=', force.id)
    .where('assigned_user_id', 'is not', null)
    .limit(1)
    .execute()
  if (already.length > 0) return
  const today = new Date().toISOString().slice(0, 10)
  // Recent crimes: the first generated 8Q crimes with a victim, moved to the last few days.
  const picked = []
  for (const { record } of generateRecords({ crimes: 600, seed: 12, force: DEMO_FORCE, endDate: today })) {
    if (record.principal !== '8Q' || !record.parties.some((party) => party.role === 'victim')) continue
    const slot = RECENT[picked.length]
    const day = addDays(today, -slot.daysAgo)
    picked.push({
      record: {
        ...record,
        forceReference: `CW/${String(picked.length + 1).padStart(4, '0')}/${today.slice(2, 4)}`,
        reportedAt: `${day}T08:30:00Z`,
        occurrences: [{ from: addDays(day, -1), to: day }],
        linkedCrimeRefs: [],
        outcome: null,
        status: 'Under investigation',
      },
      source: { file: 'case work demo (seed 12)', line: picked.length + 2 },
    })
    if (picked.length === RECENT.length) break
  }
  const summary = await services.crime.importer.importRecords(actor, picked, {
    force: DEMO_FORCE,
    files: ['generator:12'],
  })
  if (!summary.written) throw new Error(`Case work demo crimes were refused: ${summary.problems[0]?.message}`)

  const users = new Map((await services.users.list(force.id)).map((user) => [user.username, user]))
  const officer = users.get('officer')
  const specialist = users.get('specialist')
  const supervisor = users.get('supervisor')
  if (!officer || !specialist || !supervisor) return
  const as = (user: typeof officer) => ({
    actor: { ...actor, actorId: user.id, actorUsername: user.username, forceId: force.id },
    forceId: force.id,
  })
  const recent = await services.crime.repository.crimeIdsByReference(
    force.id,
    picked.map((item) => item.record.forceReference),
  )
  // An S-DASH on some of the recent crimes, by the officer.
  for (const [index, slot] of RECENT.entries()) {
    if (!slot.sdash) continue
    const crimeId = recent.get(picked[index].record.forceReference)
    if (crimeId === undefined) continue
    await services.screening.service.assess(as(officer), crimeId, {
      answers: Object.fromEntries(
        SDASH_QUESTIONS.map((question, n) => [question.id, { answer: n % 3 === 0 ? 'yes' : 'no', comment: '' }]),
      ),
      judgement: 'Fixated behaviour escalating over weeks; victim frightened. Safety plan agreed.',
      riskLevel: index === 2 ? 'high' : 'medium',
    })
  }
  const cases = services.cases.service
  await cases.refreshAll(force.id)
  // The recent cases go to the officer; older cases are shared between the officer and the specialist, a third left
  // unassigned for the team queue.
  for (const crimeId of recent.values()) await cases.assign(as(supervisor), crimeId, { userId: officer.id })
  const older = await areaDatabase<CaseDatabase>(services)
    .selectFrom('cases')
    .select('crime_id')
    .where('force_id', '=', force.id)
    .where('assigned_user_id', 'is', null)
    .orderBy('reported_at', 'desc')
    .limit(60)
    .execute()
  const random = new Random(1212)
  for (const { crime_id: crimeId } of older) {
    const roll = random.next()
    if (roll < 0.2) await cases.assign(as(supervisor), crimeId, { userId: officer.id })
    else if (roll < 0.6) await cases.assign(as(supervisor), crimeId, { userId: specialist.id })
  }
  const first = older[0]?.crime_id
  if (first !== undefined) {
    await cases.setNotApplicable(as(supervisor), first, {
      obligation: 'referral_offered',
      reason: 'The victim has moved out of the force area; the receiving force has made the referral.',
    })
  }
}
