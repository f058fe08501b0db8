/**
 * Several runs of the same benchmarks folded into one row per figure: the median run's figures
 * with the spread (min–max) of every run beside them. A goal counts as met only when the median
 * run meets it and so does a majority of the runs (2 of 3): a goal met once and missed the next
 * time is not met. Which number the goal judges is the row's `judged` field (ratio by default).
 */
import type { BenchResult } from './types'

/** The number a row's goal is judged on. */
export const judgedOf = (r: BenchResult): number => (r.judged === 'value' || r.ratio === undefined ? r.value : r.ratio)

const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b)
const fmt = (v: number): string => v.toLocaleString('en-US')

/**
 * One row per figure name from `runs` (each the results of one full pass, in pass order):
 * the median run's row (by the judged number; the lower middle for an even count) with
 * `spread` and a `met` that needs the median and a majority of runs.
 */
export function combineRuns(runs: readonly (readonly BenchResult[])[]): BenchResult[] {
  if (runs.length === 1) return [...runs[0]]
  const names: string[] = []
  const byName = new Map<string, BenchResult[]>()
  for (const run of runs) {
    for (const r of run) {
      let rows = byName.get(r.name)
      if (!rows) byName.set(r.name, (rows = []))
      if (rows.length === 0) names.push(r.name)
      rows.push(r)
    }
  }
  return names.map((name) => {
    const rows = byName.get(name) as BenchResult[]
    const order = [...rows].sort((a, b) => judgedOf(a) - judgedOf(b))
    const median = order[Math.floor((order.length - 1) / 2)]
    const values = sorted(rows.map((r) => r.value))
    const ratios = sorted(rows.flatMap((r) => (r.ratio === undefined ? [] : [r.ratio])))
    const judged = rows.filter((r) => r.met !== undefined)
    const metRuns = judged.filter((r) => r.met).length
    const majority = Math.floor(rows.length / 2) + 1
    const spread: NonNullable<BenchResult['spread']> = {
      runs: rows.length,
      value: [values[0], values[values.length - 1]],
      ...(ratios.length ? { ratio: [ratios[0], ratios[ratios.length - 1]] as [number, number] } : {}),
      ...(judged.length ? { met: metRuns } : {}),
    }
    const runsNote = `median of ${rows.length} runs: value ${fmt(spread.value[0])}–${fmt(spread.value[1])} ${median.unit}${spread.ratio ? `, ratio ${spread.ratio[0]}–${spread.ratio[1]}×` : ''}${judged.length ? `, goal met in ${metRuns} of ${judged.length}` : ''}`
    return {
      ...median,
      spread,
      ...(median.met === undefined ? {} : { met: median.met === true && metRuns >= majority }),
      note: median.note ? `${runsNote}; ${median.note}` : runsNote,
    }
  })
}
