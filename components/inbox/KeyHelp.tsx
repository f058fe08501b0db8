'use client'
/** The `?` dialog listing the inbox's keys. */
import { Dialog } from '@/components/ui/Dialog'
import { KEY_HELP } from './keys'

/** A modal dialog; Esc or the button closes it, and focus returns where it was. */
export function KeyHelp({ onClose }: { onClose(): void }) {
  return (
    <Dialog label="Keyboard shortcuts" onClose={onClose}>
      <h2 className="mb-2 font-semibold">Keyboard shortcuts</h2>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        {KEY_HELP.map(([k, what]) => (
          <div key={k} className="contents">
            <dt><kbd>{k}</kbd></dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" className="btn mt-3" onClick={onClose} autoFocus data-autofocus>Close</button>
    </Dialog>
  )
}
