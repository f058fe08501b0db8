/** Build arbitrary signed events for tests of rejection paths (and Byzantine peers). */
import { signEvent } from '../events/codec'
import type { EncodedEvent, UnsignedEvent } from '../events/envelope'
import type { EventKind, PayloadInput } from '../events/kinds'
import type { Signer } from '../events/signer'
import { nextEnvelope } from '../log/author'
import type { EventId } from '../ids'
import type { EventLog } from '../log/log'

/** The envelope `signer` would author next in `log`, with `override` applied, signed. */
export async function forge<K extends EventKind>(
  log: EventLog,
  signer: Signer,
  kind: K,
  payload: PayloadInput<K>,
  now: number,
  override: Partial<UnsignedEvent> = {},
): Promise<EncodedEvent> {
  const env = { ...nextEnvelope(log, signer, kind, payload, now), ...override } as UnsignedEvent<K>
  return signEvent(env, signer)
}

/**
 * What `signer` would author next, but citing only `deps` (other authors' events it chooses to
 * have seen), with the lowest Lamport clock admission allows and the given time: how a member
 * pretends not to have seen something.
 */
export async function forgeStale<K extends EventKind>(log: EventLog, signer: Signer, kind: K, payload: PayloadInput<K>, deps: readonly EventId[], time: number): Promise<EncodedEvent> {
  const env = nextEnvelope(log, signer, kind, payload, time)
  const refs = [log.room, ...(env.prev ? [env.prev] : []), ...deps]
  const lamport = Math.max(...refs.map((id) => log.get(id)?.event.lamport ?? 0)) + 1
  return signEvent({ ...env, deps: [...new Set(deps)].sort(), lamport, time } as UnsignedEvent<K>, signer)
}
