'use client'
/**
 * Lays out the filtered graph whenever what the layout reads changes (its tasks, their
 * repositories, the order between repositories), off the main thread: debounced, and at most
 * one layout in flight — changes that arrive meanwhile collapse into one follow-up layout. A
 * change the layout does not read (a task's status, a session's state, an edge's label) keeps
 * the layout on screen: a busy room changes the graph several times a second, and each new
 * layout re-adopts and refits every card.
 */
import { useEffect, useRef, useState } from 'react'
import { fromElk, toElk, type Layout } from './elk-graph'
import type { ElkNode } from 'elkjs/lib/elk-api'
import type { Graph } from './graph-model'
import { createLayoutEngine } from './layout'

/** The latest layout for `graph` (null until the first one arrives) and whether one is running. */
export function useLayout(graph: Graph | undefined): { layout: Layout | null; running: boolean; error: string | null; mode: string } {
  const engine = useRef<ReturnType<typeof createLayoutEngine> | null>(null)
  const next = useRef<ElkNode | null>(null)
  /** The ELK input last laid out or on its way, as text: the same input gives the same layout. */
  const wanted = useRef<string | null>(null)
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
        const laid = fromElk(await engine.current.layout(g))
        if (alive.current) (setLayout(laid), setError(null), setMode(engine.current?.mode ?? 'idle'))
      } catch (e) {
        // The next change lays out again, even to the same input.
        wanted.current = null
        if (alive.current) setError(String(e))
      } finally {
        busy.current = false
        if (alive.current) setRunning(next.current != null)
        void kick()
      }
    }
    const input = toElk(graph)
    const key = JSON.stringify(input)
    if (key === wanted.current) return
    const t = setTimeout(() => {
      wanted.current = key
      next.current = input
      void kick()
    }, 150)
    return () => clearTimeout(t)
  }, [graph])
  return { layout, running, error, mode }
}
