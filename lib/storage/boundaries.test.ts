/**
 * Import boundaries of lib/storage: stores take plain records and never reach into lib/core,
 * lib/net or lib/node; the modules a browser bundle loads never import Node built-ins or
 * better-sqlite3 (only sqlite-*.ts and tests may).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const dir = fileURLToPath(new URL('.', import.meta.url))
const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
// `import … from 'x'`, `export … from 'x'`, `import 'x'`, `import('x')`.
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g
const importsOf = (file: string) =>
  [...readFileSync(`${dir}/${file}`, 'utf8').matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3])
const nodeOnly = (f: string) => f.startsWith('sqlite-') || f.startsWith('testing/') || f.endsWith('.test.ts')

describe('lib/storage import boundaries', () => {
  it('finds the modules it checks', () => {
    expect(files).toEqual(expect.arrayContaining(['event-store.ts', 'memory-store.ts', 'idb-store.ts', 'sqlite-store.ts']))
  })

  it.each(files)('%s does not import lib/core, lib/net or lib/node', (file) => {
    for (const spec of importsOf(file)) expect(spec).not.toMatch(/(^|\/)(core|net|node)(\/|$)|^@\/lib\/(core|net|node)/)
  })

  it.each(files.filter((f) => !nodeOnly(f)))('%s is browser-safe (no Node built-ins, no better-sqlite3)', (file) => {
    for (const spec of importsOf(file)) expect(spec).not.toMatch(/^node:|^better-sqlite3$|^(fs|path|os|child_process)$/)
  })
})
