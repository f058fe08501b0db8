/**
 * Defaults and environment variables shared by `start`, `relay` and `agent`. Flags win over
 * environment variables, which win over these defaults.
 */
export const defaults = {
  host: process.env.CHORUS_HOST ?? '127.0.0.1',
  webPort: intEnv('PORT', 3000),
  relayPort: intEnv('CHORUS_RELAY_PORT', 7780),
  httpPort: intEnv('CHORUS_HTTP_PORT', 7781),
  dataDir: process.env.CHORUS_DATA_DIR ?? './.data',
  presenceIntervalMs: intEnv('CHORUS_PRESENCE_INTERVAL_MS', 2000),
}

/** The relay's HTTP URL an agent talks to by default. */
export const defaultRelayUrl = process.env.CHORUS_RELAY_URL ?? `http://${defaults.host}:${defaults.httpPort}`

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw == null || raw === '') return fallback
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
