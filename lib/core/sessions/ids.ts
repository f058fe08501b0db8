/**
 * Deterministic session ids (DESIGN §2): a hash of type + sorted task ids + rule, so two peers
 * that detect the same dependency open the same session.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { encodeCanonical } from '../events/codec'
import type { SessionType } from '../events/kinds/session'
import type { SessionId } from '../ids'

/** Sorted, distinct task ids: the canonical task list of a session. */
export const canonicalTasks = (tasks: readonly string[]): string[] => [...new Set(tasks)].sort()

/** The session id for a type, its tasks (any order) and its rule. */
export function sessionIdOf(type: SessionType, tasks: readonly string[], rule: string): SessionId {
  const digest = sha256(encodeCanonical(['chorus-mesh/session/1', type, canonicalTasks(tasks), rule]))
  return `ses_${bytesToHex(digest.subarray(0, 16))}` as SessionId
}
