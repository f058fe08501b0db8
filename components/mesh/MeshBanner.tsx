'use client'
/** Mesh-wide notices under the navigation: a partition, a heal, a guest tab, a failed start. */
import Link from 'next/link'
import { useMesh } from './use-mesh'

export function MeshBanner() {
  const partition = useMesh((s) => s.partition)
  const membership = useMesh((s) => s.membership)
  const status = useMesh((s) => s.status)
  const error = useMesh((s) => s.error)
  if (status === 'error') {
    return <Notice tone="red" testId="banner-error">This tab could not join the mesh: {error}. It retries by itself.</Notice>
  }
  if (partition?.kind === 'partitioned') {
    return (
      <Notice tone="amber" testId="banner-partition">
        Partition suspected: {partition.silent} of {partition.known} members went silent at once. This tab keeps working;
        anti-entropy will reconcile when they are back.
      </Notice>
    )
  }
  if (partition?.kind === 'healed') {
    return (
      <Notice tone="green" testId="banner-healed">
        Reconnected. Anti-entropy brought in {partition.broughtIn} event{partition.broughtIn === 1 ? '' : 's'} from the other side.
      </Notice>
    )
  }
  if (membership?.status === 'guest') {
    return (
      <Notice tone="grey" testId="banner-guest">
        You are watching as a guest: {membership.reason}. Open an invite link (<Link className="underline" href="/join">/join</Link>) to take part.
      </Notice>
    )
  }
  return null
}

const tones = {
  red: 'border-rose-300 bg-rose-50 text-rose-900 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100',
  amber: 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100',
  green: 'border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100',
  grey: 'border-zinc-200 bg-zinc-50 text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300',
}

function Notice({ tone, testId, children }: { tone: keyof typeof tones; testId: string; children: React.ReactNode }) {
  return (
    <div role="status" data-testid={testId} className={`border-b px-4 py-2 text-sm ${tones[tone]}`}>
      <div className="mx-auto max-w-6xl">{children}</div>
    </div>
  )
}
