'use client'
/** React Flow node types: a repository box and a task card. Labels are plain text. */
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react'
import { NODE_H, NODE_W } from './elk-graph'

export type RepoNodeType = Node<{ label: string; count: number }, 'repo'>
export type TaskNodeType = Node<{ title: string; status: string; selected: boolean; neighbour?: boolean }, 'task'>

const STATUS_DOT: Record<string, string> = { claimed: 'bg-sky-500', released: 'bg-zinc-400', completed: 'bg-emerald-500' }

function RepoNode({ data }: NodeProps<RepoNodeType>) {
  return (
    <div className="h-full w-full rounded-md border border-zinc-300 bg-zinc-50/70 dark:border-zinc-700 dark:bg-zinc-900/60" data-testid="graph-repo" data-repo={data.label}>
      <p className="px-3 pt-1.5 text-xs font-semibold text-zinc-600 dark:text-zinc-300">{data.label} <span className="font-normal text-muted">· {data.count}</span></p>
    </div>
  )
}

function TaskNode({ id, data }: NodeProps<TaskNodeType>) {
  return (
    <div
      style={{ width: NODE_W, height: NODE_H }}
      data-testid="graph-node"
      data-task={id}
      data-neighbour={data.neighbour ? 'true' : undefined}
      className={`flex items-center gap-2 rounded border bg-white px-2 text-xs shadow-sm dark:bg-zinc-950 ${data.selected ? 'border-sky-600 ring-2 ring-sky-400' : data.neighbour ? 'border-dashed border-zinc-400' : 'border-zinc-300 dark:border-zinc-700'}`}
    >
      <Handle type="target" position={Position.Left} className="!h-1 !w-1 !min-w-0 !border-0 !bg-transparent" />
      <span className={`h-2 w-2 shrink-0 rounded-full ${STATUS_DOT[data.status] ?? 'bg-zinc-400'}`} role="img" aria-label={data.status} />
      <span className="line-clamp-2">{data.title}</span>
      <Handle type="source" position={Position.Right} className="!h-1 !w-1 !min-w-0 !border-0 !bg-transparent" />
    </div>
  )
}

/** The node types, defined once (React Flow warns when this object changes). */
export const NODE_TYPES = { repo: RepoNode, task: TaskNode }
