/** What the graph's colours, lines and dots mean. */
import { BUILTIN_RELATIONSHIPS } from '@/lib/core/rules/types'
import { ruleName } from '@/components/session/names'
import { ruleColour } from './graph-model'

const Line = ({ colour = '#52525b', dash, width = 2 }: { colour?: string; dash?: string; width?: number }) => (
  <svg width="34" height="10" aria-hidden className="shrink-0">
    <defs><marker id={`legend-arrow-${colour.slice(1)}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill={colour} /></marker></defs>
    <line x1="1" y1="5" x2="30" y2="5" stroke={colour} strokeWidth={width} strokeDasharray={dash} markerEnd={`url(#legend-arrow-${colour.slice(1)})`} />
  </svg>
)

/** The legend for the rules in use (the built-ins always) and for session and task states. */
export function GraphLegend({ rules }: { rules: string[] }) {
  const shown = [...new Set([...BUILTIN_RELATIONSHIPS, ...rules])]
  return (
    <section aria-labelledby="legend-title" className="space-y-2 text-xs" data-testid="graph-legend">
      <h2 id="legend-title" className="text-sm font-semibold">Legend</h2>
      <p className="text-muted">An arrow points from the task that goes first to the task that waits for it.</p>
      <ul className="space-y-1">
        {shown.map((r) => (
          <li key={r} className="flex items-center gap-2" title={r}><Line colour={ruleColour(r)} />{ruleName(r)}</li>
        ))}
      </ul>
      <ul className="space-y-1">
        <li className="flex items-center gap-2"><Line />session open or settled</li>
        <li className="flex items-center gap-2"><Line width={4} />escalated</li>
        <li className="flex items-center gap-2"><Line dash="5 4" />no session yet</li>
        <li className="flex items-center gap-2"><span className="inline-block h-2 w-2 rounded-full bg-sky-500" aria-hidden />claimed <span className="inline-block h-2 w-2 rounded-full bg-emerald-500" aria-hidden />completed <span className="inline-block h-2 w-2 rounded-full bg-zinc-400" aria-hidden />released</li>
        <li className="flex items-center gap-2"><span className="inline-block h-3 w-5 rounded border border-dashed border-zinc-400" aria-hidden />a neighbour from another repository</li>
      </ul>
    </section>
  )
}
