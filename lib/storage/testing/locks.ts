/**
 * A Web Locks manager for tests in Node, which has no `navigator.locks`: exclusive locks granted
 * in request order, released when the callback's promise settles, a queued request dropped
 * when its signal aborts — the part of the spec `idb-share.ts` uses.
 */
import type { WriterLocks } from '../idb-share'

interface Request {
  callback: (lock: unknown) => Promise<void> | void
  resolve: (v: unknown) => void
  reject: (e: unknown) => void
}

/** See the module comment. */
export class TestLocks implements WriterLocks {
  readonly #held = new Set<string>()
  readonly #queues = new Map<string, Request[]>()

  request(name: string, options: { signal?: AbortSignal }, callback: (lock: unknown) => Promise<void> | void): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const req: Request = { callback, resolve, reject }
      const signal = options.signal
      if (signal?.aborted) return reject(new DOMException('aborted', 'AbortError'))
      signal?.addEventListener('abort', () => {
        const q = this.#queues.get(name) ?? []
        const at = q.indexOf(req)
        if (at < 0) return
        q.splice(at, 1)
        reject(new DOMException('aborted', 'AbortError'))
      })
      this.#queues.set(name, [...(this.#queues.get(name) ?? []), req])
      this.#grant(name)
    })
  }

  /** Whether `name` is held. */
  held(name: string): boolean {
    return this.#held.has(name)
  }

  #grant(name: string): void {
    if (this.#held.has(name)) return
    const req = this.#queues.get(name)?.shift()
    if (req === undefined) return
    this.#held.add(name)
    // Granted in a task of its own, as a browser grants it.
    setTimeout(() => {
      Promise.resolve()
        .then(() => req.callback({ name }))
        .then(req.resolve, req.reject)
        .finally(() => {
          this.#held.delete(name)
          this.#grant(name)
        })
    }, 0)
  }
}
