/**
 * `chorus-mesh relay`: flags (each with its environment variable, see config.ts), start-up,
 * the invites printed once when the room is created, and a drained shutdown on SIGINT/SIGTERM.
 */
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { listFlag, parseIntFlag, setting, settingOption } from '../config'
import { joinLink } from '../invites'
import { createLogger, parseLogLevel, type Logger } from '../log'
import { splitTargets } from '../relay-mesh/targets'
import { parseIceServers } from './ice'
import { tlsFiles, type RelayOptions } from './options'
import { startRelay, type Relay } from '.'

/** Adds the relay's flags to a command (`relay`, and `config` to show their sources). */
export function addRelayOptions(cmd: Command): Command {
  return cmd
    .addOption(settingOption('--host <host>', 'CHORUS_HOST'))
    .addOption(settingOption('--port <port>', 'CHORUS_RELAY_PORT', parseIntFlag('--port')))
    .addOption(settingOption('--http-port <port>', 'CHORUS_HTTP_PORT', parseIntFlag('--http-port')))
    .addOption(settingOption('--tcp-port <port>', 'CHORUS_TCP_PORT', parseIntFlag('--tcp-port')))
    .addOption(settingOption('--data <dir>', 'CHORUS_DATA_DIR'))
    .addOption(settingOption('--presence-interval <ms>', 'CHORUS_PRESENCE_INTERVAL_MS', parseIntFlag('--presence-interval')))
    .addOption(settingOption('--announce <multiaddr>', 'CHORUS_ANNOUNCE', listFlag))
    .addOption(settingOption('--public-url <url>', 'CHORUS_PUBLIC_URL'))
    .addOption(settingOption('--tls-cert <file>', 'CHORUS_TLS_CERT'))
    .addOption(settingOption('--tls-key <file>', 'CHORUS_TLS_KEY'))
    .addOption(settingOption('--cors-origin <origin>', 'CHORUS_CORS_ORIGINS', listFlag))
    .addOption(settingOption('--log-level <level>', 'CHORUS_LOG_LEVEL', parseLogLevel))
    .addOption(settingOption('--drain <ms>', 'CHORUS_DRAIN_MS', parseIntFlag('--drain')))
}

/** Registers `relay` on the program. */
export function registerRelayCommand(program: Command, untilSignal: () => Promise<void>): void {
  addRelayOptions(program.command('relay'))
    .description('run a relay: circuit-relay server, gossip peer and HTTP endpoints (/api/room, /healthz, /readyz, /metrics)')
    .option('--open', 'when creating the room: let anyone join as a reviewer without an invite (demo)')
    .option('--room-name <name>', 'when creating the room: its name', 'Chorus room')
    .option('--json', 'log JSON lines even on a terminal')
    .option('--join <relays...>', "serve an existing room: other relays' HTTP URLs or multiaddrs (comma-separated or repeated); never creates a room", process.env.CHORUS_JOIN)
    .option('--invite <text>', 'with --join: the admin invite this relay redeems the first time (keep it on the command line: a relay restarted with an empty disk redeems it again)')
    .action(async (o) => {
      const log = createLogger({ level: o.logLevel, json: o.json === true ? true : undefined })
      const relay = await startRelay({ ...relayOptionsFrom(o, log), open: o.open === true, roomName: o.roomName, join: splitTargets(o.join), invite: o.invite })
      printBanner(relay, o.publicUrl as string | undefined)
      if (relay.roomCreated) await firstInvites(relay, o.data as string, o.publicUrl as string | undefined)
      await untilSignal()
      await relay.stop()
    })
}

/** Turns parsed flags into relay options; bad values fail with the flag's name. */
export function relayOptionsFrom(o: Record<string, unknown>, log: Logger): RelayOptions {
  const publicUrl = o.publicUrl as string | undefined
  let corsOrigins = o.corsOrigin as string[] | undefined
  if (corsOrigins == null && publicUrl != null) corsOrigins = [originOf(publicUrl, '--public-url')]
  return {
    dataDir: o.data as string,
    host: o.host as string,
    port: o.port as number,
    httpPort: o.httpPort as number,
    tcpPort: o.tcpPort as number | undefined,
    presenceIntervalMs: o.presenceInterval as number,
    announce: (o.announce as string[] | undefined) ?? [],
    tls: tlsFiles(o.tlsCert as string | undefined, o.tlsKey as string | undefined),
    iceServers: parseIceServers(setting('CHORUS_ICE_SERVERS')),
    corsOrigins: corsOrigins ?? [],
    apiToken: setting('CHORUS_API_TOKEN'),
    drainMs: o.drain as number,
    publicUrl,
    adminToken: setting('CHORUS_ADMIN_TOKEN'),
    log,
  }
}

/** The origin of a URL flag, or an error naming the flag. */
export function originOf(url: string, flag: string): string {
  try {
    return new URL(url).origin
  } catch {
    throw new Error(`${flag} ${url}: not a URL (e.g. https://chorus.example.com/)`)
  }
}

function printBanner(relay: Relay, publicUrl: string | undefined): void {
  const info = relay.info()
  console.log(`relay ${info.relay.peerId} ${relay.roomCreated ? 'created' : relay.roomJoined ? 'joined' : 'serving'} room ${info.room}`)
  for (const a of info.relay.addrs) console.log(`  libp2p ${a}`)
  console.log(`  http   ${relay.httpUrl}/api/room`)
  if (publicUrl) console.log(`  public ${publicUrl}`)
}

/**
 * The room's first invites, made once when the relay creates the room: printed when a person
 * is watching, and always kept in `<data>/first-invites.txt` (mode 0600) — never in the logs of
 * a service, and never again on later starts (`chorus-mesh invite` makes more).
 */
async function firstInvites(relay: Relay, dataDir: string, publicUrl: string | undefined): Promise<void> {
  const invites = {
    agent: await relay.invite({ role: 'agent', maxUses: 100 }),
    admin: await relay.invite({ role: 'admin', maxUses: 5 }),
    reviewer: await relay.invite({ role: 'reviewer', maxUses: 25 }),
  }
  const lines = Object.entries(invites).map(([role, text]) => `${role} invite: ${text}`)
  if (publicUrl) lines.push(`admin link: ${joinLink(publicUrl, invites.admin)}`, `reviewer link: ${joinLink(publicUrl, invites.reviewer)}`)
  const file = join(dataDir, 'first-invites.txt')
  writeFileSync(file, lines.join('\n') + '\n', { mode: 0o600 })
  chmodSync(file, 0o600)
  if (process.stdout.isTTY) for (const l of lines) console.log(`  ${l}`)
  console.log(`  the room's first invites are in ${file} (shown once; make more with: chorus-mesh invite --role …)`)
}
