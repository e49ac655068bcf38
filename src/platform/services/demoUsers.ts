import type { Role } from './permissions.ts'

export const DEMO_FORCE = 'Demoshire Police'
export const SECOND_DEMO_FORCE = 'Northmoor Constabulary'
export const NATIONAL_FORCE = 'National Police Chiefs’ Council'

/** Invented people, one per role, for the development sign-in on the embedded database. */
export const DEMO_USERS: { username: string; displayName: string; force: string; roles: Role[] }[] = [
  { username: 'officer', displayName: 'PC Alex Carter', force: DEMO_FORCE, roles: ['officer'] },
  { username: 'supervisor', displayName: 'DS Sam Okafor', force: DEMO_FORCE, roles: ['supervisor'] },
  { username: 'specialist', displayName: 'DC Jo Whitfield', force: DEMO_FORCE, roles: ['specialist'] },
  { username: 'analyst', displayName: 'Priya Natarajan', force: DEMO_FORCE, roles: ['analyst'] },
  { username: 'planowner', displayName: 'Supt Morgan Hale', force: DEMO_FORCE, roles: ['plan_owner'] },
  { username: 'execlead', displayName: 'ACC Dana Whitlock', force: DEMO_FORCE, roles: ['executive_lead'] },
  { username: 'admin', displayName: 'Chris Lambert', force: DEMO_FORCE, roles: ['force_admin'] },
  { username: 'national', displayName: 'DCC Robin Ashdown', force: NATIONAL_FORCE, roles: ['national_lead'] },
  {
    username: 'partner',
    displayName: 'Taylor Reed (Demoshire Advocacy Service)',
    force: DEMO_FORCE,
    roles: ['partner'],
  },
  { username: 'northmoor.officer', displayName: 'PC Jamie Frost', force: SECOND_DEMO_FORCE, roles: ['officer'] },
]
