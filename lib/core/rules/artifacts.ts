/**
 * Artifacts: typed identifiers of the contracts a task defines or consumes
 * (`openapi:POST /v1/login`, `table:user_preferences`, `env:RATE_LIMIT`, `proto:auth.v1.Login`,
 * `graphql:Query.invoices`, `event:order.created`). Two tasks in different repositories that
 * meet on one artifact — one defines it, the other consumes it — depend on each other, producer
 * first. Identifiers are compared after a per-kind normalisation, never as words, so a task
 * that merely mentions "login" in its text never meets `openapi:POST /v1/login` (ADR 0080).
 * This file is part of the detection rules: changing it changes which `dependency.detected`
 * events verify.
 */
import { noisyOr } from './evidence'
import type { BuiltinRelationship } from './types'

export const ARTIFACT_KINDS = ['openapi', 'table', 'env', 'proto', 'graphql', 'event'] as const
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number]
export const ARTIFACT_ROLES = ['define', 'consume'] as const
export type ArtifactRole = (typeof ARTIFACT_ROLES)[number]

/** The relationship a shared artifact of each kind stands for (an event topic is an asynchronous API). */
export const ARTIFACT_RELATIONSHIP: Readonly<Record<ArtifactKind, BuiltinRelationship>> = {
  openapi: 'API_Contract',
  proto: 'API_Contract',
  graphql: 'API_Contract',
  event: 'API_Contract',
  table: 'Database_Schema',
  env: 'Configuration_Dependency',
}

const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'])

/** A parsed artifact identifier: `key` is what two tasks are compared on. */
export interface ParsedArtifact {
  readonly kind: ArtifactKind
  /** `kind:normalised name`; equal keys denote the same artifact. */
  readonly key: string
}

/** `/v1/users/{id}/` and `/V1/users/:userId` → `/v1/users/{}`: path parameters are positional. */
function normalizeHttpPath(path: string): string | null {
  if (!path.startsWith('/') || /\s/.test(path)) return null
  const segments = path.split('/').filter((s) => s.length > 0)
  const norm = segments.map((s) => (/^\{[^}]*\}$/.test(s) || /^:[A-Za-z_][A-Za-z0-9_]*$/.test(s) || /^<[^>]*>$/.test(s) ? '{}' : s.toLowerCase()))
  return '/' + norm.join('/')
}

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/

function normalizeName(kind: ArtifactKind, raw: string): string | null {
  const name = raw.trim()
  switch (kind) {
    case 'openapi': {
      const m = /^([A-Za-z]+)\s+(\S+)$/.exec(name)
      if (!m || !HTTP_METHODS.has(m[1].toUpperCase())) return null
      const path = normalizeHttpPath(m[2])
      return path && `${m[1].toUpperCase()} ${path}`
    }
    case 'table': {
      // SQL folds unquoted identifiers; `public.` is the default schema, so it is dropped.
      const t = name.replace(/["`[\]]/g, '').toLowerCase()
      if (!DOTTED.test(t) || t.split('.').length > 2) return null
      return t.startsWith('public.') ? t.slice('public.'.length) : t
    }
    case 'env':
      return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name.toUpperCase() : null
    case 'proto': {
      // A message or service (`auth.v1.Login`) or a method (`auth.v1.AuthService/Login`); case-sensitive, as protobuf is.
      const [full, method, extra] = name.split('/')
      if (extra !== undefined || !DOTTED.test(full) || (method !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(method))) return null
      return method === undefined ? full : `${full}/${method}`
    }
    case 'graphql':
      // `Type.field` (or a bare type); GraphQL names are case-sensitive.
      return DOTTED.test(name) && name.split('.').length <= 2 ? name : null
    case 'event':
      return /^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$/.test(name) ? name.toLowerCase() : null
  }
}

/** Parses `kind:name`; null when the kind is unknown or the name is not well-formed for it. */
export function parseArtifact(id: string): ParsedArtifact | null {
  const colon = id.indexOf(':')
  if (colon <= 0) return null
  const kind = id.slice(0, colon).trim().toLowerCase()
  if (!(ARTIFACT_KINDS as readonly string[]).includes(kind)) return null
  const name = normalizeName(kind as ArtifactKind, id.slice(colon + 1))
  return name ? { kind: kind as ArtifactKind, key: `${kind}:${name}` } : null
}

/** True if `id` is a well-formed artifact identifier (the task schema's check). */
export const isArtifactId = (id: string): boolean => parseArtifact(id) !== null

/** What a task declares about one artifact, after merging duplicates. */
export interface DeclaredArtifact {
  readonly kind: ArtifactKind
  /** The normalised identifier (the key), which reasons and plans show. */
  readonly id: string
  readonly define: boolean
  readonly consume: boolean
}

/** Shared by every task without artifacts: most tasks have none, and features are kept per task. */
const NONE: ReadonlyMap<string, DeclaredArtifact> = new Map()

/** A task's artifacts by key (declarations of one artifact merge; a malformed id is skipped). */
export function declaredArtifacts(list: readonly { id: string; role: ArtifactRole }[] | undefined): ReadonlyMap<string, DeclaredArtifact> {
  if (!list?.length) return NONE
  const out = new Map<string, DeclaredArtifact>()
  for (const a of list ?? []) {
    const p = parseArtifact(a.id)
    if (!p) continue
    const had = out.get(p.key)
    out.set(p.key, {
      kind: p.kind,
      id: p.key,
      define: (had?.define ?? false) || a.role === 'define',
      consume: (had?.consume ?? false) || a.role === 'consume',
    })
  }
  return out
}

/** One artifact two tasks meet on: who produces it (null when both define it). */
export interface SharedArtifact {
  readonly key: string
  readonly kind: ArtifactKind
  readonly id: string
  /** 'x' or 'y': the side that defines it while the other consumes it; null if both define it. */
  readonly producer: 'x' | 'y' | null
}

/**
 * The artifacts x and y meet on: one defines and the other consumes, or both define (two
 * producers of one contract must settle it). Two consumers do not depend on each other.
 */
export function sharedArtifacts(x: ReadonlyMap<string, DeclaredArtifact>, y: ReadonlyMap<string, DeclaredArtifact>): SharedArtifact[] {
  const [small, large, smallIsX] = x.size <= y.size ? [x, y, true] : [y, x, false]
  const out: SharedArtifact[] = []
  for (const [key, s] of small) {
    const l = large.get(key)
    if (!l) continue
    const [ax, ay] = smallIsX ? [s, l] : [l, s]
    let producer: 'x' | 'y' | null
    if (ax.define && ay.consume && !ay.define) producer = 'x'
    else if (ay.define && ax.consume && !ax.define) producer = 'y'
    else if (ax.define && ay.define) producer = null
    else continue
    out.push({ key, kind: ax.kind, id: ax.id, producer })
  }
  return out.sort((p, q) => (p.key < q.key ? -1 : p.key > q.key ? 1 : 0))
}

/** Confidence weights for artifact evidence (ADR 0080). */
export const ARTIFACT_WEIGHT = { directed: 0.9, bothDefine: 0.7, extraArtifact: 0.05, maxExtra: 3 } as const

/** A dependency found from artifacts, before task ids are attached. */
export interface ArtifactMatch {
  readonly relationship: BuiltinRelationship
  readonly confidence: number
  /** 'x', 'y' or null (no direction): the task that goes first. */
  readonly first: 'x' | 'y' | null
  readonly shared: readonly SharedArtifact[]
}

/**
 * Groups shared artifacts by relationship. A group is directed when every artifact in it
 * points the same way; mixed directions (x defines one, y another) leave it undirected.
 */
export function artifactMatches(shared: readonly SharedArtifact[]): ArtifactMatch[] {
  const groups = new Map<BuiltinRelationship, SharedArtifact[]>()
  for (const s of shared) {
    const r = ARTIFACT_RELATIONSHIP[s.kind]
    groups.set(r, [...(groups.get(r) ?? []), s])
  }
  const out: ArtifactMatch[] = []
  for (const [relationship, list] of groups) {
    const producers = new Set(list.map((s) => s.producer))
    const first = producers.size === 1 ? list[0].producer : null
    const directed = list.filter((s) => s.producer !== null).length
    const base = directed > 0 ? ARTIFACT_WEIGHT.directed : ARTIFACT_WEIGHT.bothDefine
    const confidence = noisyOr(base, [ARTIFACT_WEIGHT.extraArtifact, Math.min(ARTIFACT_WEIGHT.maxExtra, list.length - 1)])
    out.push({ relationship, confidence, first, shared: list })
  }
  return out
}

/** The reason of an artifact dependency: each artifact with its direction, then who goes first. */
export function artifactReason(m: ArtifactMatch, x: string, y: string): string {
  const parts = m.shared.map((s) =>
    s.producer === null
      ? `${s.id}: defined by both ${x} and ${y}`
      : `${s.id}: defined by ${s.producer === 'x' ? x : y}, consumed by ${s.producer === 'x' ? y : x}`,
  )
  const order = m.first === null ? 'no single producer: settle the owner first' : `${m.first === 'x' ? x : y} goes first`
  return `artifacts — ${parts.join('; ')} (${order})`
}
