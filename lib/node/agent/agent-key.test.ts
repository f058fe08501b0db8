import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadOrCreateKey } from '../identity'
import { agentKeyFile, exportAgentKey, installAgentKey } from './agent-key'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'chorus-key-'))
  dirs.push(d)
  return d
}

describe('CHORUS_AGENT_KEY', () => {
  it('an exported key installed in a fresh data directory gives the same peer id', async () => {
    const first = tmp()
    const text = await exportAgentKey(first, 'ci agent')
    const original = await loadOrCreateKey(agentKeyFile(first, 'ci agent'))
    const fresh = tmp()
    installAgentKey(fresh, 'ci agent', text)
    installAgentKey(fresh, 'ci agent', text) // idempotent
    const again = await loadOrCreateKey(agentKeyFile(fresh, 'ci agent'))
    expect(again.publicKey.equals(original.publicKey)).toBe(true)
    expect(readFileSync(agentKeyFile(fresh, 'ci agent'))).toEqual(readFileSync(agentKeyFile(first, 'ci agent')))
  })

  it('refuses malformed text and a different key already in place', async () => {
    const dir = tmp()
    expect(() => installAgentKey(dir, 'a', 'not a key')).toThrow(/not a key printed by `chorus-mesh key`/)
    installAgentKey(dir, 'a', await exportAgentKey(tmp(), 'a'))
    const other = await exportAgentKey(tmp(), 'a')
    expect(() => installAgentKey(dir, 'a', other)).toThrow(/holds another key than CHORUS_AGENT_KEY/)
  })
})
