/**
 * A Node peer's identity: an Ed25519 key generated once and kept in a file (protobuf, mode
 * 0600), so a relay or agent keeps its peer id across restarts.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'

/** Reads the key at `file`, or creates it (atomically) when the file does not exist. */
export async function loadOrCreateKey(file: string): Promise<PrivateKey> {
  try {
    return privateKeyFromProtobuf(readFileSync(file))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`cannot read identity key ${file}: ${(err as Error).message}`)
    }
  }
  const key = await generateKeyPair('Ed25519')
  mkdirSync(dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, privateKeyToProtobuf(key), { mode: 0o600 })
  renameSync(tmp, file)
  return key
}
