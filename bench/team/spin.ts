/**
 * Keeps this process busy until it has used `ms` of CPU by its own count, however long a loaded
 * machine makes that take (at most `limitMs` of wall time): tests of /proc readers compare what
 * /proc says against a known amount of work.
 */
export function spinCpu(ms: number, limitMs = 20_000): void {
  const u0 = process.cpuUsage()
  const deadline = performance.now() + limitMs
  while (performance.now() < deadline) {
    for (let i = 0; i < 1e5; i++) Math.sqrt(Math.random())
    const u = process.cpuUsage(u0)
    if (u.user + u.system >= ms * 1000) return
  }
}
