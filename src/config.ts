import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { z } from 'zod'

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().min(1).optional(),
  BASE_URL: z.url().optional(),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  UPLOAD_DIR: z.string().optional(),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_SCOPES: z.string().default('openid profile email'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.string().optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().default('Threadline <threadline@localhost>'),
  HARVEST_PRIVATE_ADDRESSES: z.enum(['allow', 'refuse']).optional(),
})

export interface OidcConfig {
  issuer: string
  clientId: string
  clientSecret: string | undefined
  scopes: string
}

export interface Config {
  environment: 'development' | 'test' | 'production'
  port: number
  databaseUrl: string
  baseUrl: string
  sessionSecret: string
  uploadDir: string
  oidc: OidcConfig | null
  /** The development sign-in lists seeded users: only without OIDC and never in production. */
  devSignInEnabled: boolean
  secureCookies: boolean
  logLevel: string
  trustProxy: string | undefined
  /** Where the daily case work digest is sent through; null: no emails (in-app notifications only). */
  smtpUrl: string | null
  mailFrom: string
  /** Plan harvest may fetch private and loopback addresses: development and tests only, unless set. */
  harvestPrivateAddresses: boolean
}

export const DEFAULT_DATABASE_PATH = '.data/threadline.sqlite'

export class ConfigError extends Error {}

/** A secret kept beside the embedded database so development sessions survive restarts; production must set one. */
function developmentSecret(dataDir: string): string {
  const file = resolve(dataDir, 'session-secret')
  try {
    if (existsSync(file)) return readFileSync(file, 'utf8').trim()
    mkdirSync(dataDir, { recursive: true })
    const secret = randomBytes(32).toString('hex')
    writeFileSync(file, secret, { mode: 0o600 })
    return secret
  } catch (error) {
    throw new ConfigError(`Cannot use ${dataDir} for the embedded database: ${(error as Error).message}`)
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = environmentSchema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ConfigError(`Environment variable ${issue.path.join('.')}: ${issue.message}`)
  }
  const e = parsed.data
  const production = e.NODE_ENV === 'production'
  const databaseUrl = overrides.databaseUrl ?? e.DATABASE_URL ?? DEFAULT_DATABASE_PATH
  const port = overrides.port ?? e.PORT
  const baseUrl = e.BASE_URL ?? `http://localhost:${port}`
  const oidc =
    e.OIDC_ISSUER && e.OIDC_CLIENT_ID
      ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET, scopes: e.OIDC_SCOPES }
      : null
  if (e.OIDC_ISSUER && !e.OIDC_CLIENT_ID) throw new ConfigError('OIDC_ISSUER is set but OIDC_CLIENT_ID is not')
  if (production && !e.SESSION_SECRET) throw new ConfigError('SESSION_SECRET must be set when NODE_ENV=production')
  if (production && !oidc) throw new ConfigError('OIDC_ISSUER and OIDC_CLIENT_ID must be set when NODE_ENV=production')
  const dataDir = databaseUrl.startsWith('postgres')
    ? '.data'
    : dirname(databaseUrl === ':memory:' ? '.data/x' : databaseUrl)
  let sessionSecret = e.SESSION_SECRET ?? (e.NODE_ENV === 'test' ? 'test-secret-'.padEnd(40, 'x') : undefined)
  return {
    environment: e.NODE_ENV,
    port,
    databaseUrl,
    baseUrl,
    // Read only by the web server: a CLI command never writes a secret file beside the database.
    get sessionSecret() {
      sessionSecret ??= developmentSecret(dataDir)
      return sessionSecret
    },
    uploadDir: e.UPLOAD_DIR ?? resolve(dataDir, 'uploads'),
    oidc,
    devSignInEnabled: !oidc && !production,
    secureCookies: production || baseUrl.startsWith('https:'),
    logLevel: e.NODE_ENV === 'test' && !env.LOG_LEVEL ? 'silent' : e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    harvestPrivateAddresses: (e.HARVEST_PRIVATE_ADDRESSES ?? (production ? 'refuse' : 'allow')) === 'allow',
    ...overrides,
  }
}
