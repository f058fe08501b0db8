/**
 * What an integration test starts and creates, undone after each test: registered processes
 * (relays, agents) are stopped and temporary directories removed, even when the test failed.
 * Processes stop one at a time, last registered first, so agents leave before the relay they
 * talk through and a relay never waits on peers that are stopping at the same moment.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'

/** Registers the after-each clean-up; `running` takes what to stop, `tmp()` makes a directory. */
export function scratch(prefix: string): { running: Array<{ stop(): Promise<void> }>; tmp(): string } {
  const running: Array<{ stop(): Promise<void> }> = []
  const dirs: string[] = []
  afterEach(async () => {
    for (const r of running.splice(0).reverse()) await r.stop().catch(() => {})
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), `chorus-${prefix}-`))
    dirs.push(d)
    return d
  }
  return { running, tmp }
}
