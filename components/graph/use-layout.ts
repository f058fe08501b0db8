'use client'
/**
 * Lays out the filtered graph whenever it changes, off the main thread: debounced, and at most
 * one layout in flight — changes that arrive meanwhile collapse into one follow-up layout.
 */
import { useEffect, useRef, useState } from 'react'
import { fromElk, toElk, type Layout } from './elk-graph'
import type { Graph } from './graph-model'
import { createLayoutEngine } from './layout'

/** The latest layout for `graph` (null until the first one arrives) and whether one is running. */
export function useLayout(graph: Graph | undefined): { layout: Layout | null; running: boolean; error: string | null; mode: string } {
  const engine = useRef<ReturnType<typeof createLayoutEngine> | null>(null)
  const next = useRef<Graph | null>(null)
  const busy = useRef(false)
  const alive = useRef(true)
  const [layout, setLayout] = useState<Layout | null>(null)
  const [running, setRunning] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [mode, setMode] = useState('idle')

  useEffect(() => {
    alive.current = true
    engine.current = createLayoutEngine()
    return () => {
      alive.current = false
      engine.current?.dispose()
    }
  }, [])

  useEffect(() => {
    if (graph == null) return
    const kick = async () => {
      if (busy.current || next.current == null || engine.current == null) return
      const g = next.current
      next.current = null
      busy.current = true
      setRunning(true)
      try {
        const laid = fromElk(await engine.current.layout(toElk(g)))
        if (alive.current) (setLayout(laid), setError(null), setMode(engine.current?.mode ?? 'idle'))
      } catch (e) {
        if (alive.current) setError(String(e))
      } finally {
        busy.current = false
        if (alive.current) setRunning(next.current != null)
        void kick()
      }
    }
    const t = setTimeout(() => {
      next.current = graph
      void kick()
    }, 150)
    return () => clearTimeout(t)
  }, [graph])
  return { layout, running, error, mode }
}
