'use client'
/** `/rules`: the built-in and custom dependency rules; admins add (with a preview) and remove custom ones. */
import { useMemo, useState } from 'react'
import { roleMayAuthor } from '@/lib/core/log/roles'
import { BUILTIN_RELATIONSHIPS, type CustomRule, type Dependency } from '@/lib/core/rules/types'
import { useRoom } from '@/components/mesh/use-room'
import { useAct } from '@/components/session/use-act'
import { useActor } from '@/components/session/use-actor'
import { taskTitle } from '@/components/session/names'
import { EMPTY_RULE, previewRule, ruleFromFields, type RuleFields } from './rule-form'

const FIELDS: { key: keyof RuleFields; label: string; hint: string }[] = [
  { key: 'name', label: 'Name', hint: 'letters, digits and _' },
  { key: 'description', label: 'Description', hint: 'what the dependency means' },
  { key: 'keywords', label: 'Keywords', hint: 'comma-separated; both tasks must mention one' },
  { key: 'requiresA', label: 'Requires, side A', hint: 'optional: one task mentions one of these …' },
  { key: 'requiresB', label: 'Requires, side B', hint: '… and the other one of these' },
]

/** The rules page. */
export function RulesView() {
  const state = useRoom((s) => s)
  const custom = useRoom((s) => [...s.rules.values()].map((r) => r.rule))
  const actor = useActor()
  const { act, pending, error } = useAct()
  const [fields, setFields] = useState<RuleFields>(EMPTY_RULE)
  const [errors, setErrors] = useState<Partial<Record<keyof RuleFields, string>>>({})
  const [preview, setPreview] = useState<{ rule: CustomRule; found: Dependency[]; tasks: number } | null>(null)
  const allowed = actor.role == null ? 'Join the room as an admin to change rules (you are a guest).' : roleMayAuthor(actor.role, 'rule.added') ? null : `Your role (${actor.role}) cannot change rules; admins and the owner can.`
  const parsed = useMemo(() => ruleFromFields(fields), [fields])
  const tryIt = () => {
    if (!parsed.ok) return setErrors(parsed.errors)
    setErrors({})
    const tasks = [...(state?.tasks.values() ?? [])].filter((t) => t.status === 'claimed').map((t) => t.task)
    setPreview({ rule: parsed.rule, found: previewRule(parsed.rule, tasks, custom ?? []), tasks: tasks.length })
  }
  const add = async () => {
    if (!parsed.ok) return setErrors(parsed.errors)
    if (await act('rule.added', { rule: parsed.rule })) (setFields(EMPTY_RULE), setPreview(null))
  }
  return (
    <section className="space-y-6" aria-labelledby="rules-title">
      <div>
        <h1 id="rules-title" className="text-xl font-semibold">Rules</h1>
        <p className="text-sm text-muted">How the mesh decides two tasks depend on each other. Custom rules are data, never code: they travel over the mesh and every peer applies them.</p>
      </div>
      <ul className="space-y-1 text-sm" data-testid="rules-list">
        {BUILTIN_RELATIONSHIPS.map((r) => <li key={r}><b>{r}</b> <span className="text-xs text-muted">built in</span></li>)}
        {(custom ?? []).map((r) => (
          <li key={r.name} className="flex flex-wrap items-center gap-2" data-testid="custom-rule" data-name={r.name}>
            <b>{r.name}</b><span className="text-muted">{r.description}</span>
            <span className="text-xs text-muted">keywords: {r.keywords.join(', ')}{r.requires && ` · requires [${r.requires[0].join(', ')}] ↔ [${r.requires[1].join(', ')}]`}</span>
            <button type="button" className="btn ml-auto" disabled={allowed != null || pending} title={allowed ?? undefined} onClick={() => void act('rule.removed', { name: r.name })}>Remove</button>
          </li>
        ))}
      </ul>
      <form aria-label="Add a custom rule" className="max-w-xl space-y-2" onSubmit={(e) => (e.preventDefault(), void add())}>
        <h2 className="font-semibold">Add a custom rule</h2>
        {FIELDS.map((f) => (
          <label key={f.key} className="block text-sm">
            {f.label} <span className="text-xs text-muted">({f.hint})</span>
            <input className="field mt-0.5 block w-full" value={fields[f.key]} onChange={(e) => setFields({ ...fields, [f.key]: e.target.value })} aria-invalid={errors[f.key] != null} />
            {errors[f.key] && <span className="text-xs text-rose-700 dark:text-rose-300" role="alert">{errors[f.key]}</span>}
          </label>
        ))}
        {custom?.some((r) => parsed.ok && r.name === parsed.rule.name) && <p className="text-sm text-amber-800 dark:text-amber-300">A rule with this name exists; adding replaces it.</p>}
        {allowed && <p className="text-sm text-muted" data-testid="rules-disabled-reason">{allowed}</p>}
        {error && <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">{error}</p>}
        <div className="flex gap-2">
          <button type="button" className="btn" onClick={tryIt}>Try it on current tasks</button>
          <button type="submit" className="btn-primary" disabled={allowed != null || pending}>Add rule</button>
        </div>
      </form>
      {preview && (
        <section aria-label="Preview" className="space-y-1 text-sm" data-testid="rule-preview" data-found={preview.found.length}>
          <h2 className="font-semibold">{preview.rule.name} would link {preview.found.length} pair{preview.found.length === 1 ? '' : 's'} among {preview.tasks} claimed tasks</h2>
          <ul>
            {preview.found.slice(0, 50).map((d) => (
              <li key={`${d.task1}|${d.task2}`}>{taskTitle(state, d.task1)} ↔ {taskTitle(state, d.task2)} <span className="text-xs text-muted">{d.reason} ({d.confidence.toFixed(2)})</span></li>
            ))}
          </ul>
        </section>
      )}
    </section>
  )
}
