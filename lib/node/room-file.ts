/**
 * The room a relay serves, kept in its data directory so `npm start` reuses it on later runs.
 * (Issue 4 makes the id the genesis event's id; until then a random id names the room.)
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'

const roomFileSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{4,100}$/),
  name: z.string().min(1).max(200),
  createdAt: z.number().int(),
})
export type RoomFile = z.infer<typeof roomFileSchema>

/** Loads `<dataDir>/room.json`, creating a new room there on first run. */
export function loadOrCreateRoom(dataDir: string, name = 'Chorus room'): { room: RoomFile; created: boolean } {
  const file = join(dataDir, 'room.json')
  let raw: string | undefined
  try {
    raw = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  if (raw != null) {
    const parsed = roomFileSchema.safeParse(JSON.parse(raw))
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`)
    return { room: parsed.data, created: false }
  }
  const room: RoomFile = { id: `room-${randomBytes(8).toString('hex')}`, name, createdAt: Date.now() }
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(`${file}.tmp`, JSON.stringify(room, null, 2) + '\n')
  renameSync(`${file}.tmp`, file)
  return { room, created: true }
}
