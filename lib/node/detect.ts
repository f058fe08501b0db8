/**
 * `chorus-mesh detect FILE [--rules RULES]`: the dependency rules, offline, on a JSON file of
 * tasks (DESIGN §7) in our shape or CHORUS's TaskContext shape (mixed freely). Thin over
 * lib/core/rules; all validation errors name the file and field. Also lists path conflicts
 * (same repository, overlapping paths) when `--conflicts` is given.
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { parseTask } from '../core/rules/chorus'
import { DependencyIndex } from '../core/rules/dependency-index'
import { pathConflict } from '../core/rules/paths'
import { customRuleSchema, type CustomRule, type Task } from '../core/rules/types'

/** Where the command writes; defaults to the process streams. */
export interface DetectIo {
  out(s: string): void
  err(s: string): void
}

/** Exit codes of the command. */
export const EXIT = { ok: 0, failure: 1, invalidInput: 2 } as const

const processIo: DetectIo = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
}

/** Bad input, already worded for the user. */
class InputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InputError'
  }
}

const MAX_ISSUES_SHOWN = 5

/** `[3].repository`, `[0].requires[1][2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(top level)'
}

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)

const valueAt = (root: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), root)

/** One line per issue: `file: [3].repository: expected string, got number`. */
function describeIssues(file: string, root: unknown, issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => {
    const at = formatPath(issue.path)
    if (issue.code === 'invalid_type') {
      const value = valueAt(root, issue.path)
      return `${file}: ${at}: expected ${issue.expected}, got ${value === undefined ? 'nothing (missing)' : kindOf(value)}`
    }
    return `${file}: ${at}: ${issue.message}`
  })
  if (issues.length > MAX_ISSUES_SHOWN) lines.push(`${file}: … and ${issues.length - MAX_ISSUES_SHOWN} more problems`)
  return lines.join('\n')
}

async function readJson(file: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    throw new InputError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new InputError(`${file}: invalid JSON: ${(e as Error).message}`)
  }
}

async function load<T>(file: string, schema: z.ZodType<T[]>, what: string): Promise<T[]> {
  const data = await readJson(file)
  if (!Array.isArray(data)) throw new InputError(`${file}: expected a JSON array of ${what}, got ${kindOf(data)}`)
  const parsed = schema.safeParse(data)
  if (!parsed.success) throw new InputError(describeIssues(file, data, parsed.error.issues))
  return parsed.data
}

/** Tasks in either shape; issue paths are prefixed with the task's index. */
async function loadTasks(file: string): Promise<Task[]> {
  const data = await readJson(file)
  if (!Array.isArray(data)) throw new InputError(`${file}: expected a JSON array of tasks, got ${kindOf(data)}`)
  const issues: z.core.$ZodIssue[] = []
  const tasks: Task[] = []
  data.forEach((v, i) => {
    const r = parseTask(v)
    if (r.success) tasks.push(r.data)
    else issues.push(...r.issues.map((issue) => ({ ...issue, path: [i, ...issue.path] })))
  })
  if (issues.length) throw new InputError(describeIssues(file, data, issues))
  return tasks
}

function checkUnique(file: string, tasks: readonly Task[]): void {
  const first = new Map<string, number>()
  tasks.forEach((t, i) => {
    const j = first.get(t.taskId)
    if (j !== undefined) throw new InputError(`${file}: [${i}].taskId: duplicate of [${j}].taskId ("${t.taskId}")`)
    first.set(t.taskId, i)
  })
}

/**
 * Runs the rules on the tasks in `file` (and the custom rules in `opts.rules`), prints the
 * dependencies as a JSON array, and returns the exit code: 0, or 2 on invalid input.
 */
export async function detectCommand(file: string, opts: { rules?: string; conflicts?: boolean }, io: DetectIo = processIo): Promise<number> {
  try {
    const tasks = await loadTasks(file)
    checkUnique(file, tasks)
    const rules: CustomRule[] = opts.rules ? await load(opts.rules, z.array(customRuleSchema), 'rules') : []
    const index = new DependencyIndex(rules)
    for (const t of tasks) index.addTask(t)
    const deps = index.all().map(({ task1, task2, relationship, confidence, reason }) => ({ task1, task2, relationship, confidence, reason }))
    if (opts.conflicts) {
      const conflicts = []
      for (let i = 0; i < tasks.length; i++) {
        for (let j = i + 1; j < tasks.length; j++) {
          const [a, b] = tasks[i].taskId < tasks[j].taskId ? [tasks[i], tasks[j]] : [tasks[j], tasks[i]]
          const paths = pathConflict(a, b)
          if (paths.length) conflicts.push({ task1: a.taskId, task2: b.taskId, repository: a.repository, paths })
        }
      }
      io.out(`${JSON.stringify({ dependencies: deps, conflicts }, null, 2)}\n`)
    } else io.out(`${JSON.stringify(deps, null, 2)}\n`)
    return EXIT.ok
  } catch (e) {
    if (e instanceof InputError) {
      io.err(`${e.message}\n`)
      return EXIT.invalidInput
    }
    io.err(`detect failed: ${(e as Error).stack ?? String(e)}\n`)
    return EXIT.failure
  }
}
