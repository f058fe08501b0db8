/**
 * Shaping a session's timeline for reading: entries grouped into rounds (a plan version and
 * what followed it), long runs of rounds that repeat one pattern collapsed into one line
 * ("4 more rounds: agreement, concern → revision"), and a consensus summary that always
 * agrees with the session's status.
 */
import type { SessionView } from '@/lib/core/state/selectors'
import type { TimelineEntry } from '@/lib/core/state/timeline'

/** One row of the timeline, or a collapsed run of rounds. */
export type TimelineRow =
  | { kind: 'entry'; entry: TimelineEntry; /** A message whose author differs from the row above. */ showAuthor: boolean }
  | { kind: 'collapsed'; id: string; rounds: number; pattern: string; entries: TimelineEntry[] }

/** Rounds: the entries before the first plan, then one group per plan version. */
export function roundsOf(entries: readonly TimelineEntry[]): TimelineEntry[][] {
  const rounds: TimelineEntry[][] = [[]]
  for (const e of entries) {
    if (e.type === 'plan') rounds.push([e])
    else rounds[rounds.length - 1].push(e)
  }
  return rounds[0].length === 0 ? rounds.slice(1) : rounds
}

/** "agreement, concern → revision": the message types of a round, then what came next. */
export function patternOf(round: readonly TimelineEntry[]): string {
  const types: string[] = []
  for (const e of round) if (e.type === 'message' && types[types.length - 1] !== e.message.type) types.push(e.message.type)
  return `${types.join(', ') || 'no reply'} → revision`
}

const plain = (round: readonly TimelineEntry[]) => round[0]?.type === 'plan' && round.every((e) => e.type === 'plan' || e.type === 'message')

/**
 * The rows to show. Unless `expanded` names it, a run of at least `min` plain rounds (a plan
 * and messages only) between the first round and the last two is collapsed.
 */
export function timelineRows(entries: readonly TimelineEntry[], expanded: ReadonlySet<string> = new Set(), min = 2): TimelineRow[] {
  const rounds = roundsOf(entries)
  const rows: TimelineRow[] = []
  let lastAuthor: string | null = null
  const emit = (round: readonly TimelineEntry[]) => {
    for (const e of round) {
      const author = e.type === 'message' ? e.message.author : null
      rows.push({ kind: 'entry', entry: e, showAuthor: author != null && author !== lastAuthor })
      lastAuthor = author
    }
  }
  const first = rounds[0]?.[0]?.type === 'plan' ? 0 : 1
  let i = 0
  while (i < rounds.length) {
    let j = i
    if (i > first) while (j < rounds.length - 2 && plain(rounds[j]) && patternOf(rounds[j]) === patternOf(rounds[i])) j++
    const id = `rounds-${rounds[i][0]?.event}`
    if (j - i >= min && !expanded.has(id)) {
      rows.push({ kind: 'collapsed', id, rounds: j - i, pattern: patternOf(rounds[i]), entries: rounds.slice(i, j).flat() })
      lastAuthor = null
      i = j
      continue
    }
    // An expanded run shows every round it held.
    for (const end = Math.max(j, i + 1); i < end; i++) emit(rounds[i])
  }
  return rows
}

const REASON = { message_limit: 'the message limit', duration: 'the time limit', requested: 'a participant’s request' } as const

/** What the consensus panel says, consistent with the status: a headline and optional details. */
export function consensusSummary(x: SessionView, name: (peer: string) => string): { headline: string; detail?: string; tone: 'green' | 'amber' | 'grey' | 'blue' } {
  const v = x.plans.length
  const votes = `${x.agreed.length} of ${x.participants.length} participant${x.participants.length === 1 ? '' : 's'} agreed with v${v}`
  const r = x.resolution
  if (r?.reason === 'consensus') return { headline: `Reached by consensus: ${votes}`, tone: 'green' }
  if (r?.reason === 'approved') return { headline: `Approved by reviewers (plan v${v})`, detail: x.agreed.length ? `Agents: ${votes}` : undefined, tone: 'green' }
  if (r?.reason === 'human_decision') return { headline: `Decided by a reviewer: “${r.decision ?? ''}”`, tone: 'green' }
  if (x.status === 'closed') return { headline: `Closed (${x.closeReason ?? 'closed'}) without a resolution`, tone: 'grey' }
  if (v === 0) return { headline: 'No plan yet', tone: 'grey' }
  const concerns = x.consensus.concerns.length ? `open concern${x.consensus.concerns.length === 1 ? '' : 's'} on v${v} from ${x.consensus.concerns.map(name).join(', ')}` : undefined
  if (x.status === 'escalated') {
    return { headline: `Not reached: escalated by ${x.escalation ? REASON[x.escalation.reason] : 'a request'}`, detail: [`${x.agreed.length} of ${x.consensus.required} needed agree with v${v}`, concerns].filter(Boolean).join('; '), tone: 'amber' }
  }
  if (concerns) return { headline: `Not reached: ${concerns}`, detail: `${x.agreed.length} of ${x.consensus.required} needed agree with v${v}`, tone: 'amber' }
  return { headline: `${x.agreed.length} of ${x.consensus.required} needed agree with v${v}`, detail: 'Waiting for the other participants.', tone: 'blue' }
}
