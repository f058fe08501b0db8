/**
 * `chorus-mesh invite revoke` takes any id `invite list` prints, including one that begins
 * with '-' (which commander reads as an option when it is a plain argument).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Command } from 'commander'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { registerInviteCommand } from './command'

let server: Server
let url = ''
const revoked: string[] = []

beforeAll(async () => {
  // Answers the relay's revoke route the way the relay does, recording the id it was sent.
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      const { id } = JSON.parse(body) as { id: string }
      revoked.push(id)
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ id, role: 'agent', uses: 0, maxUses: 1, status: 'revoked' }))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

async function revoke(args: string[]): Promise<string | undefined> {
  const program = new Command('chorus-mesh').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} })
  registerInviteCommand(program)
  revoked.length = 0
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  try {
    await program.parseAsync(['invite', 'revoke', '--relay', url, '--admin-token', 'secret', ...args], { from: 'user' })
  } finally {
    log.mockRestore()
  }
  expect(revoked.length).toBeLessThanOrEqual(1)
  return revoked[0]
}

const id = fc.stringMatching(/^-[A-Za-z0-9_-]{15}$/)

describe('chorus-mesh invite revoke', () => {
  it('revokes an id that begins with "-", given with --id or after --', async () => {
    await fc.assert(
      fc.asyncProperty(id, async (text) => {
        expect(await revoke(['--id', text])).toBe(text)
        expect(await revoke([`--id=${text}`])).toBe(text)
        expect(await revoke(['--json', '--', text])).toBe(text)
      }),
      { numRuns: 40 },
    )
  })

  it('revokes a plain id given as an argument', async () => {
    expect(await revoke(['AbCdEfGh12345678'])).toBe('AbCdEfGh12345678')
  })

  it('refuses no id, or two different ones, and revokes nothing', async () => {
    await expect(revoke([])).rejects.toThrow(/give one invite id/)
    expect(revoked).toEqual([])
    await expect(revoke(['AbCdEfGh12345678', '--id', 'ZzCdEfGh12345678'])).rejects.toThrow(/give one invite id/)
    expect(revoked).toEqual([])
  })
})
