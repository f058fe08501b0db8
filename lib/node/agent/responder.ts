/**
 * Wires a policy to an agent: each new latest plan version of an active session it takes part
 * in gets one reply. "Already replied" is read from the replicated state (a message of this
 * agent under that version), so a restarted agent does not answer twice. When a conflict
 * session resolves, the claimants the plan does not keep the task with step back (release
 * it); the keeper is the rendezvous winner the template planner names (ADR 0015).
 */
import type { SessionId } from '../../core/ids'
import { rankClaimants } from '../../core/planner/conflict'
import type { Policy, Reply } from './policy'
import type { ChorusAgent } from './sdk'

/** Starts answering plans with `policy`; returns the stop function. */
export function respondWith(agent: ChorusAgent, policy: Policy, hooks: { onReply?: (session: SessionId, version: number, r: Reply) => void; onError?: (err: unknown) => void } = {}): () => void {
  const inFlight = new Set<string>()
  const offSession = agent.on('session', (e) => {
    // A path conflict (two tasks) is a lease: the waiting task waits, it is not given up.
    if (e.status !== 'resolved' || e.session.type !== 'conflict' || e.session.tasks.length !== 1) return
    const taskId = e.session.tasks[0]
    const t = agent.state.tasks.get(taskId)
    const keeper = rankClaimants(taskId, e.session.participants)[0]
    if (keeper === agent.peerId || t?.status !== 'claimed' || !t.claimants.includes(agent.peerId)) return
    const name = agent.state.members.get(keeper as never)?.displayName ?? keeper
    agent.release(taskId, `stepping back: the conflict plan keeps ${taskId} with ${name}`).catch((err) => hooks.onError?.(err))
  })
  const offPlan = agent.on('plan', (e) => {
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
        // One request for a human per plan version is enough: another participant may have asked.
        if (reply.escalate && agent.state.sessions.get(e.session.id)?.status === 'active') await agent.escalate(e.session.id, reply.escalate)
      } catch (err) {
        hooks.onError?.(err)
      } finally {
        inFlight.delete(key)
      }
    })()
  })
  return () => {
    offSession()
    offPlan()
  }
}
