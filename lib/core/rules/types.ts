/**
 * Contract between the dependency rules (lib/core/rules) and their users (the log's
 * verification of `dependency.detected`, sessions, the CLI). Extend, do not break.
 */
import { z } from 'zod'
import { ARTIFACT_ROLES, isArtifactId } from './artifacts'
import { isRepoPath } from './paths'

/** A contract a task defines or consumes: `{id: 'openapi:POST /v1/login', role: 'define'}` (artifacts.ts). */
export const artifactRefSchema = z.object({
  id: z.string().min(3).max(300).refine(isArtifactId, 'an artifact id: openapi:METHOD /path, table:NAME, env:NAME, proto:pkg.Name, graphql:Type.field or event:NAME'),
  role: z.enum(ARTIFACT_ROLES),
})
export type ArtifactRef = z.infer<typeof artifactRefSchema>

/**
 * A task as the rules see it (the `task.claimed` payload carries these fields). `paths` and
 * `artifacts` are optional extensions: events without them read exactly as before.
 */
export const taskSchema = z.object({
  taskId: z.string().min(1).max(200),
  projectId: z.string().min(1).max(200),
  repository: z.string().min(1).max(500),
  title: z.string().min(1).max(500),
  description: z.string().max(8000).default(''),
  keywords: z.array(z.string().min(1).max(100)).max(50).optional(),
  agentId: z.string().max(200).optional(),
  /** Files, directories or globs (`src/auth/**`) in the repository that the task will change. */
  paths: z.array(z.string().min(1).max(500).refine(isRepoPath, 'a path inside the repository (relative, no ..)')).max(100).optional(),
  /** Contracts the task defines or consumes. */
  artifacts: z.array(artifactRefSchema).max(50).optional(),
})
export type Task = z.infer<typeof taskSchema>

export const BUILTIN_RELATIONSHIPS = [
  'API_Contract',
  'Database_Schema',
  'Configuration_Dependency',
  'Security_Compliance',
] as const
export type BuiltinRelationship = (typeof BUILTIN_RELATIONSHIPS)[number]

/**
 * A declarative custom rule: data, never code, because it travels over the mesh.
 * With `requires`, one task must mention a term of A and the other a term of B;
 * without it, both tasks must mention one of `keywords`.
 */
export const customRuleSchema = z.object({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'letters, digits and _; starts with a letter'),
  description: z.string().max(1000),
  keywords: z.array(z.string().min(1).max(100)).min(1).max(100),
  requires: z.tuple([z.array(z.string().min(1).max(100)).min(1), z.array(z.string().min(1).max(100)).min(1)]).optional(),
})
export type CustomRule = z.infer<typeof customRuleSchema>

/** One detected dependency. `task1 < task2` (string order), so equal inputs give equal output. */
export interface Dependency {
  task1: string
  task2: string
  relationship: string
  /** In (0, 1], computed from the evidence. */
  confidence: number
  /** Human-readable: which terms matched in which task. */
  reason: string
}
