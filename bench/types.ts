/** One benchmark figure, next to its baseline or physical limit measured in the same run (DESIGN §8). */
export interface BenchResult {
  name: string
  value: number
  unit: string
  baseline?: { name: string; value: number; unit: string }
  /** The figure against its baseline, in the direction its goal states (the goal text says which): value / baseline for a cost with an upper bound (catch-up, memory), baseline / value for a speed-up (detection). */
  ratio?: number
  goal?: string
  met?: boolean
  note?: string
  /** The suite that produced it (set by bench/index.ts). */
  suite?: string
  /** What the goal is judged on: `ratio` (the default when there is one) or the absolute `value` (e.g. "no task > 200 ms"). */
  judged?: 'value' | 'ratio'
  /** Over several runs (bench/runs.ts): how many, min–max of value and ratio, in how many the goal was met. */
  spread?: { runs: number; value: [number, number]; ratio?: [number, number]; met?: number }
}

/** Options every benchmark accepts. */
export interface BenchOptions {
  /** A fast proof-run: smaller samples, same code paths. */
  quick: boolean
}
