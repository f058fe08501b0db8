'use client'
/**
 * First run: asks the person for the name others will see (in presence, the member list and
 * every session's history), instead of leaving them "Reviewer 9cYa33". Not modal — the room is
 * usable at once — and asked once per browser; Settings changes it later.
 */
import { useEffect, useState } from 'react'
import { useMesh } from '@/components/mesh/use-mesh'
import { useRename } from './use-rename'

const ASKED_KEY = 'chorus.name.asked'
const DEFAULT_NAME = /^Reviewer [A-Za-z0-9]{6}$/

export function NamePrompt() {
  const name = useMesh((s) => s.self?.name)
  const status = useMesh((s) => s.status)
  const [asked, setAsked] = useState(true)
  const [value, setValue] = useState('')
  const { rename, error, pending } = useRename()
  useEffect(() => setAsked(localStorage.getItem(ASKED_KEY) != null), [])
  if (asked || status !== 'running' || name == null || !DEFAULT_NAME.test(name)) return null
  const done = () => {
    localStorage.setItem(ASKED_KEY, String(Date.now()))
    setAsked(true)
  }
  return (
    <form
      aria-label="Your name"
      className="border-b border-sky-200 bg-sky-50 px-4 py-2 text-sm text-sky-950 dark:border-sky-900 dark:bg-sky-950 dark:text-sky-50"
      data-testid="name-prompt"
      onSubmit={async (e) => {
        e.preventDefault()
        if (await rename(value)) done()
      }}
    >
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-2">
        <label htmlFor="first-name">What should others in this room call you?</label>
        <input id="first-name" className="field w-56 bg-white dark:bg-zinc-900" value={value} onChange={(e) => setValue(e.target.value)} placeholder={name} maxLength={200} />
        <button type="submit" className="btn-primary" disabled={pending || !value.trim()}>Save</button>
        <button type="button" className="btn" onClick={done}>Not now</button>
        {error && <span role="alert" className="text-rose-800 dark:text-rose-200">{error}</span>}
      </div>
    </form>
  )
}
