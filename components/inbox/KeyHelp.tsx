'use client'
/** The `?` dialog listing the inbox's keys. */
import { KEY_HELP } from './keys'

/** A modal dialog; Esc or the button closes it. */
export function KeyHelp({ onClose }: { onClose(): void }) {
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-black/30" onClick={onClose}>
      <div role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" className="rounded bg-white p-4 shadow-lg dark:bg-zinc-900" onClick={(e) => e.stopPropagation()}>
        <h2 className="mb-2 font-semibold">Keyboard shortcuts</h2>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          {KEY_HELP.map(([k, what]) => (
            <div key={k} className="contents">
              <dt><kbd className="font-mono">{k}</kbd></dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <button type="button" className="btn mt-3" onClick={onClose} autoFocus>Close</button>
      </div>
    </div>
  )
}
