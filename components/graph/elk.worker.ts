/** Runs ELK layouts off the main thread: receives `{ id, graph }`, answers `{ id, graph }` or `{ id, error }`. */
import ELK from 'elkjs/lib/elk.bundled.js'
import type { ElkNode } from 'elkjs/lib/elk-api'

const elk = new ELK()
const scope = self as unknown as { onmessage: ((e: MessageEvent<{ id: number; graph: ElkNode }>) => void) | null; postMessage(m: unknown): void }
// elk.bundled installs its own handler when loaded in a worker; ours replaces it.
scope.onmessage = async (e) => {
  try {
    scope.postMessage({ id: e.data.id, graph: await elk.layout(e.data.graph) })
  } catch (err) {
    scope.postMessage({ id: e.data.id, error: String(err) })
  }
}
