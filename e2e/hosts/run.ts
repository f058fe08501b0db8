/**
 * `npm run test:hosts`: the multi-host fault harness (scenario.ts) in network namespaces.
 * Skips with a printed reason where this process may not create namespaces (not root, not
 * Linux); builds the web app first when its production build is missing or stale. Exit code 0
 * only when every check of the scenario holds. Bounded: the whole run is aborted after
 * CHORUS_HOSTS_TIMEOUT_MS (default 8 min), tearing the lab down.
 */
import '../../lib/node/polyfills'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { buildIsStale } from '../../lib/node/start'
import { cannotMakeNamespaces, removeStaleLabs } from './netns'
import { ROOT } from './procs'
import { runScenario, type ScenarioReport } from './scenario'

const log = (line: string) => console.log(`hosts: ${line}`)

/** The checks of the scenario; each failure is a line saying what did not hold. */
export function failedChecks(r: ScenarioReport): string[] {
  const failed: string[] = []
  if (r.written === 0) failed.push('no event was acknowledged')
  if (r.phases === 0) failed.push('the tabs were watched in no phase')
  if (r.lost !== 0) failed.push(`${r.lost} acknowledged events are missing from a replica`)
  if (r.failedWrites !== 0) failed.push(`${r.failedWrites} writes failed`)
  if (new Set(Object.values(r.finalRoots)).size !== 1) failed.push('replicas ended with different roots')
  if (r.roomAfterWipe !== r.roomBefore) failed.push(`relay 3 serves room ${r.roomAfterWipe} after the wipe, not ${r.roomBefore}`)
  for (const t of r.tabs) {
    if (t.phasesWithWrites < r.phases) failed.push(`tab ${t.name} wrote in only ${t.phasesWithWrites} of ${r.phases} phases`)
    if (t.phasesWithArrivals < r.phases) failed.push(`tab ${t.name} received events in only ${t.phasesWithArrivals} of ${r.phases} phases`)
  }
  return failed
}

async function main(): Promise<number> {
  const why = cannotMakeNamespaces()
  if (why) {
    log(`skipped: ${why}`)
    return 0
  }
  const stale = removeStaleLabs()
  if (stale.length > 0) log(`removed ${stale.length} namespaces left by an earlier run: ${stale.join(', ')}`)
  if (buildIsStale()) {
    log('building the web app (no production build, or sources are newer) …')
    const b = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } })
    if (b.status !== 0) throw new Error('next build failed')
  }
  const bound = Number(process.env.CHORUS_HOSTS_TIMEOUT_MS ?? 8 * 60_000)
  const timer = setTimeout(() => {
    log(`aborted: the run took longer than ${bound} ms`)
    // process.exit runs the lab's exit hook, which tears it down.
    process.exit(1)
  }, bound)
  const started = Date.now()
  const report = await runScenario({ log })
  clearTimeout(timer)
  log(`events written (acknowledged): ${report.written}`)
  log(`lost: ${report.lost}`)
  for (const [k, ms] of Object.entries(report.convergenceMs)) log(`convergence after ${k}: ${(ms / 1000).toFixed(1)} s`)
  for (const t of report.tabs) log(`tab ${t.name}: ${t.written} writes; wrote in ${t.phasesWithWrites}/${report.phases} phases, received in ${t.phasesWithArrivals}/${report.phases}`)
  log(`room ${report.roomBefore}; relay 3 after the wipe serves ${report.roomAfterWipe}`)
  log(`run took ${((Date.now() - started) / 1000).toFixed(0)} s`)
  const failed = failedChecks(report)
  for (const f of failed) log(`FAILED: ${f}`)
  if (failed.length === 0) log('PASSED')
  return failed.length === 0 ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    log(`FAILED: ${err.stack ?? err.message}`)
    process.exit(1)
  },
)
