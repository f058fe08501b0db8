/**
 * `chorus-mesh` — relay, agent, start, detect. Thin: each command parses flags and calls the
 * module that does the work. Long-running commands stop cleanly on SIGINT/SIGTERM.
 */
import { Command, CommanderError } from 'commander'
import { POLICIES } from './agent/policy'
import { registerArtifactsCommand } from './artifacts/command'
import { registerBackupCommands } from './backup/command'
import { defaultRelayUrl, defaults, loadEnvFile, parseIntFlag } from './config'
import { registerConfigCommand } from './config-command'
import { registerGatewayCommand } from './gateway/command'
import { registerMcpCommands } from './mcp/command'
import { registerInviteCommand } from './invites/command'
import { registerRelayCommand } from './relay/command'
import { collectListenAddr } from './relay-mesh/listen'
import { registerStartCommand } from './start-command'

/** Runs the CLI with `argv` (process.argv shape); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = 0
  try {
    loadEnvFile(argv)
  } catch (err) {
    console.error(`chorus-mesh: ${(err as Error).message}`)
    return 2
  }
  const program = new Command('chorus-mesh')
    .description('Chorus Mesh: agents and their human supervisors on one peer-to-peer gossip mesh')
    .option('--env-file <file>', 'read settings from this file (default: ./.env when it exists); the environment and flags win over it')
    .exitOverride()
    .showHelpAfterError()

  registerRelayCommand(program, untilSignal)
  registerConfigCommand(program)
  registerInviteCommand(program)
  registerBackupCommands(program)

  program
    .command('agent')
    .description('join the room as an agent, claim tasks and answer plans by policy; --stdin: take commands line by line')
    .requiredOption('--name <name>', 'display name')
    .option('--relay <url>', "relay's HTTP URL", defaultRelayUrl())
    .option('--invite <text>', 'invite to redeem (needed once, unless the room is open)', process.env.CHORUS_INVITE)
    .option('--data <dir>', 'data directory (key and replica kept per name)', defaults.dataDir)
    .option('--repo <repository>', 'repository of the claimed tasks', 'default')
    .option('--project <id>', 'project of the claimed tasks', 'default')
    .option('--task <title>', 'claim a task with this title (repeatable)', collect, [])
    .option('--description <text>', 'description of the task at the same position (repeatable)', collect, [])
    .option('--policy <policy>', `how to answer plans: ${[...POLICIES, 'manual'].join(' | ')} (default agree; manual with --stdin)`)
    .option('--stdin', 'read commands from stdin (JSON lines or words: say, complete, release, ready, sessions, session, escalate, room) and write results and activity as JSON lines')
    .option('--json', 'log JSON lines')
    .option('--listen <multiaddr>', 'also listen here (TCP or WebSockets, repeatable or comma-separated), so agents on one network mesh directly, e.g. /ip4/0.0.0.0/tcp/7790', collectListenAddr, [])
    .action(async (o) => {
      const policy = o.policy ?? (o.stdin ? 'manual' : 'agree')
      if (![...POLICIES, 'manual'].includes(policy)) throw new Error(`--policy ${policy}: expected one of ${[...POLICIES, 'manual'].join(', ')}`)
      const { runAgentCommand } = await import('./agent/command')
      await runAgentCommand(
        { name: o.name, relay: o.relay, data: o.data, invite: o.invite, repo: o.repo, project: o.project, tasks: o.task, descriptions: o.description, policy, json: o.json === true, listen: o.listen, ...(o.stdin ? { stdin: process.stdin } : {}) },
        untilSignal(),
      )
    })

  const oneShot = (cmd: Command) =>
    cmd
      .requiredOption('--name <name>', 'the agent (its key and replica under --data)')
      .option('--relay <url>', "relay's HTTP URL", defaultRelayUrl())
      .option('--invite <text>', 'invite to redeem (needed once, unless the room is open)', process.env.CHORUS_INVITE)
      .option('--data <dir>', 'data directory', defaults.dataDir)

  oneShot(program.command('complete').description('mark a task the agent holds as done (while the agent is not running; otherwise type it into its --stdin)'))
    .argument('<task>', 'task id')
    .option('--note <text>', 'what was delivered')
    .action(async (task: string, o) => {
      const { runOneCommand } = await import('./agent/command')
      code = await runOneCommand(o, JSON.stringify({ op: 'complete_task', taskId: task, ...(o.note ? { note: o.note } : {}) }), { taskId: task })
    })

  oneShot(program.command('say').description('post a typed message into a session as the agent (while the agent is not running; otherwise type it into its --stdin)'))
    .argument('<session>', 'session id (ses_…)')
    .argument('<text...>', 'the message')
    .option('--type <type>', 'agreement | concern | question | proposal (default: classified from the text)')
    .action(async (session: string, text: string[], o) => {
      const { runOneCommand } = await import('./agent/command')
      code = await runOneCommand(o, JSON.stringify({ op: 'reply', session, text: text.join(' '), ...(o.type ? { type: o.type } : {}) }), { session })
    })

  program
    .command('demo')
    .description('start agents that play the CHORUS scenarios (starts a relay here if none answers at --relay)')
    .option('--relay <url>', "relay's HTTP URL", defaultRelayUrl())
    .option('--invite <text>', 'agent invite printed by the relay (needed on the first run against a running relay)', process.env.CHORUS_INVITE)
    .option('--data <dir>', 'data directory (demo agents keep their keys and replicas under <data>/demo)', defaults.dataDir)
    .option('--json', 'log JSON lines')
    .action(async (o) => {
      const { runDemoCommand } = await import('./demo/command')
      await runDemoCommand({ relay: o.relay, invite: o.invite, data: o.data, json: o.json === true }, untilSignal())
    })

  registerStartCommand(program, untilSignal)

  program
    .command('detect')
    .description('run the dependency rules offline on a JSON array of tasks (ours or CHORUS TaskContext); prints the dependencies as JSON')
    .argument('<file>', 'JSON array of {taskId, projectId, repository, title, description, keywords?, paths?, artifacts?} or CHORUS {task_id, project_id, …}')
    .option('--rules <file>', 'JSON array of custom rules {name, description, keywords, requires?}')
    .option('--conflicts', 'print {dependencies, conflicts}: also the pairs whose paths overlap in one repository')
    .action(async (file: string, o: { rules?: string; conflicts?: boolean }) => {
      const { detectCommand } = await import('./detect')
      code = await detectCommand(file, o)
    })

  program
    .command('attack')
    .description('a Byzantine member for demos on loopback: forged, replayed, malformed, oversized events, a flood, equivocation')
    .option('--relay <url>', "relay's HTTP URL", defaultRelayUrl())
    .option('--invite <text>', 'agent invite to join with', process.env.CHORUS_INVITE)
    .option('--data <dir>', 'data directory', defaults.dataDir)
    .option('--name <name>', 'display name', 'mallory')
    .option('--attack <name...>', 'attacks to run (all, forged-signature, replay, oversized, malformed, forged-derived, role-escalation, non-member, flood, equivocation)', ['all'])
    .option('--rate <n>', 'flood rate, events per second', parseIntFlag('--rate'), 1000)
    .option('--duration <ms>', 'flood duration', parseIntFlag('--duration'), 10_000)
    .action(async (o) => {
      const { attackCommand } = await import('./attack/command')
      code = await attackCommand({ relay: o.relay, invite: o.invite, data: o.data, name: o.name, attacks: o.attack, rate: o.rate, durationMs: o.duration })
    })

  registerMcpCommands(program, untilSignal)
  registerGatewayCommand(program, untilSignal)
  registerArtifactsCommand(program, (c) => (code = c))

  try {
    await program.parseAsync(argv)
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2
    console.error(`chorus-mesh: ${(err as Error).message}`)
    return 1
  }
  return code
}

/** Commander collector for repeatable flags. */
const collect = (value: string, previous: string[]): string[] => [...previous, value]

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done)
      process.off('SIGTERM', done)
      resolve()
    }
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
}
