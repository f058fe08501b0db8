import { describe, expect, it } from 'vitest'
import { inWindow, referenceTask, summarise, type ProbeSample } from './cpu-probe'

const at = (hms: string, unit: ProbeSample['unit'], cpuMs: number): ProbeSample => ({ at: `2026-12-03T${hms}.000Z`, unit, cpuMs, wallMs: cpuMs })

describe('cpu-probe', () => {
  const samples = [at('07:00:01', 'replica', 100), at('07:00:02', 'js', 40), at('07:00:03', 'replica', 110), at('07:00:04', 'js', 44), at('07:05:00', 'replica', 210), at('07:05:01', 'js', 80), at('07:05:02', 'replica', 190)]

  it('keeps the samples that start inside a window, bounds included', () => {
    expect(inWindow(samples, '07:00:02-07:00:03').map((s) => s.cpuMs)).toEqual([40, 110])
    expect(inWindow(samples, '08:00:00-09:00:00')).toEqual([])
  })

  it('gives each window its medians and the ratio to the first window', () => {
    const lines = summarise(samples, ['07:00:00-07:00:59', '07:05:00-07:05:59'])
    expect(lines).toEqual([
      '07:00:00-07:00:59 replica: 2 samples, CPU median 105 ms (× 1 the first window\'s), wall median 105 ms',
      '07:00:00-07:00:59 js: 2 samples, CPU median 42 ms (× 1 the first window\'s), wall median 42 ms',
      '07:05:00-07:05:59 replica: 2 samples, CPU median 200 ms (× 1.9 the first window\'s), wall median 200 ms',
      '07:05:00-07:05:59 js: 1 samples, CPU median 80 ms (× 1.9 the first window\'s), wall median 80 ms',
    ])
  })

  it('refuses a window it cannot read', () => {
    expect(() => inWindow(samples, '7:00-8:00')).toThrow('expected HH:MM:SS-HH:MM:SS')
  })

  it('runs the same reference work every time', () => {
    expect(referenceTask()).toBe(referenceTask())
  })
})
