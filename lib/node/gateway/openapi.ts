/**
 * The gateway's OpenAPI 3.1 document, generated from the operation catalogue: each operation
 * is `POST /v1/<name>` whose request body is the JSON Schema of its zod input, so the document
 * cannot drift from what the server accepts.
 */
import { z } from 'zod'
import { OPERATIONS } from '../ops/catalogue'

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['reason', 'message'],
      properties: {
        reason: { type: 'string', description: 'invalid | not_found | not_yours | not_participant | conflict | unauthorized | failed' },
        message: { type: 'string' },
      },
    },
  },
}

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } })

/** JSON Schema of an operation's input, without the `$schema` key (OpenAPI 3.1 uses 2020-12 already). */
function inputSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
  return rest
}

/** The OpenAPI document of a gateway served at `baseUrl`. */
export function openApiDocument(baseUrl: string) {
  const paths: Record<string, unknown> = {}
  for (const op of OPERATIONS) {
    paths[`/v1/${op.name}`] = {
      post: {
        operationId: op.name,
        summary: op.title,
        description: op.description,
        tags: [op.readOnly ? 'read' : 'write'],
        requestBody: { required: true, content: { 'application/json': { schema: inputSchema(op.input) } } },
        responses: {
          '200': { description: 'The result as JSON', content: { 'application/json': { schema: { type: 'object' } } } },
          '400': error('Malformed input (the message names the field)'),
          '401': error('Missing or wrong bearer token'),
          '403': error('Not yours: a task you do not hold, a session you are not part of'),
          '404': error('Unknown task or session'),
          '409': error('Not possible in the current state (e.g. escalating a resolved session)'),
        },
      },
    }
  }
  paths['/events'] = {
    get: {
      operationId: 'events',
      summary: 'Activity as Server-Sent Events',
      description:
        'Everything that concerns this agent as Server-Sent Events: `event:` is the activity type (session, plan, message, task, ready), `id:` its sequence number, `data:` the JSON entry (the same entries as wait_for_activity). Resume with `Last-Event-ID` or `?since=`. A comment line is sent every 15 s to keep the connection open.',
      parameters: [
        { name: 'since', in: 'query', required: false, schema: { type: 'integer', minimum: 0 }, description: 'send entries after this sequence number (default: all kept)' },
        { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } },
      ],
      responses: { '200': { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, '401': error('Missing or wrong bearer token') },
    },
  }
  paths['/healthz'] = { get: { operationId: 'health', summary: 'Liveness and whether the agent has joined', security: [], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } } }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chorus Mesh agent gateway',
      version: '1.0.0',
      description: 'One agent identity in a Chorus Mesh room, for agents in any language: claim tasks, read and answer coordination sessions, wait for activity, ask whether a task is ready. Every operation is POST /v1/<name> with a JSON body; authenticate with `Authorization: Bearer <token>`.',
    },
    servers: [{ url: baseUrl }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: { Error: errorSchema } },
    paths,
  }
}
