/**
 * Runs one realistic room by hand, for reproducing and profiling:
 *   node --import tsx bench/team/repro.ts [--agents 4] [--tasks 15] [--demo] [--tabs 3] [--profile relay.cpuprofile [--profile-agents]] [--timeout 600] [--port-base 3240]
 * `--port-base`: the relay's libp2p, HTTP and web ports are it and the next two (a shared machine's assigned range).
 * Prints the run's figures as JSON. CHORUS_BENCH_KEEP=1 keeps the run's directory (logs, data).
 */
import '../../lib/node/polyfills'
import { parseArgs } from 'node:util'
import { runRoom } from './run'
import { workload } from './workload'

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '4' },
    tasks: { type: 'string', default: '15' },
    demo: { type: 'boolean', default: false },
    tabs: { type: 'string', default: '0' },
    profile: { type: 'string' },
    'profile-agents': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '600' },
    'port-base': { type: 'string' },
  },
})
const r = await runRoom({
  label: 'repro',
  agents: workload(Number(values.agents), Number(values.tasks)),
  demo: values.demo ?? false,
  tabs: Number(values.tabs),
  profile: values.profile,
  profileAgents: values['profile-agents'],
  timeoutMs: Number(values.timeout) * 1000,
  portBase: values['port-base'] == null ? undefined : Number(values['port-base']),
  log: (l) => console.error(`${new Date().toISOString().slice(11, 19)} ${l}`),
})
console.log(JSON.stringify(r, null, 2))
process.exit(0)
