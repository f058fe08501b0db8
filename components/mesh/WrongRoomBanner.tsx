'use client'
/**
 * The loud notice for a relay that serves another room than this tab's: an operator restarted
 * it with an empty data directory and no `--join`, or pointed it at the wrong room. The tab
 * has stopped using it, but fewer relays carry the room than its operators think, so the
 * banner names the relay and both room ids (what an operator needs to find it) and stays
 * until the tab reloads.
 */
import { useMesh } from './use-mesh'

export function WrongRoomBanner() {
  const wrong = useMesh((s) => s.wrongRooms)
  if (wrong.length === 0) return null
  return (
    <div
      role="alert"
      data-testid="banner-wrong-room"
      className="border-b border-rose-300 bg-rose-50 px-4 py-2 text-sm text-rose-900 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100"
    >
      <div className="mx-auto max-w-6xl space-y-1">
        {wrong.map((w) => (
          <p key={w.relay} data-testid="wrong-room" data-relay={w.relay} data-room={w.room} data-ours={w.ours}>
            <strong>Relay serving another room.</strong> Relay <code className="break-all">{w.relay}</code>
            {w.via ? <> at <code className="break-all">{w.via}</code></> : null} serves room{' '}
            <code className="break-all" data-testid="wrong-room-theirs">{w.room}</code>, but this tab&apos;s room is{' '}
            <code className="break-all" data-testid="wrong-room-ours">{w.ours}</code>. This tab does not use it. Was it restarted
            with an empty data directory and no <code>--join</code>?
          </p>
        ))}
      </div>
    </div>
  )
}
