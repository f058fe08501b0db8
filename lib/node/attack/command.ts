/**
 * `chorus-mesh attack`: a Byzantine member for demos on loopback. It joins the
 * relay's room with an agent invite, runs the chosen attacks in turn and prints what it sent;
 * open `/peers` in a tab to watch the mesh refuse it.
 */
import { fetchRoomInfo } from '../../net/room-info'
import { startMeshAgent } from '../agent/mesh-agent'
import { ATTACKS, ByzantinePeer, type AttackName } from './byzantine'

export interface AttackOptions {
  relay: string
  invite?: string
  data: string
  name: string
  attacks: string[]
  rate: number
  durationMs: number
}

/**
 * Waits until the relay's event count has not moved for 2 s (at most 20 s), so the last
 * messages are out of this process before its node goes away: on a busy machine gossip can
 * take a while to flush, and what never left cannot show up as evidence anywhere.
 */
async function settled(relay: string): Promise<void> {
  const deadline = Date.now() + 20_000
  let last = -1
  let stableSince = Date.now()
  while (Date.now() < deadline) {
    const events = await fetchRoomInfo(relay, 2000).then((i) => i.events).catch(() => -1)
    if (events !== last) {
      last = events
      stableSince = Date.now()
    } else if (Date.now() - stableSince >= 2000) {
      return
    }
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** Runs the attacks; resolves to the exit code (2 for bad input, 1 when the room refuses us). */
export async function attackCommand(o: AttackOptions, io = { out: (s: string) => console.log(s), err: (s: string) => console.error(s) }): Promise<number> {
  const unknown = o.attacks.filter((a) => a !== 'all' && !(ATTACKS as readonly string[]).includes(a))
  if (unknown.length > 0) {
    io.err(`unknown attack ${unknown.join(', ')}; choose from: all, ${ATTACKS.join(', ')}`)
    return 2
  }
  if (!(o.rate > 0 && o.rate <= 5000) || !(o.durationMs > 0 && o.durationMs <= 60_000)) {
    io.err('--rate must be in (0, 5000] events/s and --duration in (0, 60000] ms: floods stay bounded')
    return 2
  }
  const chosen = (o.attacks.includes('all') ? [...ATTACKS] : o.attacks) as AttackName[]
  const agent = await startMeshAgent({ name: o.name, relayUrl: o.relay, dataDir: o.data, invite: o.invite })
  try {
    const joined = await agent.join()
    if (joined.status !== 'member') {
      io.err(`cannot attack from outside: ${joined.reason} (pass --invite)`)
      return 1
    }
    const byz = new ByzantinePeer(agent)
    for (const attack of chosen) {
      const r = await byz.run(attack, { rate: o.rate, durationMs: o.durationMs })
      io.out(JSON.stringify({ attack: r.attack, sent: r.sent, mustBeRefused: r.forbidden }))
    }
    await settled(o.relay)
    return 0
  } finally {
    await agent.stop()
  }
}
