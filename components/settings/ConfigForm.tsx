'use client'
/** The room configuration form; keeps what was typed when the room refuses it. */
import { useState } from 'react'
import type { RoomConfig, RoomConfigPatch } from '@/lib/core/events/kinds/room'
import { CONFIG_FIELDS, fieldsOf, patchFrom, type ConfigFields } from './config-form'

/** Fields for every threshold; submits only the changed ones. */
export function ConfigForm({ config, disabledReason, pending, error, onSubmit }: {
  config: RoomConfig
  disabledReason: string | null
  pending: boolean
  error: string | null
  onSubmit(patch: RoomConfigPatch): Promise<boolean>
}) {
  const [fields, setFields] = useState<ConfigFields | null>(null)
  const [errors, setErrors] = useState<Partial<Record<keyof RoomConfig, string>>>({})
  const [note, setNote] = useState<string | null>(null)
  const values = fields ?? fieldsOf(config)
  return (
    <form aria-label="Room configuration" className="grid max-w-xl gap-2" onSubmit={async (e) => {
      e.preventDefault()
      const r = patchFrom(config, values)
      if (!r.ok) return setErrors(r.errors)
      setErrors({})
      if (Object.keys(r.patch).length === 0) return setNote('Nothing changed.')
      if (await onSubmit(r.patch)) (setFields(null), setNote('Saved.'))
    }}>
      <fieldset disabled={disabledReason != null} className="grid gap-2">
        {CONFIG_FIELDS.map((f) => (
          <label key={f.key} className="grid grid-cols-[1fr_9rem] items-center gap-2 text-sm">
            <span>{f.label}{f.unit && <span className="text-muted"> ({f.unit})</span>}</span>
            <input className="field" value={values[f.key]} aria-invalid={errors[f.key] != null} data-testid={`config-${f.key}`}
              onChange={(e) => (setFields({ ...values, [f.key]: e.target.value }), setNote(null))} />
            {errors[f.key] && <span className="col-span-2 text-xs text-rose-700 dark:text-rose-300" role="alert">{errors[f.key]}</span>}
          </label>
        ))}
      </fieldset>
      {disabledReason && <p className="text-sm text-muted" data-testid="config-disabled-reason">{disabledReason}</p>}
      {error && <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">{error}</p>}
      {note && <p role="status" className="text-sm text-muted">{note}</p>}
      <div><button type="submit" className="btn-primary" disabled={disabledReason != null || pending}>Save configuration</button></div>
    </form>
  )
}
