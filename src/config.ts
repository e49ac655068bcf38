import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, relative, resolve, isAbsolute } from 'node:path'
import { z } from 'zod'

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().min(1).optional(),
  BASE_URL: z.url().optional(),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  UPLOAD_DIR: z.string().optional(),
  IMPORT_UPLOAD_LIMIT_MB: z.coerce
    .number()
    .int()
    .min(1)
    .max(1024 * 1024)
    .default(2048),
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
  AUDIT_KEY: z.string().min(32, 'AUDIT_KEY must be at least 32 characters').optional(),
  AUDIT_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  XDG_CONFIG_HOME: z.string().optional(),
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
  /** Largest crime extract file accepted through the browser's import page (streamed to disk under uploadDir). */
  importUploadLimitBytes: number
  oidc: OidcConfig | null
  /** The development sign-in lists seeded users: only without OIDC and never in production. */
  devSignInEnabled: boolean
  secureCookies: boolean
  logLevel: string
  trustProxy: string | undefined
  /** Where the daily case work digest is sent through; null: no emails (in-app notifications only). */
  smtpUrl: string | null
  mailFrom: string
  /** Failed sign-ins allowed from one address in 15 minutes. */
  signInAttempts: number
  /** Plan harvest may fetch private and loopback addresses: development and tests only, unless set. */
  harvestPrivateAddresses: boolean
  /** The key of the audit log's keyed hashes and checkpoints: held outside the database (docs/adr/0016). */
  auditKey: Buffer
  /** The append-only file of signed checkpoints of the audit chain's head; null: none kept (tests). */
  auditCheckpointFile: string | null
  /** How often the web server appends a checkpoint when the chain has moved. */
  auditCheckpointSeconds: number
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

/** Whether a path lies inside a folder (or is the folder). */
function inside(folder: string, path: string): boolean {
  const rel = relative(resolve(folder), resolve(path))
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** Where a development machine keeps Threadline's own files outside any data folder. */
function configHome(xdgConfigHome: string | undefined): string {
  return join(xdgConfigHome ?? join(homedir(), '.config'), 'threadline')
}

/** Reads the audit key file, or (development only) makes one outside the data folder and says so. */
function auditKeyFromFile(file: string, generate: boolean): Buffer {
  try {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8').trim()
      if (text.length < 32) throw new ConfigError(`The audit key file ${file} must hold at least 32 characters`)
      return Buffer.from(text, 'utf8')
    }
    if (!generate) throw new ConfigError(`The audit key file ${file} does not exist`)
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    const key = randomBytes(32).toString('hex')
    writeFileSync(file, key, { mode: 0o600, flag: 'wx' })
    process.stderr.write(
      `threadline: warning: generated a development audit key at ${file}. ` +
        'Set AUDIT_KEY or AUDIT_KEY_FILE (outside the data folder) in production.\n',
    )
    return Buffer.from(key, 'utf8')
  } catch (error) {
    if (error instanceof ConfigError) throw error
    throw new ConfigError(`Cannot use the audit key file ${file}: ${(error as Error).message}`)
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
  if (production && !e.AUDIT_KEY && !e.AUDIT_KEY_FILE)
    throw new ConfigError('AUDIT_KEY or AUDIT_KEY_FILE must be set when NODE_ENV=production')
  if (production && !e.AUDIT_CHECKPOINT_FILE)
    throw new ConfigError('AUDIT_CHECKPOINT_FILE must be set when NODE_ENV=production')
  // Someone who can write the database's folder must not also find the key there.
  if (e.AUDIT_KEY_FILE && !databaseUrl.startsWith('postgres') && inside(dataDir, e.AUDIT_KEY_FILE))
    throw new ConfigError(`AUDIT_KEY_FILE must be outside the data folder ${dataDir}`)
  const home = configHome(e.XDG_CONFIG_HOME)
  let auditKey: Buffer | undefined = e.AUDIT_KEY
    ? Buffer.from(e.AUDIT_KEY, 'utf8')
    : !e.AUDIT_KEY_FILE && e.NODE_ENV === 'test'
      ? Buffer.from('test-audit-key-'.padEnd(40, 'x'), 'utf8')
      : undefined
  const databaseTag = createHash('sha256')
    .update(databaseUrl.startsWith('postgres') ? databaseUrl : resolve(databaseUrl))
    .digest('hex')
    .slice(0, 16)
  const auditCheckpointFile =
    e.AUDIT_CHECKPOINT_FILE ?? (e.NODE_ENV === 'test' ? null : join(home, 'audit-checkpoints', `${databaseTag}.log`))
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
    importUploadLimitBytes: e.IMPORT_UPLOAD_LIMIT_MB * 1024 * 1024,
    oidc,
    devSignInEnabled: !oidc && !production,
    secureCookies: production || baseUrl.startsWith('https:'),
    logLevel: e.NODE_ENV === 'test' && !env.LOG_LEVEL ? 'silent' : e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    signInAttempts: e.NODE_ENV === 'test' ? 1000 : 30,
    harvestPrivateAddresses: (e.HARVEST_PRIVATE_ADDRESSES ?? (production ? 'refuse' : 'allow')) === 'allow',
    // Read when the first audit row is written or checked: a command that audits nothing makes no key file.
    get auditKey() {
      auditKey ??= auditKeyFromFile(e.AUDIT_KEY_FILE ?? join(home, 'audit-key'), !e.AUDIT_KEY_FILE && !production)
      return auditKey
    },
    auditCheckpointFile,
    auditCheckpointSeconds: e.AUDIT_CHECKPOINT_SECONDS,
    ...overrides,
  }
}
