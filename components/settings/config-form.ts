/** The room-configuration form: string fields → a validated `room.configured` patch of what changed. */
import { roomConfigPatchSchema, type RoomConfig, type RoomConfigPatch } from '@/lib/core/events/kinds/room'

/** Form values as typed (strings); durations in minutes for humans. */
export type ConfigFields = Record<keyof RoomConfig, string>

/** Labels and units, in display order. */
export const CONFIG_FIELDS: { key: keyof RoomConfig; label: string; unit?: string }[] = [
  { key: 'escalationThreshold', label: 'Escalate after more than N messages' },
  { key: 'maxSessionDurationMs', label: 'Escalate a session older than', unit: 'min' },
  { key: 'maxParticipants', label: 'Max participants per session' },
  { key: 'coordinationHops', label: 'Related tasks within N hops' },
  { key: 'approvalQuorum', label: 'Approvals needed (a number or "two-thirds")' },
  { key: 'inactivityTimeoutMs', label: 'Close settled sessions idle for', unit: 'min' },
]

const MINUTES = new Set<keyof RoomConfig>(['maxSessionDurationMs', 'inactivityTimeoutMs'])

/** The form's starting values for a configuration. */
export function fieldsOf(c: RoomConfig): ConfigFields {
  const out = {} as ConfigFields
  for (const { key } of CONFIG_FIELDS) {
    const v = c[key]
    out[key] = typeof v === 'number' && MINUTES.has(key) ? String(v / 60_000) : String(v)
  }
  return out
}

/** The patch of changed fields, or per-field errors; an empty patch means nothing changed. */
export function patchFrom(current: RoomConfig, f: ConfigFields): { ok: true; patch: RoomConfigPatch } | { ok: false; errors: Partial<Record<keyof RoomConfig, string>> } {
  const raw: Record<string, unknown> = {}
  for (const { key } of CONFIG_FIELDS) {
    const text = f[key].trim()
    const value = key === 'approvalQuorum' && text === 'two-thirds' ? text : MINUTES.has(key) ? Math.round(Number(text) * 60_000) : Number(text)
    if (value !== current[key]) raw[key] = text === '' ? NaN : value
  }
  const r = roomConfigPatchSchema.safeParse(raw)
  if (r.success) return { ok: true, patch: r.data }
  const errors: Partial<Record<keyof RoomConfig, string>> = {}
  for (const issue of r.error.issues) errors[issue.path[0] as keyof RoomConfig] ??= issue.message
  return { ok: false, errors }
}
