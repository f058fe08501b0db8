/**
 * The LLM planner and the llm reply policy against a small OpenAI-compatible chat-completions
 * server written here (real HTTP on 127.0.0.1): a good answer becomes the plan; a malformed
 * answer, an HTTP 500, a refusal and a time-out each fall back to the template plan with the
 * reason on the plan.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { PeerId, SessionId } from '../../core/ids'
import { planSchema } from '../../core/planner/plan'
import { templatePlan } from '../../core/planner/template'
import type { SessionView } from '../../core/state/selectors'
import type { RoomState } from '../../core/state/types'
import { llmPolicy } from '../agent/policy'
import { chatConfigFromEnv, endpointOf, type ChatConfig } from './chat'
import { plannerFromEnv } from './env'
import { llmPlanner } from './llm'
import type { PlanRequest } from './request'

type Mode = 'plan' | 'no-response-format' | 'fenced' | 'malformed' | 'wrong-tasks' | 'http500' | 'slow' | 'refused' | 'reply' | 'bad-reply'
let mode: Mode = 'plan'
const seen: Array<{ path: string; auth?: string; body: { model: string; messages: Array<{ role: string; content: string }> } }> = []
let server: Server
let base = ''

const GOOD = {
  summary: 'Publish the auth API contract, then build the login page against it.',
  sequence: [
    { taskId: 'auth-api', order: 1, reason: 'The contract comes first.' },
    { taskId: 'login-page', order: 2, reason: 'The page calls the API.' },
  ],
  artifacts: [{ name: 'auth OpenAPI spec', description: 'Sign-in and sign-out routes', producer: 'auth-api', consumers: ['login-page'] }],
  coordinationPoints: ['Review the spec together before the page is wired.'],
  risks: ['Error codes drift.'],
  successCriteria: ['The page signs a user in against the real API.'],
}

const answer = (content: string) => JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] })

async function readBody(req: IncomingMessage): Promise<string> {
  let s = ''
  for await (const chunk of req) s += chunk
  return s
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      seen.push({ path: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(raw) })
      const ok = (content: string) => res.writeHead(200, { 'content-type': 'application/json' }).end(answer(content))
      switch (mode) {
        case 'plan': return ok(JSON.stringify(GOOD))
        case 'no-response-format':
          if ('response_format' in JSON.parse(raw)) return res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"unknown field response_format"}')
          return ok(JSON.stringify(GOOD))
        case 'fenced': return ok('Here it is:\n```json\n' + JSON.stringify(GOOD) + '\n```')
        case 'malformed': return ok('I think the API should go first, then the page.')
        case 'wrong-tasks': return ok(JSON.stringify({ ...GOOD, sequence: [{ taskId: 'payments', order: 1, reason: 'x' }] }))
        case 'http500': return res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"overloaded"}')
        case 'slow': return void setTimeout(() => res.destroyed || ok(JSON.stringify(GOOD)), 10_000).unref()
        case 'refused': return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: null, refusal: 'I cannot help with that.' } }] }))
        case 'reply': return ok('{"type": "concern", "text": "The error codes are not listed."}')
        case 'bad-reply': return ok('{"type": "maybe", "text": "hmm"}')
      }
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((r) => server.close(() => r()))
})
beforeEach(() => {
  seen.length = 0
})

const request: PlanRequest = {
  session: 'ses_0123456789abcdef0123456789abcdef',
  version: 1,
  input: {
    sessionType: 'dependency',
    relationship: 'API_Contract',
    tasks: [
      { taskId: 'auth-api', projectId: 'p', repository: 'api', title: 'Define user authentication API', description: 'REST contract' },
      { taskId: 'login-page', projectId: 'p', repository: 'web', title: 'Build the login page', description: 'Form that calls the authentication API' },
    ],
  },
  concerns: [],
}
const config = (over: Partial<ChatConfig> = {}): ChatConfig => ({ url: base, model: 'test-model', apiKey: 'k-123', timeoutMs: 5000, ...over })

describe('LLM planner over real HTTP', () => {
  it('a good answer becomes the plan, marked llm with the model', async () => {
    mode = 'plan'
    const plan = await llmPlanner(config()).plan(request)
    expect(planSchema.safeParse(plan).success).toBe(true)
    expect(plan.planner).toEqual({ kind: 'llm', model: 'test-model' })
    expect(plan.summary).toBe(GOOD.summary)
    expect(seen).toHaveLength(1)
    expect(seen[0].path).toBe('/v1/chat/completions')
    expect(seen[0].auth).toBe('Bearer k-123')
    expect(seen[0].body.model).toBe('test-model')
    expect(seen[0].body.messages.at(-1)?.content).toContain('login-page')
  })

  it('asks again without response_format when the server refuses it', async () => {
    mode = 'no-response-format'
    expect((await llmPlanner(config()).plan(request)).planner.kind).toBe('llm')
    expect(seen).toHaveLength(2)
  })

  it('accepts a plan inside a ```json fence', async () => {
    mode = 'fenced'
    expect((await llmPlanner(config()).plan(request)).planner.kind).toBe('llm')
  })

  const fallbacks: Array<[Mode, RegExp, Partial<ChatConfig>]> = [
    ['malformed', /malformed: no JSON object/, {}],
    ['wrong-tasks', /malformed: unknown task ids in sequence: payments/, {}],
    ['http500', /http: HTTP 500/, {}],
    ['refused', /refused: I cannot help/, {}],
    ['slow', /timeout: no answer within 300 ms/, { timeoutMs: 300 }],
  ]
  for (const [m, reason, over] of fallbacks) {
    it(`falls back to the template on ${m}, with the reason on the plan`, async () => {
      mode = m
      const t0 = Date.now()
      const plan = await llmPlanner(config(over)).plan(request)
      expect(plan.planner.kind).toBe('template')
      expect(plan.planner.fallbackReason).toMatch(reason)
      expect(plan.sequence).toEqual(templatePlan(request.input).sequence)
      // Far below the slow server's 10 s: the planner's own time-out ended the wait.
      expect(Date.now() - t0).toBeLessThan(5_000)
    })
  }

  it('falls back when nothing listens at the URL', async () => {
    const plan = await llmPlanner(config({ url: 'http://127.0.0.1:9/v1' })).plan(request)
    expect(plan.planner).toMatchObject({ kind: 'template', fallbackReason: expect.stringMatching(/network/) })
  })

  it('is chosen from CHORUS_LLM_URL, else the template planner', () => {
    expect(plannerFromEnv({}).kind).toBe('template')
    expect(plannerFromEnv({ CHORUS_LLM_URL: base, CHORUS_LLM_MODEL: 'm' }).kind).toBe('llm')
    expect(chatConfigFromEnv({ CHORUS_LLM_URL: base, CHORUS_LLM_TIMEOUT_MS: '1500' })).toMatchObject({ url: base, timeoutMs: 1500 })
    expect(endpointOf('http://h/v1/chat/completions/')).toBe('http://h/v1/chat/completions')
  })
})

describe('llm reply policy over real HTTP', () => {
  const me = '12D3KooWtest' as PeerId
  const session = { id: 'ses_0123456789abcdef0123456789abcdef' as SessionId, tasks: ['auth-api'], messages: [] } as unknown as SessionView
  const ctx = { state: { tasks: new Map() } as unknown as RoomState, session, version: 1, plan: templatePlan(request.input), me }

  it('takes the reply type and text from the model', async () => {
    mode = 'reply'
    expect(await llmPolicy(config())(ctx)).toEqual({ type: 'concern', text: 'The error codes are not listed.' })
  })

  it('agrees and says why when the model answers nonsense', async () => {
    mode = 'bad-reply'
    const r = await llmPolicy(config())(ctx)
    expect(r.type).toBe('agreement')
    expect(r.fallbackReason).toMatch(/malformed: reply type maybe/)
  })
})
