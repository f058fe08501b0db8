/**
 * Polyfills that libp2p 3's dependencies expect from Node 22+, loaded before libp2p in every
 * Node entry point (CLI, tests). On Node 20 without them start-up fails with a misleading
 * "Pubsub is not started" (see shared/NOTES-libp2p.md). Import it first: it has side effects only.
 */
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void
      let reject!: (reason?: unknown) => void
      const promise = new Promise<T>((res, rej) => {
        resolve = res
        reject = rej
      })
      return { promise, resolve, reject }
    },
  })
}

// @libp2p/websockets dials with the global WebSocket, which Node 20 only has behind
// --experimental-websocket. `ws` implements the same browser API (binaryType, addEventListener).
if (typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'undefined') {
  const { WebSocket } = await import('ws')
  Object.defineProperty(globalThis, 'WebSocket', { configurable: true, writable: true, value: WebSocket })
}

export {}
