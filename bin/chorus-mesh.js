#!/usr/bin/env node
// The `chorus-mesh` command. TypeScript sources run through tsx, so a checkout works after
// `npm ci` with no build step; the polyfills must load before anything imports libp2p.
import { register } from 'tsx/esm/api'

register()
// `chorus-mesh invite list | head`: a reader that stops early is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0)
  throw err
})
await import('../lib/node/polyfills.ts')
// A failure nobody awaited is logged, not fatal: a relay or agent keeps serving its room.
const { installProcessGuard } = await import('../lib/node/process-guard.ts')
installProcessGuard()
const { main } = await import('../lib/node/cli.ts')
try {
  process.exitCode = await main(process.argv)
} catch (err) {
  // What Node would print for an uncaught error, and its exit code: the guard is for servers.
  console.error(err)
  process.exitCode = 1
}
// A command that failed has nothing left to serve: whatever it started and could not stop (a
// dial being retried, a half-started node) must not keep the process alive after the error.
if (process.exitCode) process.exit()
