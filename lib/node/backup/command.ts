/**
 * `chorus-mesh backup|restore|export|import`: run on the relay's host against its data
 * directory. Backup and export work while the relay runs; restore and import refuse to.
 */
import { createReadStream } from 'node:fs'
import type { Command } from 'commander'
import { defaults } from '../config'

const dataOption = (c: Command) => c.option('--data <dir>', "the relay's data directory (or CHORUS_DATA_DIR)", defaults.dataDir).option('--json', 'print the result as JSON')

/** Registers the four commands on the program. */
export function registerBackupCommands(program: Command): void {
  dataOption(program.command('backup').description("copy the relay's room (events, meta) and keys into one file, while it runs").argument('<file>', 'the backup to write (must not exist)'))
    .action(async (file: string, o: { data: string; json?: boolean }) => {
      const { backupDataDir } = await import('./snapshot')
      const r = backupDataDir(o.data, file)
      if (o.json) return console.log(JSON.stringify(r))
      console.log(`backed up room ${r.room}: ${r.events} events, ${r.bytes} bytes, to ${r.file}`)
      console.log('  it holds the relay key and admin token: keep it as private as the data directory')
    })
  dataOption(program.command('restore').description('restore a backup into an empty data directory (stop the relay first)').argument('<file>', 'a file made by chorus-mesh backup'))
    .action(async (file: string, o: { data: string; json?: boolean }) => {
      const { restoreDataDir } = await import('./snapshot')
      const r = await restoreDataDir(file, o.data)
      if (o.json) return console.log(JSON.stringify(r))
      console.log(`restored room ${r.room} into ${r.dataDir}: ${r.events} events, ${r.verified} verified; digest ${r.digest}`)
      if (r.verified < r.events) console.log(`  warning: ${r.events - r.verified} stored events did not verify and will be ignored`)
      console.log('  start the relay with this --data; agents and tabs reconnect by themselves')
    })
  dataOption(program.command('export').description("write the room's signed events as NDJSON (one event a line)").argument('[file]', 'output file (must not exist); - or none for stdout', '-'))
    .option('--room <id>', 'a room other than the one the relay serves')
    .action(async (file: string, o: { data: string; room?: string; json?: boolean }) => {
      const { exportToFile } = await import('./ndjson')
      const r = exportToFile(o.data, file, o.room)
      if (file !== '-') console.error(o.json ? JSON.stringify(r) : `exported ${r.events} events of room ${r.room} to ${file}`)
    })
  dataOption(program.command('import').description('verify NDJSON events and add them to the data directory (stop the relay first)').argument('<file>', 'NDJSON from chorus-mesh export; - for stdin'))
    .action(async (file: string, o: { data: string; json?: boolean }) => {
      const { importEvents } = await import('./ndjson')
      const r = await importEvents(file === '-' ? process.stdin : createReadStream(file), o.data)
      if (o.json) return console.log(JSON.stringify(r))
      console.log(`imported room ${r.room}: ${r.lines} events read, ${r.added} new; digest ${r.digest}`)
    })
}
