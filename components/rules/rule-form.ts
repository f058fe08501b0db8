/** The custom-rule form: fields → a validated declarative rule, and its preview on current tasks. */
import { DependencyIndex } from '@/lib/core/rules/dependency-index'
import { customRuleSchema, type CustomRule, type Dependency, type Task } from '@/lib/core/rules/types'

/** The form's raw fields; lists are comma-separated. */
export interface RuleFields {
  name: string
  description: string
  keywords: string
  requiresA: string
  requiresB: string
}

export const EMPTY_RULE: RuleFields = { name: '', description: '', keywords: '', requiresA: '', requiresB: '' }

const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter(Boolean)

/** The rule, or one message per invalid field (keyed by field name). */
export function ruleFromFields(f: RuleFields): { ok: true; rule: CustomRule } | { ok: false; errors: Partial<Record<keyof RuleFields, string>> } {
  const [a, b] = [list(f.requiresA), list(f.requiresB)]
  if ((a.length > 0) !== (b.length > 0)) return { ok: false, errors: { [a.length ? 'requiresB' : 'requiresA']: 'give terms for both sides, or neither' } }
  const r = customRuleSchema.safeParse({ name: f.name.trim(), description: f.description.trim(), keywords: list(f.keywords), ...(a.length ? { requires: [a, b] } : {}) })
  if (r.success) return { ok: true, rule: r.data }
  const errors: Partial<Record<keyof RuleFields, string>> = {}
  for (const issue of r.error.issues) {
    const field = issue.path[0] === 'requires' ? (issue.path[1] === 1 ? 'requiresB' : 'requiresA') : (issue.path[0] as keyof RuleFields)
    errors[field] ??= issue.message
  }
  return { ok: false, errors }
}

/** What the rule would detect among `tasks` (with the room's other custom rules in force), strongest first. */
export function previewRule(rule: CustomRule, tasks: readonly Task[], others: readonly CustomRule[] = []): Dependency[] {
  const index = new DependencyIndex([...others.filter((o) => o.name !== rule.name), rule])
  const found: Dependency[] = []
  for (const t of tasks) for (const d of index.addTask(t)) if (d.relationship === rule.name) found.push(d)
  return found.sort((p, q) => q.confidence - p.confidence)
}
