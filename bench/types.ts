/** One benchmark figure, next to its baseline or physical limit measured in the same run (DESIGN §8). */
export interface BenchResult {
  name: string
  value: number
  unit: string
  baseline?: { name: string; value: number; unit: string }
  /** baseline.value / value when lower is better, so > 1 means faster than the baseline. */
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
