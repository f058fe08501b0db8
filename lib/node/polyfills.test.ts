import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'

describe('the WebSocket polyfill', () => {
  it('survives an error on a socket whose dialler stopped listening (an aborted parallel dial)', async () => {
    // A port that refuses: bound, then closed.
    const server = createServer()
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const port = (server.address() as { port: number }).port
    await new Promise<void>((r) => server.close(() => r()))

    const errors: unknown[] = []
    const onUncaught = (err: unknown) => errors.push(err)
    process.on('uncaughtException', onUncaught)
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${port}`)
      // Nobody listens for 'error': the refused connection must not become an uncaught exception.
      await new Promise<void>((resolve) => ws.addEventListener('close', () => resolve()))
      await new Promise((r) => setTimeout(r, 50))
    } finally {
      process.off('uncaughtException', onUncaught)
    }
    expect(errors).toEqual([])
  })
})
