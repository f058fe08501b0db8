/**
 * What the relay tells its operator while it runs: connections opening and closing, events
 * it rejected (summed per reason over an interval, so a flood costs a few lines), and the
 * ingest and sync figures the metrics expose as histograms.
 */
import type { Connection } from '@libp2p/interface'
import type { RoomPeer } from '../../net/room-peer'
import type { Logger } from '../log'
import type { RelayNode } from './node'

/** Outcomes of `EventLog.add` that are not rejections. */
const NOT_REJECTED = new Set(['accepted', 'duplicate', 'pending'])

export interface RelayObservation {
  stop(): void
}

export interface ObserveInit {
  node: RelayNode
  peer: RoomPeer
  log: Logger
  /** How often rejections are summed into one line per reason. @default 10 s */
  rejectionIntervalMs?: number
}

/** Starts logging; returns a handle that stops it. */
export function observeRelay(init: ObserveInit): RelayObservation {
  const { node, peer, log } = init
  const onOpen = (e: CustomEvent<Connection>) => {
    const c = e.detail
    log.info('connection_opened', { peer: c.remotePeer.toString(), addr: c.remoteAddr.toString(), direction: c.direction, limited: c.limits != null || undefined })
  }
  const onClose = (e: CustomEvent<Connection>) => {
    const c = e.detail
    log.info('connection_closed', { peer: c.remotePeer.toString(), addr: c.remoteAddr.toString(), openMs: Date.now() - c.timeline.open })
  }
  node.addEventListener('connection:open', onOpen)
  node.addEventListener('connection:close', onClose)

  let lastCounts: Record<string, number> = { ...peer.host.replica.log.stats() }
  let lastFrom = snapshotFrom(peer)
  const timer = setInterval(() => {
    const counts: Record<string, number> = { ...peer.host.replica.log.stats() }
    for (const [reason, n] of Object.entries(counts)) {
      const delta = n - (lastCounts[reason] ?? 0)
      if (delta > 0 && !NOT_REJECTED.has(reason)) log.warn('events_rejected', { reason, count: delta, total: n })
    }
    lastCounts = counts
    const from = snapshotFrom(peer)
    for (const [key, n] of from) {
      const delta = n - (lastFrom.get(key) ?? 0)
      if (delta > 0) {
        const [sender, reason] = key.split('\n')
        log.warn('gossip_rejected', { from: sender, reason, count: delta })
      }
    }
    lastFrom = from
  }, init.rejectionIntervalMs ?? 10_000)
  timer.unref?.()

  return {
    stop() {
      clearInterval(timer)
      node.removeEventListener('connection:open', onOpen)
      node.removeEventListener('connection:close', onClose)
    },
  }
}

function snapshotFrom(peer: RoomPeer): Map<string, number> {
  const out = new Map<string, number>()
  for (const [sender, byReason] of peer.gossip.rejectedFrom) for (const [reason, n] of Object.entries(byReason)) out.set(`${sender}\n${reason}`, n)
  return out
}
