/**
 * Polls `fn` until it holds; throws naming `what` after `timeoutMs`. The storage tests' copy of
 * lib/node/testing/until.ts (lib/storage imports nothing from lib/node).
 */
export async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}
