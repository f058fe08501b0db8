/**
 * Usage: node --import tsx bench/browser/tabs-run.ts [--tabs=3] [--events=2000] [--burst=4]
 * [--interval=20] [--port=0] [--close=TAB@MS]: several tabs of one profile on one room
 * (tabs.ts), printed as JSON with each tab's CPU and IndexedDB requests per received event.
 */
import { runTabs } from './tabs'

const arg = (name: string, fallback: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback
const close = arg('close', '')
const events = Number(arg('events', '2000'))
const r = await runTabs({
  tabs: Number(arg('tabs', '3')),
  events,
  burst: Number(arg('burst', '4')),
  intervalMs: Number(arg('interval', '20')),
  port: Number(arg('port', '0')),
  close: close ? { tab: Number(close.split('@')[0]), afterMs: Number(close.split('@')[1]) } : undefined,
})
const per = (x: number | undefined) => (x === undefined ? undefined : Math.round((x * 1000) / events))
console.log(
  JSON.stringify(
    {
      perTab: r.tabs.map((t) => ({
        closed: t.closed,
        ...t.run,
        ...t.counts,
        abortsPerEvent: t.counts && Math.round((t.counts.aborted / events) * 1000) / 1000,
        taskUsPerEvent: per(t.taskMs),
      })),
      // Per received event per tab: every tab receives every event.
      chromiumCpuUsPerEventPerTab: Math.round((r.chromiumCpuMs * 1000) / events / r.tabs.length),
      rendererCpuUsPerEventPerTab: Math.round((r.rendererCpuMs * 1000) / events / r.tabs.length),
      browserProcessCpuUsPerEventPerTab: Math.round((r.browserCpuMs * 1000) / events / r.tabs.length),
      acked: r.acked.map((a) => a.length),
      check: r.check,
    },
    null,
    1,
  ),
)
