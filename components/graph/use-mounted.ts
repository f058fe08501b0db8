'use client'
import { useEffect, useState } from 'react'
import { nextMounted } from './culling'

/** The ids mounted so far on the way to `target`: at most `chunk` more per animation frame. */
export function useMounted(target: readonly string[], chunk: number): ReadonlySet<string> {
  const [mounted, setMounted] = useState<ReadonlySet<string>>(() => new Set())
  useEffect(() => {
    const next = nextMounted(mounted, target, chunk)
    if (next === mounted) return
    const frame = requestAnimationFrame(() => setMounted(next))
    return () => cancelAnimationFrame(frame)
  }, [target, mounted, chunk])
  return mounted
}
