import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normalizePath, pathConflict, pathsOverlap } from './paths'
import { taskSchema } from './types'

describe('pathsOverlap', () => {
  it.each([
    ['src/auth/login.ts', 'src/auth/login.ts', true],
    ['./src/auth/', 'src/auth/login.ts', true],
    ['src/auth', 'src/authz/x.ts', false],
    ['src/auth/**', 'src/auth/deep/x.ts', true],
    ['src/**/*.ts', 'src/a/b/c.ts', true],
    ['src/**/*.ts', 'src/a/b/c.css', false],
    ['src/*.ts', 'src/auth', false],
    ['src/{auth,api}/login.ts', 'src/auth', true],
    ['**/*.ts', 'src', true],
    ['*.md', 'src', false],
    ['src/**/*.ts', 'src/**/*.css', false],
    ['src/**/*.ts', 'src/auth/**', true],
    ['docs/**', 'src/**', false],
    ['migrations/*_users.sql', 'migrations/001_*.sql', true],
    ['login*', 'log*', true],
  ])('%s ~ %s: %s', (a, b, expected) => {
    expect(pathsOverlap(a, b)).toBe(expected)
    expect(pathsOverlap(b, a)).toBe(expected)
  })

  it('a glob overlaps every literal path it matches, a directory everything below it (searched)', () => {
    const seg = fc.constantFrom('src', 'auth', 'api', 'login.ts', 'x.css', 'a')
    fc.assert(
      fc.property(fc.array(seg, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 4 }), fc.constantFrom('*', '**'), (segs, at, wild) => {
        const path = segs.join('/')
        const glob = segs.map((s, i) => (i === Math.min(at, segs.length - 1) ? wild : s)).join('/')
        expect(pathsOverlap(glob, path)).toBe(true)
        // A directory covers what lies below it; a file does not.
        expect(pathsOverlap(path, path + '/deeper/file.ts')).toBe(!segs[segs.length - 1].includes('.'))
      }),
    )
  })

  it('normalises and the schema refuses paths that leave the repository', () => {
    expect(normalizePath('./a//b/')).toBe('a/b')
    const base = { taskId: 't', projectId: 'p', repository: 'r', title: 'x' }
    expect(taskSchema.safeParse({ ...base, paths: ['src/**'] }).success).toBe(true)
    expect(taskSchema.safeParse({ ...base, paths: ['../other/x'] }).success).toBe(false)
  })
})

describe('pathConflict', () => {
  const task = (taskId: string, repository: string, paths?: string[]) => ({ taskId, repository, paths })
  it('only within one repository and between different tasks', () => {
    expect(pathConflict(task('a', 'acme/api', ['src/auth/**']), task('b', 'Acme/API.git', ['src/auth/login.ts']))).toEqual([['src/auth/**', 'src/auth/login.ts']])
    expect(pathConflict(task('a', 'acme/api', ['src/auth/**']), task('b', 'acme/web', ['src/auth/login.ts']))).toEqual([])
    expect(pathConflict(task('a', 'r', ['x']), task('a', 'r', ['x']))).toEqual([])
    expect(pathConflict(task('a', 'r'), task('b', 'r', ['x']))).toEqual([])
  })
})
