/**
 * The baseline: CHORUS's DependencyDetector algorithm (pkg/coordination), reconstructed from
 * DESIGN §2: every pair of tasks in different repositories, every rule, raw lower-case
 * substring keyword matching, constant confidence 0.8. One concession in its favour: texts
 * are lower-cased once per task, not once per comparison.
 */
import type { Dependency, Task } from '../lib/core/rules/types'

interface SubstringRule {
  readonly name: string
  readonly keywords: readonly string[]
  /** CHORUS's extra check for a pair that passed the keywords; absent means none. */
  readonly validate?: (a: string, b: string) => boolean
}

const RULES: readonly SubstringRule[] = [
  {
    name: 'API_Contract',
    keywords: ['api', 'endpoint', 'contract', 'interface', 'schema'],
    validate: (a, b) => (a.includes('api') && b.includes('implement')) || (b.includes('api') && a.includes('implement')),
  },
  { name: 'Database_Schema', keywords: ['database', 'schema', 'migration', 'table', 'model'] },
  { name: 'Configuration_Dependency', keywords: ['config', 'environment', 'settings', 'parameters'] },
  { name: 'Security_Compliance', keywords: ['security', 'auth', 'permission', 'compliance'] },
]

/** A task prepared the way the baseline compares it. */
export interface BaselineTask {
  readonly taskId: string
  readonly repository: string
  readonly text: string
}

/** Lower-cases title and description once. */
export const prepareBaseline = (t: Task): BaselineTask => ({
  taskId: t.taskId,
  repository: t.repository,
  text: `${t.title} ${t.description ?? ''}`.toLowerCase(),
})

const mentions = (text: string, keywords: readonly string[]) => keywords.some((k) => text.includes(k))

/** The baseline's verdict on one pair. */
export function baselinePair(a: BaselineTask, b: BaselineTask, out: Dependency[]): void {
  if (a.repository === b.repository) return
  for (const rule of RULES) {
    if (!mentions(a.text, rule.keywords) || !mentions(b.text, rule.keywords)) continue
    if (rule.validate && !rule.validate(a.text, b.text)) continue
    const [task1, task2] = a.taskId < b.taskId ? [a.taskId, b.taskId] : [b.taskId, a.taskId]
    out.push({ task1, task2, relationship: rule.name, confidence: 0.8, reason: `keywords of ${rule.name}` })
  }
}

/** Every pair: O(N²). */
export function baselineAll(tasks: readonly BaselineTask[]): Dependency[] {
  const out: Dependency[] = []
  for (let i = 0; i < tasks.length; i++) for (let j = i + 1; j < tasks.length; j++) baselinePair(tasks[i], tasks[j], out)
  return out
}
