'use client'
/** Lays out the filtered graph whenever it changes (debounced), off the main thread. */
import { useEffect, useRef, useState } from 'react'
import { fromElk, toElk, type Layout } from './elk-graph'
import type { Graph } from './graph-model'
import { createLayoutEngine } from './layout'

/** The latest layout for `graph` (null until the first one arrives) and whether one is running. */
export function useLayout(graph: Graph | undefined): { layout: Layout | null; running: boolean; error: string | null } {
  const engine = useRef<ReturnType<typeof createLayoutEngine> | null>(null)
  const [layout, setLayout] = useState<Layout | null>(null)
  const [running, setRunning] = useState(false)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    engine.current = createLayoutEngine()
    return () => engine.current?.dispose()
  }, [])
  useEffect(() => {
    if (graph == null) return
    let stale = false
    const t = setTimeout(() => {
      setRunning(true)
      engine.current
        ?.layout(toElk(graph))
        .then((g) => !stale && (setLayout(fromElk(g)), setError(null)))
        .catch((e: unknown) => !stale && setError(String(e)))
        .finally(() => !stale && setRunning(false))
    }, 150)
    return () => {
      stale = true
      clearTimeout(t)
    }
  }, [graph])
  return { layout, running, error }
}
