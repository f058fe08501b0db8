/**
 * Partition detection from presence (DESIGN §3): a partition is shown when most known members
 * go silent at once, not when one peer drops. Pure: the caller passes the current statuses.
 */
import type { PresenceStatus } from './tracker'

export interface PartitionView {
  partitioned: boolean
  /** Peers counted (known and not left). */
  known: number
  silent: number
}

/** At least `minSilent` peers, and more than half of those known, are suspect or dead. */
export function detectPartition(statuses: readonly PresenceStatus[], minSilent = 2): PartitionView {
  const counted = statuses.filter((s) => s !== 'left')
  const silent = counted.filter((s) => s === 'suspect' || s === 'dead').length
  return { partitioned: silent >= minSilent && silent * 2 > counted.length, known: counted.length, silent }
}
