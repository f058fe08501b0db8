/**
 * ICE servers the relay hands to tabs with the room info (`CHORUS_ICE_SERVERS`): STUN lets a
 * tab learn its public address, TURN relays media-less data channels for tabs whose networks
 * block direct paths (symmetric NAT, strict firewalls). Written as `RTCPeerConnection` takes
 * them, so what the operator writes is what the browser gets.
 */
import { z } from 'zod'
import { iceServerSchema, type IceServer } from '../../net/room-info'

const URL_SCHEME = /^(stun|stuns|turn|turns):/

/**
 * Parses `CHORUS_ICE_SERVERS`: a JSON array of `{urls, username?, credential?}`, or a
 * comma-separated list of `stun:`/`turn:` URLs without credentials. Throws with the reason.
 */
export function parseIceServers(text: string | undefined): IceServer[] {
  if (text == null || text.trim() === '') return []
  const trimmed = text.trim()
  let raw: unknown
  if (trimmed.startsWith('[')) {
    try {
      raw = JSON.parse(trimmed)
    } catch (err) {
      throw new Error(`CHORUS_ICE_SERVERS is not valid JSON: ${(err as Error).message}`)
    }
  } else {
    raw = trimmed.split(',').map((u) => ({ urls: u.trim() }))
  }
  const parsed = z.array(iceServerSchema).safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`CHORUS_ICE_SERVERS[${issue.path.join('.')}]: ${issue.message}`)
  }
  for (const [i, s] of parsed.data.entries()) {
    const urls = Array.isArray(s.urls) ? s.urls : [s.urls]
    for (const u of urls) {
      if (!URL_SCHEME.test(u)) throw new Error(`CHORUS_ICE_SERVERS[${i}]: ${u} is not a stun:, stuns:, turn: or turns: URL`)
      if (/^turns?:/.test(u) && (s.username == null || s.credential == null)) {
        throw new Error(`CHORUS_ICE_SERVERS[${i}]: ${u} is a TURN server; it needs a username and a credential`)
      }
    }
  }
  return parsed.data
}

/** The list with credentials masked, for `chorus-mesh config` and logs. */
export function redactIceServers(servers: IceServer[]): IceServer[] {
  return servers.map((s) => ({ ...s, ...(s.credential != null ? { credential: '[redacted]' } : {}) }))
}
