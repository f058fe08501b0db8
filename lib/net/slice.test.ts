import { describe, expect, it } from 'vitest'
import { TimeSlicer } from './slice'

const busy = (ms: number) => {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // spin: a synchronous stretch of work, like a verify and fold
  }
}

describe('TimeSlicer', () => {
  it('lets the event loop in during a burst: a timer set before 100 tasks of 2 ms fires long before they end', async () => {
    const slicer = new TimeSlicer(10)
    const done: number[] = []
    let timerAt = -1
    setTimeout(() => (timerAt = done.length), 0)
    await Promise.all(Array.from({ length: 100 }, (_, i) => slicer.run(async () => (busy(2), done.push(i)))))
    // In order, and the timer ran after a few slices' worth of tasks, not after all 200 ms of them.
    expect(done).toEqual(Array.from({ length: 100 }, (_, i) => i))
    expect(timerAt).toBeGreaterThan(0)
    expect(timerAt).toBeLessThan(30)
    expect(slicer.yields).toBeGreaterThanOrEqual(15)
  })

  it('never yields for a lone task after the loop was free, and keeps each slice near its length', async () => {
    let t = 0
    const slicer = new TimeSlicer(10, () => t)
    await slicer.run(async () => void (t += 3))
    expect(slicer.yields).toBe(0)
    t += 50
    await slicer.run(async () => void (t += 3))
    expect(slicer.yields).toBe(0)
    // A burst of 12 tasks of 4 ms: a yield whenever 10 ms have gone since the slice began.
    const starts: number[] = []
    await Promise.all(Array.from({ length: 12 }, () => slicer.run(async () => void (starts.push(t), (t += 4)))))
    expect(slicer.yields).toBe(4)
  })

  it('a failing task fails its caller only', async () => {
    const slicer = new TimeSlicer(10)
    const a = slicer.run(async () => {
      throw new Error('boom')
    })
    const b = slicer.run(async () => 2)
    await expect(a).rejects.toThrow('boom')
    expect(await b).toBe(2)
  })
})
