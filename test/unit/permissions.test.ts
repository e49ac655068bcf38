import { describe, expect, it } from 'vitest'
import { ForbiddenError, Permissions, parseRoles, type SessionUser } from '../../src/platform/services/permissions.ts'

const user = (roles: SessionUser['roles'], forceId = 1): SessionUser => ({
  id: 1,
  username: 'u',
  displayName: 'U',
  forceId,
  forceName: 'Force',
  roles,
})

describe('Permissions', () => {
  it('allows nothing to an anonymous visitor', () => {
    const permissions = new Permissions(null)
    expect(permissions.signedIn).toBe(false)
    expect(permissions.can('plan:read')).toBe(false)
  })

  it('scopes case data to the user’s own force', () => {
    const permissions = new Permissions(user(['officer'], 1))
    expect(permissions.can('case:read', 1)).toBe(true)
    expect(permissions.can('case:read', 2)).toBe(false)
    expect(() => permissions.check('case:read', 2)).toThrow(ForbiddenError)
  })

  it('lets the national lead read every force’s plan but no case data', () => {
    const permissions = new Permissions(user(['national_lead'], 99))
    expect(permissions.can('plan:read', 5)).toBe(true)
    expect(permissions.can('plan:national')).toBe(true)
    expect(permissions.can('case:read')).toBe(false)
    expect(permissions.can('plan:edit', 5)).toBe(false)
  })

  it('keeps cross-force plan reading to the national lead', () => {
    const permissions = new Permissions(user(['plan_owner'], 1))
    expect(permissions.can('plan:read', 1)).toBe(true)
    expect(permissions.can('plan:read', 2)).toBe(false)
    expect(permissions.can('plan:edit', 1)).toBe(true)
  })

  it('gives a partner only referral responses', () => {
    const permissions = new Permissions(user(['partner']))
    expect(permissions.can('referral:respond')).toBe(true)
    expect(permissions.can('case:read')).toBe(false)
    expect(permissions.can('plan:read')).toBe(false)
  })

  it('combines the capabilities of several roles', () => {
    const permissions = new Permissions(user(['analyst', 'plan_owner']))
    expect(permissions.can('case:import')).toBe(true)
    expect(permissions.can('plan:edit')).toBe(true)
  })

  it('ignores unknown role names', () => {
    expect(parseRoles('officer, wizard,analyst')).toEqual(['officer', 'analyst'])
  })
})
