/**
 * Reads a sampling heap profile (`.heapprofile`, the loop monitor's with CHORUS_BENCH_HEAP=1)
 * and says where the allocations were made — collected ones included, so this is what the
 * garbage collector had to clear, not what stayed: bytes per allocating function (self) and
 * per function with everything it called (inclusive).
 *   node --import tsx bench/team/heap.ts relay.cpuprofile.heapprofile [--top 25]
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number }
  selfSize: number
  children?: HeapNode[]
}

const label = (n: HeapNode): string => {
  const f = n.callFrame
  const file = f.url.replace(/^.*\/(node_modules\/)?/, (m) => (m.includes('node_modules') ? 'nm/' : '')).slice(-60)
  return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`
}

/** Self and inclusive sampled bytes per function label, largest first. */
export function allocations(head: HeapNode): { total: number; self: Array<[string, number]>; inclusive: Array<[string, number]> } {
  const self = new Map<string, number>()
  const inc = new Map<string, number>()
  let total = 0
  const walk = (n: HeapNode, above: ReadonlySet<string>): number => {
    const l = label(n)
    self.set(l, (self.get(l) ?? 0) + n.selfSize)
    total += n.selfSize
    const path = above.has(l) ? above : new Set([...above, l])
    let sum = n.selfSize
    for (const c of n.children ?? []) sum += walk(c, path)
    // A recursive function counts once per stack: only at its outermost frame.
    if (!above.has(l)) inc.set(l, (inc.get(l) ?? 0) + sum)
    return sum
  }
  walk(head, new Set())
  const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1])
  return { total, self: top(self), inclusive: top(inc) }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } })
  const { head } = JSON.parse(readFileSync(positionals[0], 'utf8')) as { head: HeapNode }
  const a = allocations(head)
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(1).padStart(8)} MiB`
  console.log(`sampled allocations: ${mb(a.total)}`)
  console.log('\n== self')
  for (const [k, v] of a.self.slice(0, Number(values.top))) console.log(`  ${mb(v)}  ${k}`)
  console.log('\n== inclusive')
  for (const [k, v] of a.inclusive.slice(0, Number(values.top))) console.log(`  ${mb(v)}  ${k}`)
}
