/** Registers `chorus-mesh gateway` (run.ts) on the CLI; the heavy modules load only when it runs. */
import type { Command } from 'commander'
import { defaultRelayUrl, defaults } from '../config'

/** Adds the `gateway` command to the program. */
export function registerGatewayCommand(program: Command, untilSignal: () => Promise<void>): void {
  program
    .command('gateway')
    .description('serve one agent identity over HTTP + SSE (OpenAPI at /openapi.json) for agents in any language')
    .requiredOption('--name <name>', "the agent's display name (its key and replica are kept per name)")
    .option('--listen <host:port>', 'address to listen on (loopback unless --allow-remote)', process.env.CHORUS_GATEWAY_LISTEN ?? '127.0.0.1:7790')
    .option('--token <token>', 'bearer token clients must send (default: CHORUS_GATEWAY_TOKEN, else a random one, printed)', process.env.CHORUS_GATEWAY_TOKEN)
    .option('--allow-remote', 'allow a non-loopback --listen address')
    .option('--relay <url>', "relay's HTTP URL", defaultRelayUrl())
    .option('--invite <text>', 'agent invite to redeem (needed once, unless the room is open)', process.env.CHORUS_INVITE)
    .option('--data <dir>', 'data directory (key and replica kept per name)', defaults.dataDir)
    .option('--no-planner', 'never write plans for sessions')
    .action(async (o) => {
      const { runGateway } = await import('./run')
      await runGateway(
        { name: o.name, relay: o.relay, data: o.data, invite: o.invite, agentKey: process.env.CHORUS_AGENT_KEY, listen: o.listen, token: o.token, allowRemote: o.allowRemote === true, planner: o.planner !== false },
        untilSignal(),
      )
    })
}
