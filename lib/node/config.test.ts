/** `.env` / `--env-file` and `chorus-mesh config`: flags win over the environment, which wins over the file, which wins over defaults. */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cli } from './testing/relay-process'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function config(cwd: string, args: string[], env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CHORUS_') && k !== 'PORT'))
  const r = spawnSync(process.execPath, [cli, 'config', '--json', ...args], { cwd, env: { ...clean, ...env } as NodeJS.ProcessEnv, encoding: 'utf8' })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

describe('chorus-mesh config', () => {
  it('reports each value with the source that won; secrets are masked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-config-'))
    dirs.push(dir)
    writeFileSync(join(dir, '.env'), [
      'CHORUS_HTTP_PORT=1111',
      'CHORUS_RELAY_PORT=2222',
      'CHORUS_LOG_LEVEL=debug',
      'CHORUS_API_TOKEN=from-the-file',
      'CHORUS_ICE_SERVERS=[{"urls":"turn:turn.example:3478","username":"u","credential":"hunter2"}]',
      '# a comment',
      '',
    ].join('\n'))
    const r = config(dir, ['--http-port', '4444'], { CHORUS_RELAY_PORT: '3333' })
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    const c = JSON.parse(r.out)
    expect(c.CHORUS_HTTP_PORT).toEqual({ value: '4444', source: 'flag' })
    expect(c.CHORUS_RELAY_PORT).toEqual({ value: '3333', source: 'environment' })
    expect(c.CHORUS_LOG_LEVEL).toEqual({ value: 'debug', source: `env file ${join(dir, '.env')}` })
    expect(c.CHORUS_HOST).toEqual({ value: '127.0.0.1', source: 'default' })
    expect(c.CHORUS_API_TOKEN.value).toBe('[set, hidden]')
    expect(r.out).not.toContain('from-the-file')
    expect(r.out).not.toContain('hunter2')
    expect(JSON.parse(c.CHORUS_ICE_SERVERS.value)).toEqual([{ urls: 'turn:turn.example:3478', username: 'u', credential: '[redacted]' }])
  }, 60_000)

  it('reads --env-file or CHORUS_ENV_FILE instead of ./.env, and fails clearly when it is missing or a value is bad', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-config-'))
    dirs.push(dir)
    writeFileSync(join(dir, '.env'), 'CHORUS_HTTP_PORT=1111\n')
    writeFileSync(join(dir, 'prod.env'), 'CHORUS_HTTP_PORT=5555\n')
    // Node 20 itself loads --env-file into the environment, so only the value is certain here.
    expect(JSON.parse(config(dir, ['--env-file', 'prod.env'], {}).out).CHORUS_HTTP_PORT.value).toBe('5555')
    const r = config(dir, [], { CHORUS_ENV_FILE: 'prod.env' })
    expect(JSON.parse(r.out).CHORUS_HTTP_PORT).toEqual({ value: '5555', source: `env file ${join(dir, 'prod.env')}` })
    const missing = config(dir, [], { CHORUS_ENV_FILE: 'nope.env' })
    expect(missing.code).toBe(2)
    expect(missing.err).toMatch(/env file nope\.env: .*no such file/)
    expect(config(dir, ['--env-file', 'nope.env'], {}).code).not.toBe(0)
    writeFileSync(join(dir, 'bad.env'), 'CHORUS_HTTP_PORT=eighty\n')
    const bad = config(dir, [], { CHORUS_ENV_FILE: 'bad.env' })
    expect(bad.code).not.toBe(0)
    expect(bad.err).toMatch(/eighty: expected a whole number/)
  }, 60_000)
})
