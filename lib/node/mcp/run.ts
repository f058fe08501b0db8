/**
 * `chorus-mesh mcp`: a stdio MCP server with one agent identity, for coding agents (Claude
 * Code, Cursor, any MCP client). stdout carries the protocol, so everything else goes to
 * stderr. The server answers the client at once and joins the room in the background; tools
 * wait for the join (and report its failure).
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { joinAgentOps, type AgentIdentityOptions } from '../ops/join'
import { createMcpServer } from './server'

export type McpCommandOptions = AgentIdentityOptions

/** Runs the MCP server on stdin/stdout until the client closes it or a signal arrives. */
export async function runMcpServer(o: McpCommandOptions, stopped: Promise<void>): Promise<void> {
  // Libraries that log with console.log must not write into the protocol stream.
  console.log = console.error
  console.info = console.error
  const ops = joinAgentOps(o, 'mcp')
  const server = createMcpServer(() => ops)
  const transport = new StdioServerTransport()
  // The transport does not report the client closing stdin, so listen for that as well.
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve
    process.stdin.once('end', resolve)
    process.stdin.once('close', resolve)
  })
  await server.connect(transport)
  await Promise.race([closed, stopped])
  await server.close().catch(() => {})
  const joined = await ops.catch(() => null)
  joined?.close()
  await joined?.agent.stop()
}
