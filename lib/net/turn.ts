/** A macrotask boundary that works in Node and in browsers. */

/**
 * Resolves on the next macrotask: setImmediate in Node, a MessageChannel message in a browser
 * (no timer clamping). A write waits one turn so that events arriving together share it.
 */
export const nextTurn: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : (() => {
        const waiting: (() => void)[] = []
        let ch: MessageChannel | undefined
        return () =>
          new Promise<void>((resolve) => {
            if (ch == null) {
              ch = new MessageChannel()
              ch.port1.onmessage = () => waiting.shift()?.()
            }
            waiting.push(resolve)
            ch.port2.postMessage(0)
          })
      })()
