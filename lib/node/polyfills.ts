/**
 * Polyfills that libp2p 3's dependencies expect from Node 22+, loaded before libp2p in every
 * Node entry point (CLI, tests). On Node 20 without them start-up fails with a misleading
 * "Pubsub is not started" (a missing Promise.withResolvers deep in start-up). Import it first: it has side effects only.
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
// Every socket gets an 'error' listener of its own: libp2p dials a peer's addresses in parallel
// and aborts the losers, removing its listeners, and a loser's later error (ECONNREFUSED from a
// relay that died) would otherwise be an unhandled 'error' event that ends the process. The
// transport still sees every error through its own listeners while it waits for 'open'.
if (typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'undefined') {
  const { WebSocket } = await import('ws')
  class ListenedWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args)
      this.on('error', () => undefined)
    }
  }
  Object.defineProperty(globalThis, 'WebSocket', { configurable: true, writable: true, value: ListenedWebSocket })
}

export {}
