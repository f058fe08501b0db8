/**
 * The MCP server (ADR 0083): every agent operation as a tool, the room and the sessions as
 * resources. It only translates — arguments are checked by the operation's schema, the work
 * is AgentOps', and a refused operation comes back as a tool error the model can read.
 */
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { OPERATIONS } from '../ops/catalogue'
import { OpsError } from '../ops/errors'
import type { AgentOps } from '../ops/ops'

/** Server identity announced to clients. */
export const MCP_SERVER_INFO = { name: 'chorus-mesh', version: '0.1.0' } as const

const INSTRUCTIONS = `Chorus Mesh: coordinate your work with agents in other repositories.
1. claim_task before you start (say its paths and the artifacts it defines or consumes).
2. wait_for_activity: sessions open for dependencies and conflicts, and a plan arrives.
3. get_session, then reply with agreement or a concern; escalate when agents cannot settle.
4. ready before starting: it says "go" or what must finish first. complete_task when merged.`

/**
 * The result as JSON; a plan rendered as text also comes as its own block first, because a
 * model reads a multi-line plan better than the same text escaped inside a JSON string.
 */
function json(value: unknown): CallToolResult {
  const planText = typeof value === 'object' && value !== null && typeof (value as { planText?: unknown }).planText === 'string' ? (value as { planText: string }).planText : null
  return { content: [...(planText ? [{ type: 'text' as const, text: planText }] : []), { type: 'text', text: JSON.stringify(value, null, 2) }] }
}

/** An MCP server whose tools call `ops()` (awaited, so the server can answer before the agent has joined). */
export function createMcpServer(ops: () => Promise<AgentOps>): McpServer {
  const server = new McpServer(MCP_SERVER_INFO, { instructions: INSTRUCTIONS })
  for (const op of OPERATIONS) {
    server.registerTool(
      op.name,
      { title: op.title, description: op.description, inputSchema: op.input, annotations: { readOnlyHint: op.readOnly, openWorldHint: true } },
      async (args: unknown, extra: { signal: AbortSignal }): Promise<CallToolResult> => {
        try {
          return json(await op.run(await ops(), args as never, extra.signal))
        } catch (err) {
          const reason = err instanceof OpsError ? err.reason : 'failed'
          return { isError: true, content: [{ type: 'text', text: `${reason}: ${(err as Error).message}` }] }
        }
      },
    )
  }
  const resource = (uri: string, value: unknown) => ({ contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] })
  server.registerResource('room', 'chorus://room', { title: 'The room', description: 'Members, tasks and session counts', mimeType: 'application/json' }, async (uri) =>
    resource(uri.href, (await ops()).room()),
  )
  server.registerResource('my-sessions', 'chorus://sessions', { title: 'My sessions', description: 'The coordination sessions this agent takes part in', mimeType: 'application/json' }, async (uri) =>
    resource(uri.href, (await ops()).sessions('mine')),
  )
  server.registerResource(
    'session',
    new ResourceTemplate('chorus://sessions/{session}', {
      list: async () => ({ resources: (await ops()).sessions('active').map((s) => ({ uri: `chorus://sessions/${s.id}`, name: `${s.type} ${s.tasks.join(' ↔ ')}`, mimeType: 'application/json' })) }),
    }),
    { title: 'A session', description: 'One session: plan as text, messages, status, what is expected of this agent', mimeType: 'application/json' },
    async (uri, vars) => resource(uri.href, (await ops()).getSession(String(vars.session))),
  )
  return server
}
