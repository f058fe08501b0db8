'use client'
/** Repository, rule and status filters, and the neighbourhood radius. */
import type { GraphFilter } from './graph-model'

/** The filter bar. */
export function GraphFilters({ filter, repos, rules, onChange }: { filter: GraphFilter; repos: string[]; rules: string[]; onChange(f: GraphFilter): void }) {
  return (
    <div className="ml-auto flex flex-wrap items-center gap-2 text-sm">
      <label className="flex items-center gap-1">Repository
        <select className="field" value={filter.repository} onChange={(e) => onChange({ ...filter, repository: e.target.value })}>
          <option value="">any</option>
          {repos.map((r) => <option key={r}>{r}</option>)}
        </select>
      </label>
      <label className="flex items-center gap-1">Rule
        <select className="field" value={filter.rule} onChange={(e) => onChange({ ...filter, rule: e.target.value })}>
          <option value="">any</option>
          {rules.map((r) => <option key={r}>{r}</option>)}
        </select>
      </label>
      <label className="flex items-center gap-1">Status
        <select className="field" value={filter.status} onChange={(e) => onChange({ ...filter, status: e.target.value as GraphFilter['status'] })}>
          <option value="">any</option>
          <option>claimed</option><option>released</option><option>completed</option>
        </select>
      </label>
      <label className="flex items-center gap-1">Hops
        <input type="number" min={0} max={10} className="field w-14" value={filter.hops} onChange={(e) => onChange({ ...filter, hops: Math.max(0, Math.min(10, Number(e.target.value) || 0)) })} />
      </label>
      {filter.focus != null && <button type="button" className="btn" onClick={() => onChange({ ...filter, focus: null })}>Clear neighbourhood</button>}
    </div>
  )
}
