/**
 * Configuration shared by every command: one table of settings, each with its environment
 * variable, default and meaning. Flags win over the environment, which wins over the
 * `.env` file (or `--env-file`), which wins over the defaults. `chorus-mesh config` prints
 * the table with the value in force and where it came from.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseEnv } from 'node:util'
import { Option } from 'commander'

/** One configurable setting. */
export interface Setting {
  env: string
  description: string
  /** Printed and used when nothing else sets it. */
  default?: string
  /** Never printed in full (tokens, passwords, invites). */
  secret?: boolean
}

/** Every setting the commands read, by environment variable. */
export const SETTINGS = {
  CHORUS_ENV_FILE: { env: 'CHORUS_ENV_FILE', description: 'settings file read at start (like --env-file; default ./.env when it exists)' },
  CHORUS_HOST: { env: 'CHORUS_HOST', description: 'interface the relay and the web app listen on', default: '127.0.0.1' },
  PORT: { env: 'PORT', description: 'web app port', default: '3000' },
  CHORUS_RELAY_PORT: { env: 'CHORUS_RELAY_PORT', description: "relay's libp2p WebSockets port", default: '7780' },
  CHORUS_HTTP_PORT: { env: 'CHORUS_HTTP_PORT', description: "relay's HTTP port (/api, /healthz, /readyz, /metrics)", default: '7781' },
  CHORUS_TCP_PORT: { env: 'CHORUS_TCP_PORT', description: "relay's plain TCP port for Node peers (unset: none)" },
  CHORUS_DATA_DIR: { env: 'CHORUS_DATA_DIR', description: 'relay identity, room, events; agent keys', default: './.data' },
  CHORUS_PRESENCE_INTERVAL_MS: { env: 'CHORUS_PRESENCE_INTERVAL_MS', description: 'presence heartbeat interval (ms)', default: '2000' },
  CHORUS_ANNOUNCE: { env: 'CHORUS_ANNOUNCE', description: 'multiaddrs the relay advertises instead of its listen addresses (comma-separated)' },
  CHORUS_PUBLIC_URL: { env: 'CHORUS_PUBLIC_URL', description: 'URL people open (links, allowed browser origin, path prefix of the web app)' },
  CHORUS_TLS_CERT: { env: 'CHORUS_TLS_CERT', description: 'PEM certificate: the relay serves wss:// and https:// itself' },
  CHORUS_TLS_KEY: { env: 'CHORUS_TLS_KEY', description: 'PEM private key for CHORUS_TLS_CERT' },
  CHORUS_ICE_SERVERS: { env: 'CHORUS_ICE_SERVERS', description: 'STUN/TURN servers handed to tabs (JSON array of RTCIceServer)', secret: true },
  CHORUS_CORS_ORIGINS: { env: 'CHORUS_CORS_ORIGINS', description: "browser origins allowed to call the relay's HTTP API (comma-separated; default: the public URL's)" },
  CHORUS_API_TOKEN: { env: 'CHORUS_API_TOKEN', description: 'bearer token required by /metrics and /api/* (unset: open)', secret: true },
  CHORUS_ADMIN_TOKEN: { env: 'CHORUS_ADMIN_TOKEN', description: "the relay's admin token for `chorus-mesh invite` (default: <data>/admin.token)", secret: true },
  CHORUS_LOG_LEVEL: { env: 'CHORUS_LOG_LEVEL', description: 'debug | info | warn | error', default: 'info' },
  CHORUS_DRAIN_MS: { env: 'CHORUS_DRAIN_MS', description: 'on shutdown, /readyz answers 503 this long before listeners close (ms)', default: '5000' },
  CHORUS_RELAY_URL: { env: 'CHORUS_RELAY_URL', description: "relay an agent joins (its HTTP URL, path prefix included)" },
  CHORUS_RELAY_HTTP: { env: 'CHORUS_RELAY_HTTP', description: "relay the web app's /api/room asks (set by start)" },
  CHORUS_INVITE: { env: 'CHORUS_INVITE', description: 'default --invite for agent and attack', secret: true },
  CHORUS_OUTCOME_WEBHOOK: { env: 'CHORUS_OUTCOME_WEBHOOK', description: "the relay POSTs each finished session's outcome here" },
} as const satisfies Record<string, Setting>

export type SettingName = keyof typeof SETTINGS

/** Where the value of an environment variable came from. */
const fromFile = new Map<string, string>()

/**
 * Loads `--env-file FILE` (or `./.env` when it exists and no file is named) into
 * `process.env`, never overriding a variable the environment already sets.
 * Returns the file read, if any. Throws when a named file is missing or unreadable.
 */
export function loadEnvFile(argv: string[], cwd = process.cwd()): string | undefined {
  // Node 20 also reads `--env-file` anywhere on its command line (and exits when the file is
  // missing); CHORUS_ENV_FILE names the file on every Node version.
  const named = envFileFlag(argv) ?? (process.env.CHORUS_ENV_FILE || undefined)
  const file = named != null ? resolve(cwd, named) : resolve(cwd, '.env')
  if (named == null && !existsSync(file)) return undefined
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new Error(`env file ${named}: ${(err as Error).message}`)
  }
  for (const [k, v] of Object.entries(parseEnv(text))) {
    if (process.env[k] !== undefined && !fromFile.has(k)) continue
    process.env[k] = v
    fromFile.set(k, file)
  }
  return file
}

function envFileFlag(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--env-file') return argv[i + 1]
    if (argv[i].startsWith('--env-file=')) return argv[i].slice('--env-file='.length)
  }
  return undefined
}

/** The value of a setting from the environment (or env file), else its default. */
export function setting(name: SettingName): string | undefined {
  const raw = process.env[name]
  if (raw != null && raw !== '') return raw
  return (SETTINGS[name] as Setting).default
}

/** Where a setting's value comes from, when no flag set it. */
export function settingSource(name: SettingName): string {
  const raw = process.env[name]
  if (raw == null || raw === '') return 'default'
  const file = fromFile.get(name)
  return file != null ? `env file ${file}` : 'environment'
}

/**
 * A commander option whose default comes from a setting; commander reports the source
 * (`cli`, `env`, `default`) so `chorus-mesh config` can say which one won.
 */
export function settingOption(flags: string, name: SettingName, parse?: (value: string, previous: unknown) => unknown): Option {
  const s = SETTINGS[name] as Setting
  const o = new Option(flags, s.description).env(name)
  if (parse) o.argParser(parse)
  if (s.default != null) o.default(parse ? parse(s.default, undefined) : s.default)
  return o
}

/** Defaults shared by the commands, read when asked (after the env file is loaded). */
export const defaults = {
  get host(): string {
    return setting('CHORUS_HOST')!
  },
  get webPort(): number {
    return intSetting('PORT')
  },
  get relayPort(): number {
    return intSetting('CHORUS_RELAY_PORT')
  },
  get httpPort(): number {
    return intSetting('CHORUS_HTTP_PORT')
  },
  get dataDir(): string {
    return setting('CHORUS_DATA_DIR')!
  },
  get presenceIntervalMs(): number {
    return intSetting('CHORUS_PRESENCE_INTERVAL_MS')
  },
}

/** The relay's HTTP URL an agent talks to by default. */
export function defaultRelayUrl(): string {
  return setting('CHORUS_RELAY_URL') ?? `http://${defaults.host === '0.0.0.0' ? '127.0.0.1' : defaults.host}:${defaults.httpPort}`
}

function intSetting(name: SettingName): number {
  const raw = setting(name)!
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0 || n > 65_535 * 1000) throw new Error(`${name}=${raw}: expected a whole number`)
  return n
}

/** Parses a port/number flag, failing with a message that names the flag. */
export function parseIntFlag(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value)
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} ${value}: expected a whole number`)
    return n
  }
}

/** A repeatable flag whose environment variable is a comma-separated list. */
export function listFlag(value: string, previous: unknown): string[] {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '')
  return Array.isArray(previous) ? [...(previous as string[]), ...items] : items
}
