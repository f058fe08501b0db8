import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { loadOrCreateKey } from './identity'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'chorus-id-'))
  dirs.push(d)
  return d
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

describe('loadOrCreateKey', () => {
  it('creates a key once and returns the same peer id on every later load', async () => {
    const file = join(tmp(), 'nested', 'relay.key')
    const first = peerIdFromPrivateKey(await loadOrCreateKey(file)).toString()
    const second = peerIdFromPrivateKey(await loadOrCreateKey(file)).toString()
    expect(second).toBe(first)
    expect(first).toMatch(/^12D3KooW/)
    expect(readFileSync(file).byteLength).toBeGreaterThan(32)
  })

  it('refuses a corrupt key file instead of silently replacing the identity', async () => {
    const file = join(tmp(), 'relay.key')
    writeFileSync(file, 'garbage')
    await expect(loadOrCreateKey(file)).rejects.toThrow(/cannot read identity key/)
    expect(readFileSync(file, 'utf8')).toBe('garbage')
  })
})
