/**
 * Derived events from artifacts and paths stay verifiable by recomputation (DESIGN §1), under
 * search: random tasks with random artifacts and paths, claimed by random agents in random
 * repositories. Every `dependency.detected` and path-conflict `session.opened` that `due`
 * emits is admitted; a fresh replica fed the log in a shuffled order folds the same state; and
 * a forged `dependency.detected` is admitted exactly when the rules really produce it.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PATHS_RULE } from '../sessions/path-conflict'
import { sessionIdOf } from '../sessions/ids'
import { stateDigest } from '../state/digest'
import { Replica } from '../state/replica'
import { forge } from '../testing/forge'
import { replicaRoom } from '../testing/replica'
import { testVerifier } from '../testing/ed25519'
import { detectPair } from './detect'
import { pathConflict } from './paths'
import { BUILTIN_RELATIONSHIPS, type Task } from './types'

const ARTIFACTS = ['openapi:POST /v1/login', 'openapi:GET /users/{id}', 'table:prefs', 'env:RATE_LIMIT', 'event:order.created', 'proto:auth.v1.Login']
const PATHS = ['src/**', 'src/auth/login.ts', 'src/*.css', 'docs/**', 'migrations/001_*.sql', 'README.md']

const spec = fc.record({
  who: fc.nat(2),
  repo: fc.constantFrom('acme/api', 'acme/web', 'acme/db'),
  title: fc.constantFrom('Tidy things', 'Define user authentication API', 'Implement login page', 'Add user preferences table'),
  artifacts: fc.array(fc.record({ id: fc.constantFrom(...ARTIFACTS), role: fc.constantFrom('define' as const, 'consume' as const) }), { maxLength: 3 }),
  paths: fc.array(fc.constantFrom(...PATHS), { maxLength: 2 }),
})

describe('artifact and path derived events under search', () => {
  it('are admitted when due, converge in any order, and forgeries are admitted only when true', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { minLength: 2, maxLength: 6 }), fc.nat(1000), fc.nat(5), fc.nat(5), fc.constantFrom(...BUILTIN_RELATIONSHIPS), async (specs, seed, i, j, rel) => {
        const room = await replicaRoom()
        const agents = [await room.member('a0', 'agent'), await room.member('a1', 'agent'), await room.member('a2', 'agent')]
        const tasks: Task[] = specs.map((s, n) => ({ taskId: `t${n}`, projectId: 'p', repository: s.repo, title: s.title, description: '', artifacts: s.artifacts, ...(s.paths.length ? { paths: s.paths } : {}) }))
        const claims = []
        for (const [n, t] of tasks.entries()) claims.push(await room.replica.author(agents[specs[n].who], 'task.claimed', t))
        for (let round = 0; round < 4 && (await room.emitDue(agents[round % 3])) > 0; round++);
        const state = room.replica.state
        // Every dependency the rules find among the claims was announced, and every lease clash opened.
        const expectedDeps = tasks.flatMap((a, x) => tasks.slice(x + 1).flatMap((b) => detectPair(a, b)))
        expect(state.dependencies.size).toBe(expectedDeps.length)
        for (let x = 0; x < tasks.length; x++) {
          for (let y = x + 1; y < tasks.length; y++) {
            const clash = specs[x].who !== specs[y].who && pathConflict(tasks[x], tasks[y]).length > 0
            const [p, q] = [tasks[x].taskId, tasks[y].taskId].sort()
            expect(state.sessions.has(sessionIdOf('conflict', [p, q], PATHS_RULE))).toBe(clash)
          }
        }
        // Any delivery order folds to the same state.
        const events = room.replica.log.all()
        const shuffled = [...events].sort((e1, e2) => ((e1.id.charCodeAt(7 + (seed % 40)) ^ seed) & 7) - ((e2.id.charCodeAt(7 + (seed % 40)) ^ seed) & 7))
        const other = new Replica({ room: events[0].id, verifier: testVerifier, now: room.clock.now })
        for (let pass = 0; pass < 2; pass++) for (const e of shuffled) await other.add(e)
        expect(stateDigest(other.state)).toBe(stateDigest(state))
        // A forged dependency between two claims is admitted exactly when the rules produce it.
        const [a, b] = [i % tasks.length, j % tasks.length]
        if (a === b) return
        const [x, y] = tasks[a].taskId < tasks[b].taskId ? [a, b] : [b, a]
        const forged = await forge(room.replica.log, agents[0], 'dependency.detected', { dependency: { task1: tasks[x].taskId, task2: tasks[y].taskId, relationship: rel, confidence: 0.95, reason: 'forged' }, claims: [claims[x].id, claims[y].id] }, room.clock.now())
        const result = await room.replica.add(forged)
        const true_ = detectPair(tasks[x], tasks[y]).some((d) => d.relationship === rel)
        expect(result.status === 'rejected' && result.reason === 'derived_unverified').toBe(!true_)
      }),
      { numRuns: 40 },
    )
  }, 120_000)
})
