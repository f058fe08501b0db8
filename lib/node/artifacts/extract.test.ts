import { describe, expect, it } from 'vitest'
import { detectPair } from '../../core/rules/detect'
import { extractArtifacts, fromSql } from './extract'

const root = 'examples/artifacts'

describe('extractArtifacts', () => {
  it('reads each kind of file in examples/artifacts', async () => {
    expect(await extractArtifacts(['openapi.yaml'], { root })).toEqual([
      { id: 'openapi:POST /v1/login', role: 'define' },
      { id: 'openapi:POST /v1/logout', role: 'define' },
      { id: 'openapi:GET /v1/users/{}', role: 'define' },
    ])
    expect(await extractArtifacts(['migrations/004_user_preferences.sql'], { root })).toEqual([
      { id: 'table:user_preferences', role: 'define' },
      { id: 'table:audit.events', role: 'define' },
    ])
    expect(await extractArtifacts(['auth.proto'], { root })).toEqual([
      { id: 'proto:auth.v1.Login', role: 'define' },
      { id: 'proto:auth.v1.AuthService', role: 'define' },
      { id: 'proto:auth.v1.AuthService/Login', role: 'define' },
      { id: 'proto:auth.v1.AuthService/Refresh', role: 'define' },
      { id: 'proto:auth.v1.Token', role: 'define' },
    ])
    expect(await extractArtifacts(['schema.graphql'], { root })).toEqual([
      { id: 'graphql:Query.invoices', role: 'define' },
      { id: 'graphql:Query.invoice', role: 'define' },
      { id: 'graphql:Mutation.payInvoice', role: 'define' },
    ])
    expect(await extractArtifacts(['.env.example'], { root })).toEqual([
      { id: 'env:RATE_LIMIT', role: 'consume' },
      { id: 'env:DATABASE_URL', role: 'consume' },
    ])
    expect(await extractArtifacts(['openapi.yaml'], { root, role: 'consume' })).toHaveLength(3)
  })

  it('what it reads links a producer and a consumer task', async () => {
    const defined = await extractArtifacts(['openapi.yaml'], { root })
    const consumed = await extractArtifacts(['openapi.yaml'], { root, role: 'consume' })
    const [d] = detectPair(
      { taskId: 'identity', projectId: 'p', repository: 'identity', title: 'x', description: '', artifacts: defined },
      { taskId: 'web', projectId: 'p', repository: 'web', title: 'y', description: '', artifacts: consumed.slice(0, 1) },
    )
    expect(d).toMatchObject({ relationship: 'API_Contract', reason: 'artifacts — openapi:POST /v1/login: defined by identity, consumed by web (identity goes first)' })
  })

  it('refuses files outside the root, unknown kinds and unreadable files with the file named', async () => {
    await expect(extractArtifacts(['../tasks.json'], { root })).rejects.toThrow(/\.\.\/tasks\.json: outside/)
    await expect(extractArtifacts(['/etc/passwd'], { root })).rejects.toThrow(/outside/)
    await expect(extractArtifacts(['nope.sql'], { root })).rejects.toThrow(/nope\.sql: cannot read: ENOENT/)
    await expect(extractArtifacts(['tasks.json'], { root: 'examples' })).rejects.toThrow(/tasks\.json: not an OpenAPI document, SQL migration/)
  })

  it('ignores commented-out SQL and reads quoted names', () => {
    expect(fromSql('-- CREATE TABLE a (x int);\nCREATE TABLE "B" (x int); /* drop table c; */')).toEqual(['table:"B"'])
  })
})
