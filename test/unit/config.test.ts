import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.ts'

describe('loadConfig', () => {
  it('defaults to the embedded SQLite file and the development sign-in', () => {
    const config = loadConfig({ NODE_ENV: 'test' })
    expect(config.databaseUrl).toBe('.data/threadline.sqlite')
    expect(config.devSignInEnabled).toBe(true)
    expect(config.secureCookies).toBe(false)
  })

  it('switches the development sign-in off when an OIDC issuer is configured', () => {
    const config = loadConfig({ NODE_ENV: 'test', OIDC_ISSUER: 'https://idp.example.police.uk', OIDC_CLIENT_ID: 'tl' })
    expect(config.devSignInEnabled).toBe(false)
    expect(config.oidc).toMatchObject({ issuer: 'https://idp.example.police.uk', clientId: 'tl' })
  })

  it('refuses production without OIDC or a session secret, naming what is missing', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) })).toThrow(/OIDC_ISSUER/)
    expect(() =>
      loadConfig({ NODE_ENV: 'production', OIDC_ISSUER: 'https://idp.example', OIDC_CLIENT_ID: 'tl' }),
    ).toThrow(/SESSION_SECRET/)
  })

  it('refuses production without an audit key and a checkpoint file outside the database', () => {
    const production = {
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      OIDC_ISSUER: 'https://idp.example',
      OIDC_CLIENT_ID: 'tl',
    }
    expect(() => loadConfig(production)).toThrow('AUDIT_KEY or AUDIT_KEY_FILE must be set when NODE_ENV=production')
    expect(() => loadConfig({ ...production, AUDIT_KEY: 'k'.repeat(40) })).toThrow(
      'AUDIT_CHECKPOINT_FILE must be set when NODE_ENV=production',
    )
    expect(() => loadConfig({ ...production, AUDIT_KEY: 'short' })).toThrow(/AUDIT_KEY must be at least 32 characters/)
    expect(() =>
      loadConfig({
        ...production,
        AUDIT_KEY_FILE: '/srv/data/audit-key',
        AUDIT_CHECKPOINT_FILE: '/var/log/threadline/audit-checkpoints.log',
        DATABASE_URL: '/srv/data/threadline.sqlite',
      }),
    ).toThrow('AUDIT_KEY_FILE must be outside the data folder /srv/data')
  })

  it('generates the development audit key outside the data folder, once, with a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'threadline-config-'))
    const warnings = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      const env = {
        NODE_ENV: 'development',
        DATABASE_URL: join(dir, 'data', 'db.sqlite'),
        XDG_CONFIG_HOME: join(dir, 'home'),
      }
      const config = loadConfig(env)
      expect(existsSync(join(dir, 'home', 'threadline', 'audit-key'))).toBe(false)
      const key = config.auditKey
      expect(key.length).toBe(64)
      expect(existsSync(join(dir, 'home', 'threadline', 'audit-key'))).toBe(true)
      expect(warnings).toHaveBeenCalledWith(
        expect.stringMatching(/generated a development audit key at .*Set AUDIT_KEY/),
      )
      expect(loadConfig(env).auditKey.equals(key)).toBe(true)
      expect(config.auditCheckpointFile).toMatch(
        new RegExp(`^${join(dir, 'home', 'threadline', 'audit-checkpoints')}/[0-9a-f]{16}\\.log$`),
      )
    } finally {
      warnings.mockRestore()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('never enables the development sign-in in production, and marks cookies secure', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      OIDC_ISSUER: 'https://idp.example',
      OIDC_CLIENT_ID: 'tl',
      BASE_URL: 'https://threadline.example.police.uk',
      AUDIT_KEY: 'k'.repeat(40),
      AUDIT_CHECKPOINT_FILE: '/var/log/threadline/audit-checkpoints.log',
    })
    expect(config.devSignInEnabled).toBe(false)
    expect(config.secureCookies).toBe(true)
  })

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', PORT: 'eighty' })).toThrow(ConfigError)
    expect(() => loadConfig({ NODE_ENV: 'test', PORT: 'eighty' })).toThrow(/PORT/)
  })
  it('writes the development session secret beside the database only when something asks for it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'threadline-config-'))
    try {
      const env = { NODE_ENV: 'development', DATABASE_URL: join(dir, 'db.sqlite') }
      const config = loadConfig(env)
      expect(existsSync(join(dir, 'session-secret'))).toBe(false)
      const secret = config.sessionSecret
      expect(secret).toMatch(/^[0-9a-f]{64}$/)
      expect(existsSync(join(dir, 'session-secret'))).toBe(true)
      expect(loadConfig(env).sessionSecret).toBe(secret)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
