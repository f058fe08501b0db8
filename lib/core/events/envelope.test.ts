import * as dagCbor from '@ipld/dag-cbor'
import { hexToBytes } from '@noble/hashes/utils.js'
import { describe, expect, it } from 'vitest'
import { checkEnvelope, envelopeSchema } from './envelope'
import v1 from './fixtures/v1.json'

const envelopes = v1.map((f) => ({ kind: f.kind, env: dagCbor.decode(hexToBytes(f.hex)) as Record<string, unknown> }))
const someId = v1[0].id
const otherId = v1[1].id
const ids = [someId, otherId].sort()

/** Field values the written-out checks and the schema must judge alike. */
const variants: Record<string, unknown[]> = {
  v: [0, 2, '1', 1.5, null],
  room: ['', someId, 'b' + 'a'.repeat(57), 'B' + 'a'.repeat(58), someId + 'a', 1, null],
  kind: ['', 'x'.repeat(64), 'x'.repeat(65), 7, null],
  author: ['', 'not-a-peer-id', 'QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N', '12D3KooW' + 'x'.repeat(100), 5, null],
  seq: [0, 1, 2, -1, 1.5, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, '2', null],
  prev: [null, someId, 'nope', 3],
  deps: [[], ids, [...ids].reverse(), [someId, someId], Array(9).fill(someId), ['nope'], 'x', null, [1]],
  lamport: [0, 1, 3, -2, 2.5, Number.MAX_SAFE_INTEGER + 2, null],
  time: [0, -1, 1.5, 2 ** 53, '0', null],
  payload: [undefined, null, {}, 'x'],
  sig: [new Uint8Array(64), new Uint8Array(63), new Uint8Array(65), 'x'.repeat(64), Array(64).fill(0), null],
}

const judge = (e: unknown) => [typeof checkEnvelope(e) !== 'string', envelopeSchema.safeParse(e).success]

describe('written-out envelope checks', () => {
  it('accept every v1 fixture, like the schema', () => {
    for (const { kind, env } of envelopes) expect(judge(env), kind).toEqual([true, true])
  })

  it('give the schema verdict for every single-field change, missing and extra fields', () => {
    let refused = 0
    for (const { env } of envelopes.slice(0, 6)) {
      for (const [field, values] of Object.entries(variants)) {
        for (const value of values) {
          const e = { ...env, [field]: value }
          const [mine, schema] = judge(e)
          expect(mine, `${field} = ${String(value)}`).toBe(schema)
          if (!schema) refused++
        }
        const { [field]: _gone, ...missing } = env
        expect(judge(missing)[0], `without ${field}`).toBe(judge(missing)[1])
      }
      expect(judge({ ...env, extra: 1 })).toEqual([false, false])
      // The cross-field rules: prev null exactly at seq 1, prev not among deps.
      expect(judge({ ...env, seq: 2, prev: null })).toEqual([false, false])
      expect(judge({ ...env, seq: 2, prev: ids[0], deps: ids })).toEqual([false, false])
      expect(judge({ ...env, seq: 2, prev: ids[0], deps: [ids[1]] })).toEqual([true, true])
    }
    for (const notAMap of [null, 1, 'x', [], new Uint8Array(3)]) expect(judge(notAMap), String(notAMap)).toEqual([false, false])
    expect(refused).toBeGreaterThan(200)
  })

  it('returns the fields in the schema order', () => {
    const e = checkEnvelope(envelopes[0].env)
    expect(typeof e !== 'string' && Object.keys(e)).toEqual(['v', 'room', 'kind', 'author', 'seq', 'prev', 'deps', 'lamport', 'time', 'payload', 'sig'])
  })
})
