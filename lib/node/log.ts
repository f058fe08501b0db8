/**
 * Structured logs for long-running commands: one line per event with a level, JSON when the
 * output is not a terminal (journald, a log shipper) and `time level event k=v` when a person
 * is watching. Fields whose names say they hold a secret are masked, so a token or an invite
 * passed by mistake never reaches a log.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export type LogFields = Record<string, unknown>

export interface Logger {
  debug(event: string, fields?: LogFields): void
  info(event: string, fields?: LogFields): void
  warn(event: string, fields?: LogFields): void
  error(event: string, fields?: LogFields): void
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger
}

export interface LoggerInit {
  level?: LogLevel
  /** @default true when the stream is not a TTY */
  json?: boolean
  write?: (line: string) => void
  now?: () => Date
}

const SECRET_FIELD = /token|secret|password|credential|invite|authorization|private|^key$/i

/** Parses a `--log-level` value, naming the allowed ones on error. */
export function parseLogLevel(value: string): LogLevel {
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel
  throw new Error(`log level ${value}: expected one of ${LOG_LEVELS.join(', ')}`)
}

/** Creates a logger writing to stdout by default. */
export function createLogger(init: LoggerInit = {}, base: LogFields = {}): Logger {
  const min = LOG_LEVELS.indexOf(init.level ?? 'info')
  const json = init.json ?? !process.stdout.isTTY
  const write = init.write ?? ((line: string) => process.stdout.write(line + '\n'))
  const now = init.now ?? (() => new Date())
  const emit = (level: LogLevel) => (event: string, fields: LogFields = {}) => {
    if (LOG_LEVELS.indexOf(level) < min) return
    const all = masked({ ...base, ...fields })
    const time = now().toISOString()
    write(json ? JSON.stringify({ time, level, event, ...all }) : `${time} ${level.padEnd(5)} ${event}${text(all)}`)
  }
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (fields) => createLogger(init, { ...base, ...fields }),
  }
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger }

function masked(fields: LogFields): LogFields {
  const out: LogFields = {}
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue
    out[k] = SECRET_FIELD.test(k) ? '[redacted]' : v instanceof Error ? v.message : v
  }
  return out
}

function text(fields: LogFields): string {
  return Object.entries(fields)
    .map(([k, v]) => ` ${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    .join('')
}

/**
 * Logs at most one line per key and interval, with the number of occurrences it stands for:
 * a flood of rejected events costs a few lines, not one per event.
 */
export class SampledLog {
  private readonly seen = new Map<string, { count: number; last: number }>()

  constructor(
    private readonly log: (key: string, fields: LogFields) => void,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts one occurrence of `key`; logs it when the key's interval has passed. */
  hit(key: string, fields: LogFields = {}): void {
    const t = this.now()
    const s = this.seen.get(key)
    if (s == null || t - s.last >= this.intervalMs) {
      this.log(key, { ...fields, count: (s?.count ?? 0) + 1 })
      this.seen.set(key, { count: 0, last: t })
      if (this.seen.size > 1000) this.seen.delete(this.seen.keys().next().value as string)
    } else {
      s.count++
    }
  }
}
