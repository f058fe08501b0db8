'use client'
/** A small form with one or two text fields (resolve with a decision, return with guidance). */
import { useState } from 'react'

export interface TextField {
  name: string
  label: string
  required?: boolean
  rows?: number
}

/** Submits the fields' values; clears them only when `onSubmit` resolves true. */
export function TextForm({ label, fields, submit, onSubmit, onCancel, pending }: {
  label: string
  fields: TextField[]
  submit: string
  onSubmit(values: Record<string, string>): Promise<boolean>
  onCancel(): void
  pending: boolean
}) {
  const [values, setValues] = useState<Record<string, string>>({})
  const missing = fields.some((f) => f.required && !(values[f.name] ?? '').trim())
  return (
    <form
      aria-label={label}
      className="space-y-2"
      onSubmit={async (e) => {
        e.preventDefault()
        if (missing) return
        const trimmed = Object.fromEntries(fields.map((f) => [f.name, (values[f.name] ?? '').trim()]))
        if (await onSubmit(trimmed)) setValues({})
      }}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      {fields.map((f, i) => (
        <label key={f.name} className="block text-xs text-muted">
          {f.label}
          <textarea
            autoFocus={i === 0}
            rows={f.rows ?? 2}
            required={f.required}
            className="mt-0.5 block w-full rounded border border-zinc-300 bg-transparent p-1.5 text-sm text-zinc-900 dark:border-zinc-700 dark:text-zinc-100"
            value={values[f.name] ?? ''}
            onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
          />
        </label>
      ))}
      <div className="flex gap-2">
        <button type="submit" disabled={pending || missing} className="btn-primary">{submit}</button>
        <button type="button" onClick={onCancel} className="btn">Cancel</button>
      </div>
    </form>
  )
}
