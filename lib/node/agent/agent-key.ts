/**
 * An agent identity given as text (`CHORUS_AGENT_KEY`), for runners whose data directory is
 * new on every run (CI, containers): the key is written where the mesh agent keeps its key,
 * so the runner is the same member each time without redeeming an invite again.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { loadOrCreateKey } from '../identity'

/** Where an agent named `name` keeps its key under `dataDir` (as the mesh agent does). */
export const agentKeyFile = (dataDir: string, name: string): string => join(dataDir, 'agents', name.replace(/[^A-Za-z0-9_.-]/g, '_'), 'agent.key')

/** Why a key given as text cannot be used. */
export class AgentKeyError extends Error {
  static override name = 'AgentKeyError'
  constructor(
    readonly reason: 'malformed' | 'differs',
    detail: string,
  ) {
    super(detail)
  }
}

/** Decodes base64 (or base64url) key text into the protobuf bytes, checking it is a private key. */
export function decodeAgentKey(text: string): Uint8Array {
  const bytes = new Uint8Array(Buffer.from(text.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64'))
  try {
    privateKeyFromProtobuf(bytes)
  } catch {
    throw new AgentKeyError('malformed', 'CHORUS_AGENT_KEY is not a key printed by `chorus-mesh key` (base64 of a libp2p private key)')
  }
  return bytes
}

/**
 * Writes the key to the agent's key file, or checks the file already holds it. A different
 * key already there is an error: silently replacing an identity would orphan its tasks.
 */
export function installAgentKey(dataDir: string, name: string, text: string): void {
  const bytes = decodeAgentKey(text)
  const file = agentKeyFile(dataDir, name)
  if (existsSync(file)) {
    if (Buffer.compare(readFileSync(file), bytes) !== 0) {
      throw new AgentKeyError('differs', `${file} holds another key than CHORUS_AGENT_KEY: use another --data or --name, or remove the file`)
    }
    return
  }
  mkdirSync(dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, bytes, { mode: 0o600 })
  renameSync(tmp, file)
}

/** The agent's key as text (created if the agent has none yet), for CHORUS_AGENT_KEY. */
export async function exportAgentKey(dataDir: string, name: string): Promise<string> {
  await loadOrCreateKey(agentKeyFile(dataDir, name))
  return readFileSync(agentKeyFile(dataDir, name)).toString('base64')
}
