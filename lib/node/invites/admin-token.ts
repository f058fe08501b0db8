/**
 * The relay's admin token: a random secret in `<data>/admin.token` (mode 0600), made on the
 * relay's first start. Whoever can read the data directory is the relay's operator, so
 * `chorus-mesh invite` on the relay's host reads it from there; elsewhere it is passed as
 * `--admin-token` / `CHORUS_ADMIN_TOKEN`.
 */
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The token file's path in a data directory. */
export const adminTokenFile = (dataDir: string): string => join(dataDir, 'admin.token')

/** Reads the data directory's admin token, creating it if there is none. */
export function loadOrCreateAdminToken(dataDir: string): string {
  const file = adminTokenFile(dataDir)
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const token = randomBytes(32).toString('base64url')
  writeFileSync(file, token + '\n', { mode: 0o600 })
  chmodSync(file, 0o600)
  return token
}

/** Reads the admin token from a data directory; undefined when there is none. */
export function readAdminToken(dataDir: string): string | undefined {
  const file = adminTokenFile(dataDir)
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined
}
