/** `chorus-mesh start` (`npm start`): flags and their environment variables. */
import type { Command } from 'commander'
import { listFlag, parseIntFlag, settingOption } from './config'
import { parseLogLevel } from './log'

/** Registers `start` on the program. */
export function registerStartCommand(program: Command, untilSignal: () => Promise<void>): void {
  program
    .command('start')
    .description('run the web app and a relay together on this machine')
    .addOption(settingOption('--host <host>', 'CHORUS_HOST'))
    .addOption(settingOption('--public-url <url>', 'CHORUS_PUBLIC_URL'))
    .addOption(settingOption('--port <port>', 'PORT', parseIntFlag('--port')))
    .addOption(settingOption('--relay-port <port>', 'CHORUS_RELAY_PORT', parseIntFlag('--relay-port')))
    .addOption(settingOption('--http-port <port>', 'CHORUS_HTTP_PORT', parseIntFlag('--http-port')))
    .addOption(settingOption('--data <dir>', 'CHORUS_DATA_DIR'))
    .addOption(settingOption('--announce <multiaddr>', 'CHORUS_ANNOUNCE', listFlag))
    .addOption(settingOption('--presence-interval <ms>', 'CHORUS_PRESENCE_INTERVAL_MS', parseIntFlag('--presence-interval')))
    .addOption(settingOption('--log-level <level>', 'CHORUS_LOG_LEVEL', parseLogLevel))
    .option('--dev', 'run the app with `next dev` (hot reload) instead of a production build')
    .option('--rebuild', 'rebuild the production app even if it looks current')
    .option('--open', 'when creating the room: let anyone join as a reviewer without an invite (demo)')
    .option('--demo', 'also run the demo agents (implies --open when the room is created)')
    .action(async (o) => {
      const { startAll } = await import('./start')
      const stop = await startAll({
        host: o.host,
        publicUrl: o.publicUrl,
        webPort: o.port,
        relayPort: o.relayPort,
        httpPort: o.httpPort,
        dataDir: o.data,
        announce: o.announce ?? [],
        logLevel: o.logLevel,
        dev: o.dev === true,
        rebuild: o.rebuild === true,
        open: o.open === true || o.demo === true,
        demo: o.demo === true,
        presenceIntervalMs: o.presenceInterval,
      })
      await untilSignal()
      await stop()
    })
}
