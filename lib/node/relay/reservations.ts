/**
 * Who may hold a circuit-relay reservation: members always (up to the server's own cap), and
 * guests — tabs that have not joined yet, or never will — only up to a bound, so strangers
 * cannot take every slot a room's members need to reach each other.
 */
import type { ConnectionGater, PeerId } from '@libp2p/interface'
import type { RelayNode } from './node'

export interface ReservationGateInit {
  isMember: (peerId: string) => boolean
  maxGuests: number
}

export interface ReservationGate {
  gater: Pick<ConnectionGater, 'denyInboundRelayReservation'>
  /** Connects the gate to the node whose reservations it counts. */
  attach(node: RelayNode): void
  /** Reservations refused to guests since start. */
  readonly denied: number
  /** Reservations currently held by guests. */
  guests(): number
}

/** Creates the gate; `attach` it once the node exists. */
export function reservationGate(init: ReservationGateInit): ReservationGate {
  let node: RelayNode | undefined
  let denied = 0
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
  }
}
