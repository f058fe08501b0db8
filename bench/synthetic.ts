/**
 * Synthetic tasks with a realistic shape: titles from per-rule templates over a Zipf-distributed
 * entity vocabulary (a few entities are everywhere, most are rare, as in real backlogs), noise
 * tasks, short descriptions, and many repositories. Seeded, so every run sees the same tasks.
 */
import type { Task } from '../lib/core/rules/types'
import { rng } from '../lib/core/testing/rng'

export { rng }

const BASE_ENTITIES = `order invoice payment cart product catalog inventory shipment notification email preference
 profile review rating search recommendation coupon discount subscription plan team project workspace comment
 attachment upload avatar report dashboard metric alert audit integration export import backup tenant region
 currency tax refund return warehouse supplier vendor customer address contact message chat thread channel
 calendar event booking reservation ticket queue job schedule workflow approval document template signature
 invitation membership role organization billing pricing quote contract lead opportunity campaign segment survey
 feedback poll article post tag category label media image video playlist course lesson quiz grade enrollment
 patient appointment prescription device sensor firmware telemetry location route trip driver vehicle fleet
 parcel label barcode receipt ledger transaction wallet transfer payout merchant store menu recipe delivery
 courier rider wishlist bundle variant sku stock forecast budget expense timesheet payroll leave holiday shift`
  .split(/\s+/)
  .filter(Boolean)
const QUALIFIERS = ['history', 'settings', 'summary', 'status', 'sync', 'limits', 'archive', 'preview', 'bulk', 'draft']
const LIBS = ['lodash', 'react', 'express', 'axios', 'webpack', 'jest', 'eslint', 'typescript', 'pg', 'redis']

const TEMPLATES: readonly string[] = [
  // API_Contract
  'Define {e} API', 'Implement {e} endpoint', 'Implement {e} page', 'Add REST endpoint for {e} {q}',
  'Call {e} API from mobile app', 'Document {e} API contract', 'Build {e} {q} screen',
  // Database_Schema
  'Add {e} table', 'Add migration for {e} {q} column', 'Update {e} service for {e2}', 'Query {e} in reporting service',
  // Configuration_Dependency
  'Add feature flag for {e} {q}', 'Implement feature flag checks for {e}', 'Add env var for {e} timeout',
  // Security_Compliance
  'Implement JWT token refresh for {e}', 'Update authentication middleware for {e}', 'Add permission checks to {e}',
  'Encrypt {e} data at rest',
  // Noise
  'Fix typo in {e} docs', 'Bump {lib} version', 'Refactor {e} tests', 'Improve {e} logging', 'Upgrade {lib}',
  'Investigate flaky {e} job', 'Clean up {e} {q} code',
]
const FILLER = `part of the quarterly roadmap see notes in the tracker owner will pair with the platform team keep
 backwards compatible follow the usual review process coordinate rollout with support measure latency before and
 after`.split(/\s+/).filter(Boolean)

/** Draws from a Zipf(s=1) distribution over n items via the inverse CDF. */
function zipf(n: number, random: () => number): () => number {
  const cdf: number[] = []
  let sum = 0
  for (let i = 1; i <= n; i++) cdf.push((sum += 1 / i))
  return () => {
    const x = random() * sum
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cdf[mid] < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/** `count` synthetic tasks over `repositories` repositories, deterministic for a seed. */
export function syntheticTasks(count: number, opts: { repositories?: number; seed?: number } = {}): Task[] {
  const random = rng(opts.seed ?? 42)
  // Entities: base nouns and "noun qualifier" compounds, so the vocabulary grows with the room.
  const entities = [...BASE_ENTITIES, ...BASE_ENTITIES.flatMap((e) => QUALIFIERS.map((q) => `${e}${q[0].toUpperCase()}${q.slice(1)}`))]
  const entity = zipf(entities.length, random)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]
  const repos = opts.repositories ?? 1000
  const tasks: Task[] = []
  for (let i = 0; i < count; i++) {
    const e = entities[entity()]
    const title = pick(TEMPLATES)
      .replace('{e}', e)
      .replace('{e2}', entities[entity()])
      .replace('{q}', pick(QUALIFIERS))
      .replace('{lib}', pick(LIBS))
    const words = Array.from({ length: 6 + Math.floor(random() * 10) }, () => pick(FILLER))
    tasks.push({
      taskId: `task-${String(i).padStart(6, '0')}`,
      projectId: 'bench',
      repository: `org/${pick(BASE_ENTITIES)}-${Math.floor(random() * repos)}`,
      title,
      description: `${words.join(' ')} ${entities[entity()]}.`,
    })
  }
  return tasks
}
