/**
 * `chorus-mesh demo`: runs the demo agents against the relay at `--relay`; when none answers
 * there, starts one in this process (an open room under `--data`) and plays against it.
 */
import { fetchRoomInfo } from '../../net/room-info'
import { logger } from '../agent/command'
import { defaults } from '../config'
import { startRelay, type Relay } from '../relay'
import { startDemo } from './run'

export interface DemoCommandOptions {
  relay: string
  invite?: string
  data: string
  json: boolean
}

/** Runs the demo until `stopped` resolves. */
export async function runDemoCommand(o: DemoCommandOptions, stopped: Promise<void>): Promise<void> {
  const log = logger(o.json)
  let relay: Relay | null = null
  let relayUrl = o.relay
  let invite = o.invite
  const reachable = await fetchRoomInfo(o.relay, 2000).then(
    () => true,
    () => false,
  )
  if (!reachable) {
    const url = new URL(o.relay)
    relay = await startRelay({
      dataDir: o.data,
      host: url.hostname,
      port: defaults.relayPort,
      httpPort: Number(url.port) || defaults.httpPort,
      presenceIntervalMs: defaults.presenceIntervalMs,
      open: true,
      roomName: 'Chorus demo',
    })
    relayUrl = relay.httpUrl
    invite = await relay.invite({ role: 'agent', maxUses: 20 })
    log('relay', { started: relayUrl, room: relay.info().room, reviewer: await relay.invite({ role: 'reviewer', maxUses: 25 }) })
  }
  const demo = await startDemo({ relayUrl, invite, dataDir: o.data, log })
  log('demo', { agents: demo.agents.size, relay: relayUrl })
  await demo.started
  await stopped
  await demo.stop()
  await relay?.stop()
}
