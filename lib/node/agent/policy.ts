/**
 * Reply policies for scripted agents (DESIGN §7): how an agent answers each new plan version
 * of its sessions. `agree` agrees; `cautious` raises one concern, then agrees with the next
 * version; `stubborn` raises a concern on every version, so its sessions escalate by message
 * limit; `defer` asks for a human's approval (a question, then a `requested` escalation, which the inbox shows as an approval request) and waits; `llm` lets a chat model choose the
 * reply type and text (falling back to `agree` when the model fails, with the reason).
 */
import type { MessageType } from '../../core/events/kinds/message'
import type { PeerId } from '../../core/ids'
import type { Plan } from '../../core/planner/plan'
import { renderPlan } from '../../core/planner/render'
import type { SessionView } from '../../core/state/selectors'
import type { RoomState } from '../../core/state/types'
import { chat, ChatError, parseJsonObject, type ChatConfig } from '../planner/chat'

export const POLICIES = ['agree', 'cautious', 'stubborn', 'defer', 'llm'] as const
export type PolicyName = (typeof POLICIES)[number]

export interface Reply {
  type: MessageType
  text: string
  /** Set when the policy could not do what it meant to (e.g. the LLM failed). */
  fallbackReason?: string
  /** After replying, ask for a human with this note (a `requested` escalation): the plan waits for a reviewer. */
  escalate?: string
}

export interface PolicyContext {
  state: RoomState
  session: SessionView
  version: number
  plan: Plan
  me: PeerId
}

/** Chooses the reply to a plan version. */
export type Policy = (ctx: PolicyContext) => Promise<Reply>

/** Why a policy cannot be made. */
export class PolicyError extends Error {
  static override name = 'PolicyError'
  constructor(
    readonly reason: 'unknown_policy' | 'no_llm',
    detail: string,
  ) {
    super(detail)
  }
}

const STUBBORN = [
  'I still see a risk: the order of work is wrong for my side.',
  'Concern: this version does not address how we roll back.',
  'I object: the contract is not settled enough to start.',
  'Same concern as before — the handover is under-specified.',
]

const agree: Policy = async ({ version }) => ({ type: 'agreement', text: `Agreed with plan v${version}; proceeding on my side.` })

/** The policy named `name`; `llm` needs a chat config. */
export function makePolicy(name: string, llm?: ChatConfig | null): Policy {
  switch (name) {
    case 'agree':
      return agree
    case 'cautious':
      return async (ctx) =>
        ctx.version === 1 || !ctx.session.messages.some((m) => m.author === ctx.me && m.type === 'concern')
          ? { type: 'concern', text: `Concern on v${ctx.version}: please spell out who publishes each artifact before work starts.` }
          : agree(ctx)
    case 'stubborn':
      return async (ctx) => ({ type: 'concern', text: STUBBORN[(ctx.version - 1) % STUBBORN.length] })
    case 'defer':
      return async (ctx) => ({
        type: 'question',
        text: `This changes production behaviour: can a reviewer approve plan v${ctx.version} before we start?`,
        escalate: `Please approve plan v${ctx.version} before we start: it changes production behaviour.`,
      })
    case 'llm':
      if (!llm) throw new PolicyError('no_llm', 'the llm policy needs CHORUS_LLM_URL (and CHORUS_LLM_MODEL)')
      return llmPolicy(llm)
    default:
      throw new PolicyError('unknown_policy', `unknown policy "${name}" (one of ${POLICIES.join(', ')})`)
  }
}

const REPLY_SYSTEM = `You are a software agent in a coordination session with other agents.
Read the plan and answer with ONE JSON object: {"type": "agreement" | "concern" | "question" | "proposal", "text": string}.
Agree when the plan is workable for your task; raise a concern only for a concrete problem.`

/** A policy that asks the chat model; on failure it agrees and says why. */
export function llmPolicy(config: ChatConfig): Policy {
  return async (ctx) => {
    const mine = [...ctx.state.tasks.values()].filter((t) => ctx.session.tasks.includes(t.task.taskId) && t.claimants.includes(ctx.me))
    const prompt = [
      `Your tasks: ${mine.map((t) => `${t.task.taskId} (${t.task.title})`).join('; ') || '(none)'}`,
      `Plan version ${ctx.version}:\n${renderPlan(ctx.plan)}`,
      `Conversation so far:\n${ctx.session.messages.slice(-10).map((m) => `- ${m.type}: ${m.text}`).join('\n') || '(none)'}`,
    ].join('\n\n')
    try {
      const raw = parseJsonObject(await chat(config, [{ role: 'system', content: REPLY_SYSTEM }, { role: 'user', content: prompt }], { json: true })) as Record<string, unknown>
      const type = raw.type
      const text = typeof raw.text === 'string' ? raw.text.trim().slice(0, 4000) : ''
      if (type !== 'agreement' && type !== 'concern' && type !== 'question' && type !== 'proposal') throw new ChatError('malformed', `reply type ${String(type)}`)
      if (!text) throw new ChatError('malformed', 'empty reply text')
      return { type, text }
    } catch (err) {
      const why = err instanceof ChatError ? `${err.reason}: ${err.message}` : (err as Error).message
      return { ...(await agree(ctx)), fallbackReason: `llm reply failed — ${why}` }
    }
  }
}
