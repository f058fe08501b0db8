/** Build arbitrary signed events for tests of rejection paths (and Byzantine peers). */
import { signEvent } from '../events/codec'
import type { EncodedEvent, UnsignedEvent } from '../events/envelope'
import type { EventKind, PayloadInput } from '../events/kinds'
import type { Signer } from '../events/signer'
import { nextEnvelope } from '../log/author'
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
