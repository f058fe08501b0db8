'use client'
/**
 * A modal dialog on the native `<dialog>` element: `showModal()` makes the rest of the page
 * inert (focus cannot leave it, screen readers do not wander off), Esc closes it, and on close
 * focus goes back to whatever had it before the dialog opened.
 */
import { useEffect, useRef, type ReactNode } from 'react'

/** Props: `label` names the dialog for assistive technology; `onClose` runs on Esc or backdrop click. */
export function Dialog({ label, onClose, children, className = '', testId }: { label: string; onClose(): void; children: ReactNode; className?: string; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null)
  const close = useRef(onClose)
  close.current = onClose
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const before = document.activeElement as HTMLElement | null
    if (!el.open) el.showModal()
    // showModal focuses the first focusable element; the content may name a better one.
    el.querySelector<HTMLElement>('[data-autofocus]')?.focus()
    const onCancel = (e: Event) => {
      e.preventDefault()
      close.current()
    }
    el.addEventListener('cancel', onCancel)
    return () => {
      el.removeEventListener('cancel', onCancel)
      if (el.open) el.close()
      // Back to where the reviewer was, unless the page moved focus on purpose meanwhile.
      if (before?.isConnected && (document.activeElement == null || document.activeElement === document.body)) before.focus()
    }
  }, [])
  return (
    <dialog
      ref={ref}
      aria-label={label}
      data-testid={testId}
      className={`m-auto max-h-[90vh] w-[min(40rem,calc(100vw-2rem))] overflow-auto rounded-lg bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:bg-zinc-900 dark:text-zinc-100 ${className}`}
      onClick={(e) => e.target === e.currentTarget && close.current()}
    >
      <div className="p-4">{children}</div>
    </dialog>
  )
}
