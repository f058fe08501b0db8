/**
 * lib/core stays pure (STYLE.md): no React, Next, zustand, libp2p or Node imports in
 * non-test files, so it runs in browsers, agents and tests alike.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = new URL('.', import.meta.url).pathname
const FORBIDDEN = [/^react(\/|$)/, /^react-dom(\/|$)/, /^next(\/|$)/, /^zustand(\/|$)/, /^libp2p(\/|$)/, /^@libp2p\//, /^@chainsafe\//, /^node:/]
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]]))
/** Test helpers may use devDependencies, but never the forbidden runtimes either. */
const isTest = (file: string) => /\.test\.ts$/.test(file)

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name)
    if (d.isDirectory()) return sourceFiles(p)
    return /\.tsx?$/.test(d.name) && !isTest(d.name) ? [p] : []
  })
}

/** Module specifiers of static imports, re-exports and dynamic imports. */
function importsOf(source: string): string[] {
  const specs: string[] = []
  const re = /(?:\bimport\s+(?:type\s+)?(?:[^'"`;]*?\bfrom\s*)?|\bexport\s+(?:type\s+)?[^'"`;]*?\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g
  for (const m of source.matchAll(re)) specs.push(m[1])
  return specs
}

/** Why a specifier is forbidden in lib/core, or null. */
function forbidden(spec: string): string | null {
  if (FORBIDDEN.some((r) => r.test(spec))) return 'forbidden package'
  if (BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0])) return 'Node built-in'
  return null
}

describe('lib/core import boundary', () => {
  it('finds imports of every form', () => {
    const src = `import a from 'react'\nimport type { B } from "next/link"\nexport { c } from '@libp2p/peer-id'\nconst d = await import('node:fs')\nimport 'zustand'\nimport { e } from './ok'`
    expect(importsOf(src)).toEqual(['react', 'next/link', '@libp2p/peer-id', 'node:fs', 'zustand', './ok'])
    expect(importsOf(src).map(forbidden)).toEqual(['forbidden package', 'forbidden package', 'forbidden package', 'forbidden package', 'forbidden package', null])
    expect(forbidden('crypto')).toBe('Node built-in')
    expect(forbidden('fs/promises')).toBe('Node built-in')
    expect(forbidden('@chainsafe/libp2p-noise')).toBe('forbidden package')
    expect(forbidden('@noble/hashes/sha2.js')).toBeNull()
  })

  it('holds for every non-test file under lib/core', () => {
    const files = sourceFiles(ROOT)
    expect(files.length).toBeGreaterThan(20)
    const violations = files.flatMap((f) =>
      importsOf(readFileSync(f, 'utf8'))
        .map((spec) => [spec, forbidden(spec)] as const)
        .filter(([, why]) => why)
        .map(([spec, why]) => `${relative(ROOT, f)}: ${spec} (${why})`),
    )
    expect(violations).toEqual([])
  })

  it('keeps Buffer out of non-test code', () => {
    const users = sourceFiles(ROOT).filter((f) => /\bBuffer\./.test(readFileSync(f, 'utf8')))
    expect(users.map((f) => relative(ROOT, f))).toEqual([])
  })
})
