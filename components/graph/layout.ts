'use client'
/**
 * Lays out graphs with ELK in a Web Worker so the page never blocks; if the worker cannot
 * start, falls back to ELK on the main thread (asynchronously, still correct, less smooth).
 */
import type { ElkNode } from 'elkjs/lib/elk-api'

type Pending = { resolve(g: ElkNode): void; reject(e: Error): void }

/** A layout engine owned by one component; `dispose` terminates its worker. */
export function createLayoutEngine() {
  let worker: Worker | null = null
  let broken = false
  let seq = 0
  const pending = new Map<number, Pending>()
  const fallback = async (graph: ElkNode): Promise<ElkNode> => {
    const { default: ELK } = await import('elkjs/lib/elk.bundled.js')
    return new ELK().layout(graph)
  }
  const start = () => {
    try {
      worker = new Worker(new URL('./elk.worker.ts', import.meta.url), { type: 'module' })
      worker.onmessage = (e: MessageEvent<{ id: number; graph?: ElkNode; error?: string }>) => {
        const p = pending.get(e.data.id)
        pending.delete(e.data.id)
        if (e.data.graph) p?.resolve(e.data.graph)
        else p?.reject(new Error(e.data.error ?? 'layout failed'))
      }
      worker.onerror = () => {
        broken = true
        worker?.terminate()
        worker = null
        for (const p of pending.values()) p.reject(new Error('worker failed'))
        pending.clear()
      }
    } catch {
      broken = true
    }
  }
  let mode: 'worker' | 'main' | 'idle' = 'idle'
  return {
    /** Where the last layout ran: a Web Worker, or the main-thread fallback. */
    get mode() {
      return mode
    },
    async layout(graph: ElkNode): Promise<ElkNode> {
      if (!broken && worker == null) start()
      if (broken || worker == null) return (mode = 'main'), fallback(graph)
      const id = ++seq
      try {
        const out = await new Promise<ElkNode>((resolve, reject) => {
          pending.set(id, { resolve, reject })
          worker!.postMessage({ id, graph })
        })
        mode = 'worker'
        return out
      } catch {
        mode = 'main'
        return fallback(graph)
      }
    },
    dispose() {
      worker?.terminate()
      worker = null
      pending.clear()
    },
  }
}
