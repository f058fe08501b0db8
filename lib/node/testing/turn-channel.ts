/**
 * Two WebRTC peers that may use relayed candidates only (as tabs behind symmetric NAT must)
 * open a data channel through the ICE servers given as JSON in argv[2] and send one message;
 * prints one JSON line — what arrived and how many relay candidates were gathered — after
 * argv[3] ms at most, then exits.
 *
 * Runs as its own process, never inside a test runner's worker: closing a node-datachannel
 * peer connection while its DTLS transport starts can deadlock in native code, which no
 * JavaScript timeout interrupts. The peers are never closed here; the caller kills this
 * process once it has the line, whatever state the native threads are in.
 */
import { RTCPeerConnection } from 'node-datachannel/polyfill'

const iceServers = JSON.parse(process.argv[2] ?? '[]') as RTCIceServer[]
const waitMs = Number(process.argv[3] ?? 10_000)

async function main(): Promise<{ received?: string; relayCandidates: number }> {
  const config = { iceServers, iceTransportPolicy: 'relay' as const }
  const a = new RTCPeerConnection(config)
  const b = new RTCPeerConnection(config)
  let relayCandidates = 0
  const forward = (to: RTCPeerConnection) => (e: RTCPeerConnectionIceEvent) => {
    if (e.candidate == null || e.candidate.candidate === '') return
    if (/ typ relay/.test(e.candidate.candidate)) relayCandidates++
    void to.addIceCandidate(e.candidate)
  }
  a.onicecandidate = forward(b)
  b.onicecandidate = forward(a)
  let received: string | undefined
  b.ondatachannel = (e) => {
    e.channel.onmessage = (m) => (received = String(m.data))
  }
  const channel = a.createDataChannel('chorus')
  channel.onopen = () => channel.send('hello through TURN')
  const offer = await a.createOffer()
  await a.setLocalDescription(offer)
  await b.setRemoteDescription(offer)
  const answer = await b.createAnswer()
  await b.setLocalDescription(answer)
  await a.setRemoteDescription(answer)
  const deadline = Date.now() + waitMs
  while (received == null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25))
  return { received, relayCandidates }
}

main().then(
  (r) => {
    process.stdout.write(`${JSON.stringify(r)}\n`, () => process.exit(0))
  },
  (e: unknown) => {
    process.stdout.write(`${JSON.stringify({ error: String(e), relayCandidates: 0 })}\n`, () => process.exit(1))
  },
)
