// One Permissions object per request decides what each page and action allows. Routes ask it; none checks roles.

export const ROLES = [
  'officer',
  'supervisor',
  'specialist',
  'analyst',
  'plan_owner',
  'executive_lead',
  'force_admin',
  'national_lead',
  'partner',
] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Record<Role, string> = {
  officer: 'Officer or staff',
  supervisor: 'Supervisor',
  specialist: 'Specialist (stalking and domestic abuse unit)',
  analyst: 'Analyst',
  plan_owner: 'Action plan owner',
  executive_lead: 'Executive lead (signs off the action plan)',
  force_admin: 'Force administrator',
  national_lead: 'National lead',
  partner: 'Partner (victim support service)',
}

export const CAPABILITIES = [
  'case:read',
  'case:edit',
  'case:import',
  /** Supervisory work on a case: an investigation review is a supervisor's or a specialist's, never the officer's own. */
  'case:supervise',
  'screening:read',
  'screening:decide',
  'analysis:read',
  'plan:read',
  'plan:edit',
  /** Sign-off: approve drafts of the force's plan for the public page, approve NPCC returns. Never across forces. */
  'plan:approve',
  'plan:national',
  'audit:read',
  'users:manage',
  'referral:respond',
] as const
export type Capability = (typeof CAPABILITIES)[number]

const ROLE_CAPABILITIES: Record<Role, readonly Capability[]> = {
  officer: ['case:read', 'case:edit', 'screening:read', 'plan:read'],
  supervisor: [
    'case:read',
    'case:edit',
    'case:supervise',
    'screening:read',
    'screening:decide',
    'analysis:read',
    'plan:read',
  ],
  specialist: [
    'case:read',
    'case:edit',
    'case:supervise',
    'screening:read',
    'screening:decide',
    'analysis:read',
    'plan:read',
  ],
  analyst: ['case:read', 'case:import', 'screening:read', 'analysis:read', 'plan:read'],
  plan_owner: ['plan:read', 'plan:edit', 'analysis:read'],
  executive_lead: ['plan:read', 'plan:edit', 'plan:approve', 'analysis:read'],
  force_admin: ['plan:read', 'audit:read', 'users:manage', 'case:import', 'analysis:read'],
  national_lead: ['plan:read', 'plan:national'],
  partner: ['referral:respond'],
}

/** Capabilities that reach across forces: the national lead reads every force's plan, and nothing else across forces. */
const CROSS_FORCE: ReadonlySet<Capability> = new Set(['plan:read', 'plan:national'])

export interface SessionUser {
  id: number
  username: string
  displayName: string
  forceId: number
  forceName: string
  roles: Role[]
}

export class ForbiddenError extends Error {
  readonly status = 403
  constructor(
    readonly capability: Capability,
    readonly forceId: number | null,
  ) {
    super(`Not permitted: ${capability}${forceId === null ? '' : ` in force ${forceId}`}`)
    this.name = 'ForbiddenError'
  }
}

export class Permissions {
  private readonly capabilities: ReadonlySet<Capability>

  constructor(readonly user: SessionUser | null) {
    this.capabilities = new Set(user ? user.roles.flatMap((role) => ROLE_CAPABILITIES[role] ?? []) : [])
  }

  get signedIn(): boolean {
    return this.user !== null
  }

  /** Whether the user has the capability in their own force (or, for cross-force capabilities, in any force). */
  can(capability: Capability, forceId?: number | null): boolean {
    if (!this.user || !this.capabilities.has(capability)) return false
    if (forceId === undefined || forceId === null) return true
    return forceId === this.user.forceId || (CROSS_FORCE.has(capability) && this.capabilities.has('plan:national'))
  }

  /** Throws ForbiddenError unless can(capability, forceId). */
  check(capability: Capability, forceId?: number | null): void {
    if (!this.can(capability, forceId)) throw new ForbiddenError(capability, forceId ?? null)
  }

  get forceId(): number | null {
    return this.user?.forceId ?? null
  }
}

export function parseRoles(text: string): Role[] {
  return text
    .split(',')
    .map((role) => role.trim())
    .filter((role): role is Role => (ROLES as readonly string[]).includes(role))
}
