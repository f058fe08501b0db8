/**
 * Reads artifacts from the files an agent points at (ADR 0080): an OpenAPI document (JSON or
 * YAML: each path and method), SQL migrations (tables created, altered, indexed or dropped),
 * `.proto` files (top-level messages, services and their methods), GraphQL SDL (fields of
 * Query, Mutation and Subscription) and `.env.example` (variable names). Producers by default,
 * except environment variables, which a `.env.example` lists for the code that reads them.
 */
import { readFile } from 'node:fs/promises'
import { basename, extname, isAbsolute, relative, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { parseArtifact, type ArtifactRole } from '../../core/rules/artifacts'
import type { ArtifactRef } from '../../core/rules/types'

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace']

/** `openapi:METHOD /path` for every operation of an OpenAPI (or Swagger) document. */
export function fromOpenApi(text: string): string[] {
  const doc = (text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text)) as { paths?: Record<string, Record<string, unknown>> }
  const out: string[] = []
  for (const [path, item] of Object.entries(doc?.paths ?? {})) {
    for (const m of Object.keys(item ?? {})) if (METHODS.includes(m.toLowerCase())) out.push(`openapi:${m.toUpperCase()} ${path}`)
  }
  return out
}

const stripSqlComments = (sql: string) => sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ')
const IDENT = String.raw`((?:"[^"]+"|\x60[^\x60]+\x60|[A-Za-z_][A-Za-z0-9_$]*)(?:\.(?:"[^"]+"|\x60[^\x60]+\x60|[A-Za-z_][A-Za-z0-9_$]*))?)`

/** `table:NAME` for each table a migration creates, alters, indexes or drops. */
export function fromSql(text: string): string[] {
  const sql = stripSqlComments(text)
  const patterns = [
    new RegExp(String.raw`\bcreate\s+(?:(?:global\s+|local\s+)?(?:temporary|temp)\s+|unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?${IDENT}`, 'gi'),
    new RegExp(String.raw`\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${IDENT}`, 'gi'),
    new RegExp(String.raw`\bdrop\s+table\s+(?:if\s+exists\s+)?${IDENT}`, 'gi'),
    new RegExp(String.raw`\bcreate\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:[A-Za-z_][A-Za-z0-9_]*\s+)?on\s+(?:only\s+)?${IDENT}`, 'gi'),
  ]
  return patterns.flatMap((re) => [...sql.matchAll(re)].map((m) => `table:${m[1]}`))
}

/** `proto:pkg.Message`, `proto:pkg.Service/Method` for top-level declarations of a `.proto` file. */
export function fromProto(text: string): string[] {
  const src = text.replace(/\/\/[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ')
  const pkg = /\bpackage\s+([A-Za-z_][A-Za-z0-9_.]*)\s*;/.exec(src)?.[1]
  const prefix = pkg ? `${pkg}.` : ''
  const out: string[] = []
  let depth = 0
  let service: string | null = null
  const token = /\b(message|enum|service)\s+([A-Za-z_][A-Za-z0-9_]*)\s*\{|\brpc\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(|[{}]/g
  for (const m of src.matchAll(token)) {
    if (m[1]) {
      if (depth === 0) {
        if (m[1] === 'service') service = m[2]
        out.push(`proto:${prefix}${m[2]}`)
      }
      depth++
    } else if (m[3]) {
      if (service && depth === 1) out.push(`proto:${prefix}${service}/${m[3]}`)
    } else if (m[0] === '{') depth++
    else if (--depth === 0) service = null
  }
  return out
}

/** `graphql:Query.field` (and Mutation, Subscription) for the root fields of GraphQL SDL. */
export function fromGraphql(text: string): string[] {
  const src = text.replace(/#[^\n]*/g, ' ').replace(/"""[\s\S]*?"""/g, ' ')
  const out: string[] = []
  for (const m of src.matchAll(/\b(?:extend\s+)?type\s+(Query|Mutation|Subscription)\b[^{]*\{([^}]*)\}/g)) {
    for (const f of m[2].matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*[(:]/gm)) out.push(`graphql:${m[1]}.${f[1]}`)
  }
  return out
}

/** `env:NAME` for each variable of a dotenv file. */
export function fromDotenv(text: string): string[] {
  return [...text.matchAll(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)].map((m) => `env:${m[1]}`)
}

type Reader = { read: (text: string) => string[]; role: ArtifactRole }

/** Which reader a file gets, from its name (OpenAPI by name or by an `openapi`/`swagger` key). */
function readerFor(file: string, text: string): Reader | null {
  const name = basename(file).toLowerCase()
  const ext = extname(name)
  if (name.startsWith('.env') || ext === '.env') return { read: fromDotenv, role: 'consume' }
  if (ext === '.sql') return { read: fromSql, role: 'define' }
  if (ext === '.proto') return { read: fromProto, role: 'define' }
  if (ext === '.graphql' || ext === '.graphqls' || ext === '.gql') return { read: fromGraphql, role: 'define' }
  if (['.yaml', '.yml', '.json'].includes(ext) && /["']?(openapi|swagger)["']?\s*:/.test(text)) return { read: fromOpenApi, role: 'define' }
  return null
}

/** Why a file cannot be read for artifacts. */
export class ExtractError extends Error {
  static override name = 'ExtractError'
}

/**
 * The artifacts declared by `files` (relative to `root`, which they may not leave), with the
 * reader's default role unless `role` is given. Malformed ids are dropped, duplicates merged.
 */
export async function extractArtifacts(files: readonly string[], opts: { root?: string; role?: ArtifactRole } = {}): Promise<ArtifactRef[]> {
  const root = resolve(opts.root ?? process.cwd())
  const seen = new Set<string>()
  const out: ArtifactRef[] = []
  for (const file of files) {
    const full = resolve(root, file)
    const rel = relative(root, full)
    if (rel.startsWith('..') || isAbsolute(rel)) throw new ExtractError(`${file}: outside ${root}`)
    let text: string
    try {
      text = await readFile(full, 'utf8')
    } catch (e) {
      throw new ExtractError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
    }
    const reader = readerFor(full, text)
    if (!reader) throw new ExtractError(`${file}: not an OpenAPI document, SQL migration, .proto, GraphQL schema or .env file`)
    let ids: string[]
    try {
      ids = reader.read(text)
    } catch (e) {
      throw new ExtractError(`${file}: cannot parse: ${(e as Error).message}`)
    }
    const role = opts.role ?? reader.role
    for (const id of ids) {
      const p = parseArtifact(id)
      if (!p || seen.has(`${p.key}|${role}`)) continue
      seen.add(`${p.key}|${role}`)
      out.push({ id: p.key, role })
    }
  }
  return out
}
