/**
 * Registers `chorus-mesh mcp` (run.ts) and `chorus-mesh key` on the CLI; the heavy modules
 * load only when one of them runs.
 */
import type { Command } from 'commander'
import { defaultRelayUrl, defaults } from '../config'

/** Registers `mcp` and `key` on the CLI. */
export function registerMcpCommands(program: Command, untilSignal: () => Promise<void>): void {
  program
    .command('mcp')
    .description('serve the room to a coding agent over MCP (stdio): one agent identity per server')
    .requiredOption('--name <name>', 'the agent\'s display name (its key and replica are kept per name)')
    .option('--relay <url>', "relay's HTTP URL", defaultRelayUrl())
    .option('--invite <text>', 'agent invite to redeem (needed once, unless the room is open)', process.env.CHORUS_INVITE)
    .option('--data <dir>', 'data directory (key and replica kept per name)', defaults.dataDir)
    .option('--no-planner', 'never write plans for sessions (leave planning to other agents)')
    .action(async (o) => {
      const { runMcpServer } = await import('./run')
      await runMcpServer({ name: o.name, relay: o.relay, data: o.data, invite: o.invite, agentKey: process.env.CHORUS_AGENT_KEY, planner: o.planner !== false }, untilSignal())
    })

  program
    .command('key')
    .description('print an agent\'s identity key (created if it has none) for CHORUS_AGENT_KEY, so an ephemeral runner keeps one identity')
    .requiredOption('--name <name>', 'the agent\'s name')
    .option('--data <dir>', 'data directory', defaults.dataDir)
    .action(async (o) => {
      const { exportAgentKey } = await import('../agent/agent-key')
      process.stdout.write(`${await exportAgentKey(o.data, o.name)}\n`)
    })
}
