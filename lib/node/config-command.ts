/**
 * `chorus-mesh config`: the effective configuration of a relay started here with the same
 * flags, each value with where it came from (flag, environment, env file, default). Secrets
 * are masked.
 */
import type { Command } from 'commander'
import { SETTINGS, settingSource, type Setting, type SettingName } from './config'
import { addRelayOptions } from './relay/command'
import { parseIceServers, redactIceServers } from './relay/ice'

/** Flag attribute names of the relay's options, by setting. */
const FLAG_OF: Partial<Record<SettingName, string>> = {
  CHORUS_HOST: 'host',
  CHORUS_RELAY_PORT: 'port',
  CHORUS_HTTP_PORT: 'httpPort',
  CHORUS_TCP_PORT: 'tcpPort',
  CHORUS_DATA_DIR: 'data',
  CHORUS_PRESENCE_INTERVAL_MS: 'presenceInterval',
  CHORUS_ANNOUNCE: 'announce',
  CHORUS_PUBLIC_URL: 'publicUrl',
  CHORUS_TLS_CERT: 'tlsCert',
  CHORUS_TLS_KEY: 'tlsKey',
  CHORUS_CORS_ORIGINS: 'corsOrigin',
  CHORUS_LOG_LEVEL: 'logLevel',
  CHORUS_DRAIN_MS: 'drain',
}

export interface ConfigRow {
  name: SettingName
  value: string | undefined
  source: string
  description: string
}

/** Registers `config` on the program. */
export function registerConfigCommand(program: Command): void {
  addRelayOptions(program.command('config'))
    .description('print the effective configuration (flags, environment, .env file, defaults) and where each value comes from')
    .option('--json', 'one JSON object')
    .action((o: Record<string, unknown>, cmd: Command) => {
      const rows = configRows(o, (k) => cmd.getOptionValueSource(k))
      if (o.json === true) {
        console.log(JSON.stringify(Object.fromEntries(rows.map((r) => [r.name, { value: r.value ?? null, source: r.source }])), null, 2))
        return
      }
      const width = Math.max(...rows.map((r) => r.name.length))
      for (const r of rows) console.log(`${r.name.padEnd(width)}  ${(r.value ?? '(unset)').padEnd(30)}  ${r.source}`)
    })
}

/** The configuration table: every setting, its value in force and its source. */
export function configRows(flags: Record<string, unknown>, sourceOf: (key: string) => string | undefined): ConfigRow[] {
  return (Object.keys(SETTINGS) as SettingName[]).map((name) => {
    const s = SETTINGS[name] as Setting
    const key = FLAG_OF[name]
    const flagSource = key ? sourceOf(key) : undefined
    let value: string | undefined
    let source: string
    if (key != null && flagSource === 'cli') {
      value = show(flags[key])
      source = 'flag'
    } else {
      value = process.env[name] != null && process.env[name] !== '' ? process.env[name] : s.default
      source = settingSource(name)
    }
    return { name, value: mask(name, value, s), source, description: s.description }
  })
}

function show(v: unknown): string | undefined {
  if (v == null) return undefined
  return Array.isArray(v) ? v.join(',') : String(v)
}

function mask(name: SettingName, value: string | undefined, s: Setting): string | undefined {
  if (value == null || !s.secret) return value
  if (name === 'CHORUS_ICE_SERVERS') {
    try {
      return JSON.stringify(redactIceServers(parseIceServers(value)))
    } catch (err) {
      return `(invalid: ${(err as Error).message})`
    }
  }
  return '[set, hidden]'
}
