/**
 * Who may hold a circuit-relay reservation: members always (up to the server's own cap), and
 * guests — tabs that have not joined yet, or never will — only up to a bound, so strangers
 * cannot take every slot a room's members need to reach each other. A key the room has taken
 * back (revoked, or quarantined for equivocating) holds none at all: not as a guest, and not
 * the one it held when it was taken back.
 */
import type { ConnectionGater, PeerId } from '@libp2p/interface'
import type { RelayNode } from './node'

export interface ReservationGateInit {
  isMember: (peerId: string) => boolean
  /** A key the room has taken back: refused even a guest's reservation. */
  isBarred: (peerId: string) => boolean
  maxGuests: number
  /** How long after a change in the room the held reservations are checked again, ms. @default 1000 */
  sweepDelayMs?: number
}

export interface ReservationGate {
  gater: Pick<ConnectionGater, 'denyInboundRelayReservation'>
  /** Connects the gate to the node whose reservations it counts. */
  attach(node: RelayNode): void
  /** Reservations refused to guests since start. */
  readonly denied: number
  /** Reservations currently held by guests. */
  guests(): number
  /** The room changed: within `sweepDelayMs`, drop the reservations barred keys still hold. */
  kick(): void
  /** Drops the reservations barred keys hold now; returns how many. */
  sweep(): number
}

/** Creates the gate; `attach` it once the node exists. */
export function reservationGate(init: ReservationGateInit): ReservationGate {
  let node: RelayNode | undefined
  let denied = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const sweep = () => {
    if (node == null) return 0
    const reservations = node.services.relay.reservations
    const barred = [...reservations.keys()].filter((p) => init.isBarred(p.toString()))
    for (const p of barred) reservations.delete(p)
    return barred.length
  }
  const guestsExcept = (id?: string) => {
    if (node == null) return 0
    let n = 0
    for (const p of node.services.relay.reservations.keys()) {
      const s = p.toString()
      if (s !== id && !init.isMember(s)) n++
    }
    return n
  }
  return {
    gater: {
      denyInboundRelayReservation(source: PeerId) {
        const id = source.toString()
        if (init.isBarred(id)) {
          denied++
          return true
        }
        if (init.isMember(id) || guestsExcept(id) < init.maxGuests) return false
        denied++
        return true
      },
    },
    attach(n) {
      node = n
    },
    get denied() {
      return denied
    },
    guests: () => guestsExcept(),
    kick() {
      if (timer != null) return
      // Batched: a hub stores events many times a second, and a revocation can wait a second.
      timer = setTimeout(() => {
        timer = undefined
        sweep()
      }, init.sweepDelayMs ?? 1000)
      timer.unref?.()
    },
    sweep,
  }
}
