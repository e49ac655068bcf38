import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
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

  it('never enables the development sign-in in production, and marks cookies secure', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      OIDC_ISSUER: 'https://idp.example',
      OIDC_CLIENT_ID: 'tl',
      BASE_URL: 'https://threadline.example.police.uk',
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
