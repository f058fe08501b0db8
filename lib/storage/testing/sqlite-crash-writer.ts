/**
 * Child process of the SQLite crash test: writes batches forever and prints `ack <n>` after
 * each putMany resolves, i.e. after it is durable. The test kills it with SIGKILL mid-stream.
 * Usage: node --import tsx sqlite-crash-writer.ts DATA_DIR BATCH_SIZE [strict|relaxed]
 */
import { openSqliteStore } from '../sqlite-store'

const [dataDir, batchArg, durability = 'strict'] = process.argv.slice(2)
const batchSize = Number(batchArg)
const store = await openSqliteStore({ dataDir })
for (let batch = 0; ; batch++) {
  const records = Array.from({ length: batchSize }, (_, i) => {
    const n = batch * batchSize + i
    return { id: `crash${n}`, bytes: new Uint8Array(256).fill(n % 256), author: 'writer', seq: n + 1, lamport: n + 1, kind: 'task.claimed' }
  })
  await store.putMany('room', records, { durability: durability === 'relaxed' ? 'relaxed' : 'strict' })
  process.stdout.write(`ack ${(batch + 1) * batchSize}\n`)
}
