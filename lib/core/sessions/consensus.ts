/**
 * Consensus (DESIGN §2, CHORUS's rule improved): distinct participants (one vote each, their
 * latest stance counts) agreeing with the latest plan version ≥ participants − 1, with no
 * open concern under that version.
 */
import type { PeerId } from '../ids'
import type { SessionState } from '../state/types'

export interface ConsensusView {
  reached: boolean
  /** Participants whose latest stance on the latest plan is agreement. */
  agreeing: PeerId[]
  /** Anyone whose latest stance on the latest plan is a concern. */
  concerns: PeerId[]
  required: number
  /** agreeing / participants. */
  strength: number
}

/** Agreements needed among `n` participants. */
export const requiredAgreements = (n: number): number => Math.max(1, n - 1)

/** The consensus view of a session on its latest plan version. */
export function consensusOf(session: SessionState): ConsensusView {
  const latest = session.plans.length
  const stance = new Map<PeerId, 'agreement' | 'concern'>()
  if (latest > 0) {
    for (const m of session.messages) {
      if (m.planVersion !== latest) continue
      if (m.type === 'agreement' || m.type === 'concern') stance.set(m.author, m.type)
    }
  }
  const participants = new Set(session.participants)
  const agreeing = [...stance].filter(([p, s]) => s === 'agreement' && participants.has(p)).map(([p]) => p).sort()
  const concerns = [...stance].filter(([, s]) => s === 'concern').map(([p]) => p).sort()
  const required = requiredAgreements(session.participants.length)
  const n = Math.max(1, session.participants.length)
  return { reached: latest > 0 && agreeing.length >= required && concerns.length === 0, agreeing, concerns, required, strength: agreeing.length / n }
}
