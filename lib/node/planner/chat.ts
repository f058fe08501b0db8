/**
 * A minimal OpenAI-compatible chat-completions client (works with Ollama, vLLM, llama.cpp
 * server, OpenAI): one POST, a time-out, and errors that say why. Node's fetch, no SDK.
 */

export interface ChatConfig {
  /** Base URL (e.g. http://127.0.0.1:11434/v1) or the full …/chat/completions endpoint. */
  url: string
  model: string
  apiKey?: string
  /** @default 20000 */
  timeoutMs?: number
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export type ChatErrorReason = 'timeout' | 'http' | 'network' | 'malformed' | 'refused'

/** A chat call that produced no usable answer. */
export class ChatError extends Error {
  static override name = 'ChatError'
  constructor(
    readonly reason: ChatErrorReason,
    detail: string,
  ) {
    super(detail)
  }
}

/** The chat-completions endpoint for a configured URL. */
export const endpointOf = (url: string): string => {
  const u = url.replace(/\/+$/, '')
  return /\/chat\/completions$/.test(u) ? u : `${u}/chat/completions`
}

/** Sends the messages; resolves to the assistant's text, or throws ChatError. */
export async function chat(config: ChatConfig, messages: ChatMessage[], opts: { json?: boolean } = {}): Promise<string> {
  const timeoutMs = config.timeoutMs ?? 20_000
  let res: Response
  try {
    res = await fetch(endpointOf(config.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}) },
      body: JSON.stringify({
        model: config.model,
        messages,
        temperature: 0,
        ...(opts.json ? { response_format: { type: 'json_object' } } : {}),
      }),
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (err) {
    const e = err as Error
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new ChatError('timeout', `no answer within ${timeoutMs} ms`)
    throw new ChatError('network', e.message)
  }
  let body: unknown
  try {
    body = await res.json()
  } catch (err) {
    const e = err as Error
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new ChatError('timeout', `no answer within ${timeoutMs} ms`)
    if (res.status === 400 && opts.json) return chat(config, messages, { json: false })
    throw new ChatError(res.ok ? 'malformed' : 'http', res.ok ? 'the answer is not JSON' : `HTTP ${res.status}`)
  }
  // Some servers refuse `response_format`; ask once more without it.
  if (res.status === 400 && opts.json) return chat(config, messages, { json: false })
  if (!res.ok) throw new ChatError('http', `HTTP ${res.status}`)
  const choice = (body as { choices?: Array<{ message?: { content?: unknown; refusal?: unknown }; finish_reason?: unknown }> }).choices?.[0]
  if (!choice?.message) throw new ChatError('malformed', 'no choices[0].message in the answer')
  if (typeof choice.message.refusal === 'string' && choice.message.refusal) throw new ChatError('refused', choice.message.refusal.slice(0, 200))
  if (choice.finish_reason === 'content_filter') throw new ChatError('refused', 'stopped by the content filter')
  if (typeof choice.message.content !== 'string' || choice.message.content.trim() === '') throw new ChatError('malformed', 'empty content')
  return choice.message.content
}

/** Parses a JSON object from model text, tolerating a ```json fence around it. */
export function parseJsonObject(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)
  const raw = (fenced ? fenced[1] : text).trim()
  const start = raw.indexOf('{')
  const end = raw.lastIndexOf('}')
  if (start < 0 || end <= start) throw new ChatError('malformed', 'no JSON object in the answer')
  try {
    return JSON.parse(raw.slice(start, end + 1))
  } catch (err) {
    throw new ChatError('malformed', `invalid JSON: ${(err as Error).message}`)
  }
}

/** The chat config from CHORUS_LLM_URL / CHORUS_LLM_MODEL / CHORUS_LLM_API_KEY / CHORUS_LLM_TIMEOUT_MS, or null. */
export function chatConfigFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ChatConfig | null {
  if (!env.CHORUS_LLM_URL) return null
  const timeout = Number(env.CHORUS_LLM_TIMEOUT_MS)
  return {
    url: env.CHORUS_LLM_URL,
    model: env.CHORUS_LLM_MODEL || 'llama3.1',
    ...(env.CHORUS_LLM_API_KEY ? { apiKey: env.CHORUS_LLM_API_KEY } : {}),
    ...(Number.isFinite(timeout) && timeout > 0 ? { timeoutMs: timeout } : {}),
  }
}
