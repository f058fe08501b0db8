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
}

/** Options every benchmark accepts. */
export interface BenchOptions {
  /** A fast proof-run: smaller samples, same code paths. */
  quick: boolean
}
