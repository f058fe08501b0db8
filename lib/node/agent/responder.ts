/**
 * Wires a policy to an agent: each new latest plan version of an active session it takes part
 * in gets one reply. "Already replied" is read from the replicated state (a message of this
 * agent under that version), so a restarted agent does not answer twice.
 */
import type { SessionId } from '../../core/ids'
import type { Policy, Reply } from './policy'
import type { ChorusAgent } from './sdk'

/** Starts answering plans with `policy`; returns the stop function. */
export function respondWith(agent: ChorusAgent, policy: Policy, hooks: { onReply?: (session: SessionId, version: number, r: Reply) => void; onError?: (err: unknown) => void } = {}): () => void {
  const inFlight = new Set<string>()
  return agent.on('plan', (e) => {
    const key = `${e.session.id}#${e.version}`
    const s = agent.state.sessions.get(e.session.id)
    if (!s || s.status !== 'active' || s.plans.length !== e.version || inFlight.has(key)) return
    if (s.messages.some((m) => m.author === agent.peerId && m.planVersion === e.version)) return
    inFlight.add(key)
    void (async () => {
      try {
        const reply = await policy({ state: agent.state, session: e.session, version: e.version, plan: e.plan, me: agent.peerId })
        const now = agent.state.sessions.get(e.session.id)
        if (!now || now.status !== 'active' || now.plans.length !== e.version) return
        await agent.reply(e.session.id, { type: reply.type, text: reply.text, re: e.event })
        hooks.onReply?.(e.session.id, e.version, reply)
      } catch (err) {
        hooks.onError?.(err)
      } finally {
        inFlight.delete(key)
      }
    })()
  })
}
