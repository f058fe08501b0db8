/**
 * A lab of Linux network namespaces standing in for hosts: one namespace per host with its own
 * address on a bridge that lives in a namespace of its own, so no address is ever added to the
 * machine's own namespace and nothing outside the lab can be reached or reach in. Made and torn
 * down here — also on failure, SIGINT and SIGTERM — and a lab left behind by a crashed run (its
 * owner process gone) is removed before a new one is made.
 *
 * Faults: `partition(hosts)` moves those hosts' bridge ports onto a second bridge (each side
 * still talks within itself, nothing crosses), `heal()` moves them back, `readdress` gives a
 * host a new address. Packets across a partition are dropped silently, as on a real network.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process'

/** Every namespace of every lab starts with this; the owner's pid follows it. */
export const LAB_PREFIX = 'cmr-'
/** The lab's subnet: hosts get 10.231.0.x/24. */
export const SUBNET = '10.231.0'

export interface Host {
  name: string
  /** Namespace name. */
  ns: string
  addr: string
}

/** Runs `ip …`; throws with its stderr on failure. */
export function ip(...args: string[]): string {
  const r = spawnSync('ip', args, { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${(r.stderr || r.stdout || `exit ${r.status}`).trim()}`)
  return r.stdout
}

/** Why this process cannot make namespaces, or null when it can. */
export function cannotMakeNamespaces(): string | null {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root (CAP_NET_ADMIN); run as root, as CI does'
  const probe = `${LAB_PREFIX}${process.pid}-probe`
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' })
  if (add.error) return `the ip command is missing (${add.error.message}); apt-get install iproute2`
  if (add.status !== 0) return `ip netns add failed: ${add.stderr.trim()}`
  spawnSync('ip', ['netns', 'del', probe])
  return null
}

const listNamespaces = (): string[] =>
  ip('netns', 'list')
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(LAB_PREFIX))

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Kills whatever still runs inside `ns`, then deletes it. */
function removeNamespace(ns: string): void {
  const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL')
    } catch {
      // gone already
    }
  }
  spawnSync('ip', ['netns', 'del', ns])
}

/** Removes namespaces of labs whose owner process is gone; returns their names. */
export function removeStaleLabs(): string[] {
  const stale = listNamespaces().filter((ns) => {
    const pid = Number(ns.slice(LAB_PREFIX.length).split('-')[0])
    return Number.isInteger(pid) && pid !== process.pid && !alive(pid)
  })
  for (const ns of stale) removeNamespace(ns)
  return stale
}

/** See the module comment. */
export class Lab {
  readonly hosts = new Map<string, Host>()
  private readonly net: string
  private readonly procs = new Set<ChildProcess>()
  private partitioned: string[] = []
  private torn = false
  private readonly onSignal = (sig: NodeJS.Signals) => {
    this.teardown()
    process.exit(sig === 'SIGINT' ? 130 : 143)
  }
  private readonly onExit = () => this.teardown()

  constructor(readonly id = String(process.pid)) {
    this.net = `${LAB_PREFIX}${id}-net`
    process.once('SIGINT', this.onSignal)
    process.once('SIGTERM', this.onSignal)
    process.once('exit', this.onExit)
    ip('netns', 'add', this.net)
    ip('-n', this.net, 'link', 'add', 'br0', 'type', 'bridge')
    ip('-n', this.net, 'link', 'add', 'br1', 'type', 'bridge')
    ip('-n', this.net, 'link', 'set', 'br0', 'up')
    ip('-n', this.net, 'link', 'set', 'br1', 'up')
  }

  /** Adds a host `name` at 10.231.0.`octet`, linked to the bridge. */
  addHost(name: string, octet: number): Host {
    if (!/^[a-z0-9]{1,10}$/.test(name)) throw new Error(`host name ${name}: lower-case letters and digits, at most 10`)
    const ns = `${LAB_PREFIX}${this.id}-${name}`
    ip('netns', 'add', ns)
    // The pair is made inside the bridge's namespace with one end moved straight into the
    // host's: neither end ever exists in the machine's own namespace.
    ip('-n', this.net, 'link', 'add', `p-${name}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns)
    ip('-n', this.net, 'link', 'set', `p-${name}`, 'master', 'br0')
    ip('-n', this.net, 'link', 'set', `p-${name}`, 'up')
    ip('-n', ns, 'link', 'set', 'lo', 'up')
    ip('-n', ns, 'link', 'set', 'eth0', 'up')
    const addr = `${SUBNET}.${octet}`
    ip('-n', ns, 'addr', 'add', `${addr}/24`, 'dev', 'eth0')
    const host = { name, ns, addr }
    this.hosts.set(name, host)
    return host
  }

  host(name: string): Host {
    const h = this.hosts.get(name)
    if (!h) throw new Error(`no host ${name} in the lab`)
    return h
  }

  /** Cuts `names` off from every other host (they still reach each other). */
  partition(names: string[]): void {
    if (this.partitioned.length > 0) throw new Error('already partitioned; heal first')
    for (const n of names) ip('-n', this.net, 'link', 'set', `p-${this.host(n).name}`, 'master', 'br1')
    this.partitioned = [...names]
  }

  /** Joins the two sides again. */
  heal(): void {
    for (const n of this.partitioned) ip('-n', this.net, 'link', 'set', `p-${n}`, 'master', 'br0')
    this.partitioned = []
  }

  /** Moves `name` to 10.231.0.`octet` (its old address stops answering at once). */
  readdress(name: string, octet: number): Host {
    const h = this.host(name)
    ip('-n', h.ns, 'addr', 'flush', 'dev', 'eth0')
    h.addr = `${SUBNET}.${octet}`
    ip('-n', h.ns, 'addr', 'add', `${h.addr}/24`, 'dev', 'eth0')
    return h
  }

  /** Starts `command args` inside host `name`'s namespace; killed at teardown if still running. */
  spawn(name: string, command: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
    // `ip netns exec` enters the namespace and execs the command: the child's pid is the command's.
    const child = spawn('ip', ['netns', 'exec', this.host(name).ns, command, ...args], { stdio: ['pipe', 'pipe', 'pipe'], ...opts })
    this.procs.add(child)
    child.once('exit', () => this.procs.delete(child))
    return child
  }

  /** Kills every process, deletes every namespace of this lab. Idempotent and synchronous. */
  teardown(): void {
    if (this.torn) return
    this.torn = true
    for (const p of this.procs) p.kill('SIGKILL')
    for (const h of this.hosts.values()) removeNamespace(h.ns)
    removeNamespace(this.net)
    process.off('SIGINT', this.onSignal)
    process.off('SIGTERM', this.onSignal)
    process.off('exit', this.onExit)
  }

  /** Namespaces of this lab that still exist (empty after teardown). */
  leftovers(): string[] {
    return listNamespaces().filter((n) => n.startsWith(`${LAB_PREFIX}${this.id}-`))
  }
}
