/** Structured logs: levels filter, JSON lines for machines, secrets masked, floods sampled. */
import { describe, expect, it } from 'vitest'
import { createLogger, SampledLog } from './log'

describe('createLogger', () => {
  it('writes JSON lines at or above its level and masks secret-looking fields', () => {
    const lines: string[] = []
    const log = createLogger({ level: 'info', json: true, write: (l) => lines.push(l), now: () => new Date(0) }).child({ component: 'relay' })
    log.debug('hidden')
    log.info('started', { peer: 'p1', apiToken: 'abc', invite: 'xyz', credential: 'c' })
    log.error('failed', { error: new Error('boom') })
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { time: '1970-01-01T00:00:00.000Z', level: 'info', event: 'started', component: 'relay', peer: 'p1', apiToken: '[redacted]', invite: '[redacted]', credential: '[redacted]' },
      { time: '1970-01-01T00:00:00.000Z', level: 'error', event: 'failed', component: 'relay', error: 'boom' },
    ])
  })

  it('writes readable text on a terminal', () => {
    const lines: string[] = []
    createLogger({ level: 'debug', json: false, write: (l) => lines.push(l), now: () => new Date(0) }).debug('sync_failed', { reason: 'stream reset', peer: 'p' })
    expect(lines).toEqual(['1970-01-01T00:00:00.000Z debug sync_failed reason="stream reset" peer=p'])
  })
})

describe('SampledLog', () => {
  it('logs one line per key and interval, counting what it stood for', () => {
    let t = 0
    const out: Array<[string, number]> = []
    const s = new SampledLog((k, f) => out.push([k, f.count as number]), 1000, () => t)
    for (let i = 0; i < 500; i++) s.hit('bad_signature')
    s.hit('unknown_author')
    t = 1500
    s.hit('bad_signature')
    expect(out).toEqual([['bad_signature', 1], ['unknown_author', 1], ['bad_signature', 500]])
  })
})
