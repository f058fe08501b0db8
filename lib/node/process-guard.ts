/**
 * The last line of defence of a Node process (relay, agent, start, mcp, gateway): a promise
 * rejected with nobody to hear it, or an exception thrown from a callback, is logged with its
 * stack and the process keeps serving. Node's default is to exit, and one failed write or one
 * socket error deep in a library would take a relay and its room down with it.
 */

let installed: (() => void) | undefined
const caught = { unhandledRejection: 0, uncaughtException: 0 }

/** How many errors the guard has caught in this process, by kind (an operator alerts on any). */
export function processGuardCounts(): Readonly<typeof caught> {
  return caught
}

/** Installs the process-level handlers once; returns a function that removes them. */
export function installProcessGuard(log: (line: string) => void = (line) => console.error(line)): () => void {
  if (installed) return installed
  const describe = (what: string, err: unknown) => `chorus-mesh: ${what} (kept running): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`
  // A process that then ends by itself (nothing left to serve) ends with a failure code; a
  // command that finishes normally sets its own.
  const onRejection = (reason: unknown) => {
    caught.unhandledRejection++
    log(describe('unhandled rejection', reason))
    process.exitCode ??= 1
  }
  const onException = (err: unknown) => {
    caught.uncaughtException++
    log(describe('uncaught exception', err))
    process.exitCode ??= 1
  }
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)
  installed = () => {
    process.off('unhandledRejection', onRejection)
    process.off('uncaughtException', onException)
    installed = undefined
  }
  return installed
}
