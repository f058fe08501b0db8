/**
 * `<data>/relay.pid`: which process serves a data directory. Restore and import rewrite the
 * directory's files, which a running relay holds open and would never re-read, so they refuse
 * while the process named here is alive. A stale file (the relay was killed) is ignored.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'

/** The pid file's path in a data directory. */
export const pidFile = (dataDir: string): string => join(dataDir, 'relay.pid')

/** The pid of a live relay using `dataDir`, if any. */
export function relayUsing(dataDir: string): number | undefined {
  let pid: number
  try {
    pid = Number(readFileSync(pidFile(dataDir), 'utf8').trim())
  } catch {
    return undefined
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined
  try {
    process.kill(pid, 0)
  } catch (err) {
    // EPERM: alive but another user's process.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined
  }
  return isNode(pid) ? pid : undefined
}

/** After a reboot the old pid may name another program: only a Node process counts (Linux). */
function isNode(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((arg) => basename(arg).startsWith('node'))
  } catch {
    return true
  }
}

/** Records this process as the directory's relay; the returned function removes the record. */
export function claimDataDir(dataDir: string): () => void {
  const other = relayUsing(dataDir)
  if (other != null && other !== process.pid) {
    throw new Error(`another relay (pid ${other}) is using ${dataDir}; stop it first, or give this one its own --data`)
  }
  writeFileSync(pidFile(dataDir), `${process.pid}\n`)
  return () => {
    if (relayUsing(dataDir) === process.pid) rmSync(pidFile(dataDir), { force: true })
  }
}

/** Throws a clear error when a live relay uses `dataDir` (`what` names the refused operation). */
export function requireStopped(dataDir: string, what: string): void {
  const pid = relayUsing(dataDir)
  if (pid != null) throw new Error(`${what}: a relay (pid ${pid}) is using ${dataDir}; stop it first (it would never see the change)`)
}
