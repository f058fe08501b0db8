/** The bench pages' events: length-prefixed event bytes served by the harness, the genesis first. */
import { decodeEvent } from '../../lib/core/events/codec'
import type { RoomId } from '../../lib/core/ids'

/** Fetches `path` (with the page's query) and splits it into events; the room is the genesis' id. */
export async function loadEvents(path = '/events.bin'): Promise<{ room: RoomId; events: Uint8Array[] }> {
  const buf = new Uint8Array(await (await fetch(`${path}${location.search}`)).arrayBuffer())
  const events: Uint8Array[] = []
  for (let at = 0; at < buf.length; ) {
    const len = new DataView(buf.buffer, at, 4).getUint32(0)
    events.push(buf.slice(at + 4, at + 4 + len))
    at += 4 + len
  }
  const first = decodeEvent(events[0])
  if (!first.ok) throw new Error('bad genesis')
  return { room: first.value.id, events }
}
