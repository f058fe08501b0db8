import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { detectCommand, formatPath } from './detect'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chorus-detect-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const capture = () => {
  const io = { stdout: '', stderr: '', out: (s: string) => void (io.stdout += s), err: (s: string) => void (io.stderr += s) }
  return io
}
const write = async (name: string, content: unknown) => {
  const file = join(dir, name)
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}
const t = (taskId: string, repository: string, title: string) => ({ taskId, projectId: 'p', repository, title, description: '' })

describe('detectCommand', () => {
  it('prints the dependencies of the shipped examples as JSON and returns 0', async () => {
    const io = capture()
    expect(await detectCommand('examples/tasks.json', {}, io)).toBe(0)
    expect(io.stderr).toBe('')
    const deps = JSON.parse(io.stdout) as { task1: string; task2: string; relationship: string; confidence: number; reason: string }[]
    const has = (a: string, b: string, rel: string) =>
      deps.some((d) => [d.task1, d.task2].sort().join() === [a, b].sort().join() && d.relationship === rel)
    expect(has('auth-api', 'auth-endpoint', 'API_Contract')).toBe(true)
    expect(has('auth-api', 'login-page', 'API_Contract')).toBe(true)
    expect(has('prefs-table', 'prefs-service', 'Database_Schema')).toBe(true)
    expect(has('flag-ui', 'flag-backend', 'Configuration_Dependency')).toBe(true)
    expect(has('jwt-refresh', 'auth-middleware', 'Security_Compliance')).toBe(true)
    expect(deps.some((d) => [d.task1, d.task2].includes('readme-typo'))).toBe(false)
    for (const d of deps) {
      expect(Object.keys(d).sort()).toEqual(['confidence', 'reason', 'relationship', 'task1', 'task2'])
      expect(d.task1 < d.task2).toBe(true)
    }
  })

  it('applies custom rules from --rules', async () => {
    const io = capture()
    expect(await detectCommand('examples/tasks.json', { rules: 'examples/rules.json' }, io)).toBe(0)
    const rels = new Set((JSON.parse(io.stdout) as { relationship: string }[]).map((d) => d.relationship))
    expect(rels.has('Dashboard_Rollout')).toBe(true)
    expect(rels.has('Profile_Screen')).toBe(true)
  })

  it('prints [] for tasks in one repository', async () => {
    const file = await write('same.json', [t('a', 'r', 'Define user authentication API'), t('b', 'r', 'Implement login page')])
    const io = capture()
    expect(await detectCommand(file, {}, io)).toBe(0)
    expect(JSON.parse(io.stdout)).toEqual([])
  })

  it('names the file and the bad field', async () => {
    const file = await write('bad.json', [t('a', 'r1', 'x'), t('b', 'r2', 'y'), t('c', 'r3', 'z'), { ...t('d', 'r4', 'w'), repository: 42 }])
    const io = capture()
    expect(await detectCommand(file, {}, io)).toBe(2)
    expect(io.stdout).toBe('')
    expect(io.stderr).toBe(`${file}: [3].repository: expected string, got number\n`)
  })

  it('reports missing fields and non-array input', async () => {
    const missing = await write('missing.json', [{ taskId: 'a', projectId: 'p', title: 'x' }])
    const io = capture()
    expect(await detectCommand(missing, {}, io)).toBe(2)
    expect(io.stderr).toContain(`${missing}: [0].repository: expected string, got nothing (missing)`)
    const object = await write('object.json', { tasks: [] })
    const io2 = capture()
    expect(await detectCommand(object, {}, io2)).toBe(2)
    expect(io2.stderr).toBe(`${object}: expected a JSON array of tasks, got object\n`)
  })

  it('rejects duplicate task ids', async () => {
    const file = await write('dup.json', [t('a', 'r1', 'x'), t('b', 'r2', 'y'), t('a', 'r3', 'z')])
    const io = capture()
    expect(await detectCommand(file, {}, io)).toBe(2)
    expect(io.stderr).toBe(`${file}: [2].taskId: duplicate of [0].taskId ("a")\n`)
  })

  it('reports unreadable files and invalid JSON', async () => {
    const io = capture()
    expect(await detectCommand(join(dir, 'nope.json'), {}, io)).toBe(2)
    expect(io.stderr).toBe(`${join(dir, 'nope.json')}: cannot read: ENOENT\n`)
    const broken = await write('broken.json', '[{"taskId": ')
    const io2 = capture()
    expect(await detectCommand(broken, {}, io2)).toBe(2)
    expect(io2.stderr).toMatch(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid JSON: `))
  })

  it('validates the rules file the same way', async () => {
    const tasks = await write('ok.json', [t('a', 'r1', 'x')])
    const rules = await write('rules.json', [{ name: 'Ok_Rule', description: 'd', keywords: ['x'] }, { name: '9bad', description: 'd', keywords: [] }])
    const io = capture()
    expect(await detectCommand(tasks, { rules }, io)).toBe(2)
    expect(io.stderr).toContain(`${rules}: [1].name: letters, digits and _; starts with a letter`)
    expect(io.stderr).toContain(`${rules}: [1].keywords:`)
  })
})

describe('detectCommand: CHORUS TaskContext JSON', () => {
  it('gives the same dependencies for the same tasks in our shape and in CHORUS shape', async () => {
    const chorus = JSON.parse(await readFile('examples/chorus-tasks.json', 'utf8')) as { task_id: number; project_id: number }[]
    const ours = (JSON.parse(await readFile('examples/tasks.json', 'utf8')) as Record<string, unknown>[]).map((t, i) => ({
      ...t,
      taskId: `${chorus[i].project_id}:${chorus[i].task_id}`,
      projectId: String(chorus[i].project_id),
    }))
    const [a, b] = [capture(), capture()]
    expect(await detectCommand('examples/chorus-tasks.json', {}, a)).toBe(0)
    expect(await detectCommand(await write('ours.json', ours), {}, b)).toBe(0)
    expect(a.stderr + b.stderr).toBe('')
    const deps = JSON.parse(a.stdout) as { relationship: string }[]
    expect(deps.length).toBeGreaterThanOrEqual(5)
    expect(a.stdout).toBe(b.stdout)
  })

  it('names the snake_case field when a CHORUS task is malformed', async () => {
    const file = await write('chorus-bad.json', [{ task_id: 1, project_id: 7, repository: 'r', title: 'x' }, { task_id: 2, project_id: 7, repository: 'r2' }])
    const io = capture()
    expect(await detectCommand(file, {}, io)).toBe(2)
    expect(io.stderr).toBe(`${file}: [1].title: expected string, got nothing (missing)\n`)
  })

  it('--conflicts also lists overlapping paths within a repository', async () => {
    const file = await write('paths.json', [
      { ...t('a', 'web', 'Login form'), paths: ['src/auth/**'] },
      { ...t('b', 'web', 'Session timeout'), paths: ['src/auth/session.ts'] },
      { ...t('c', 'api', 'Other repo'), paths: ['src/auth/**'] },
    ])
    const io = capture()
    expect(await detectCommand(file, { conflicts: true }, io)).toBe(0)
    expect(JSON.parse(io.stdout)).toEqual({ dependencies: [], conflicts: [{ task1: 'a', task2: 'b', repository: 'web', paths: [['src/auth/**', 'src/auth/session.ts']] }] })
  })
})

describe('formatPath', () => {
  it('writes indexes in brackets and keys with dots', () => {
    expect(formatPath([3, 'repository'])).toBe('[3].repository')
    expect(formatPath([0, 'requires', 1, 2])).toBe('[0].requires[1][2]')
    expect(formatPath([])).toBe('(top level)')
  })
})
