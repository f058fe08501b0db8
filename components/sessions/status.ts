/** Colours for session states, shared by the list, the timeline and the graph. */
import type { SessionStatus } from '@/lib/core/state/types'
import type { Tone } from '@/components/ui/Badge'

/** Badge tone per session state. */
export const STATUS_TONE: Record<SessionStatus, Tone> = { active: 'blue', escalated: 'amber', resolved: 'green', closed: 'grey' }
