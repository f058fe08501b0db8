'use client'
/**
 * A virtualised listbox: only the rows in view are in the DOM, so a list of thousands is laid
 * out as cheaply as a screenful. It is one focusable element whose active option is named by
 * `aria-activedescendant`, so the keyboard moves the selection (Home/End here, and with
 * `arrows` also ↑/↓ and j/k) without a tab stop per row; Enter opens the active option.
 * Options that lead to a page (`href`) are links themselves, out of the tab order, so the
 * browser's own ways of opening a link (middle click, the context menu, a modified click) work.
 */
import Link from 'next/link'
import { useEffect, useRef, type HTMLAttributes, type MouseEvent, type ReactNode } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'

/** Keys that move the active option when the list handles arrows itself. */
const STEP: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 }

/** What an option carries besides its content: test ids, data attributes, its own classes. */
export type OptionAttributes = Omit<HTMLAttributes<HTMLElement>, 'role' | 'id' | 'style' | 'onClick' | 'onMouseDown' | 'children'> & Record<`data-${string}`, unknown>

export interface VirtualListProps<T> {
  items: readonly T[]
  /** Each option's fixed height in pixels. */
  rowHeight: number
  keyOf(item: T): string
  /** The DOM id of an option, for `aria-activedescendant`. */
  optionId(key: string): string
  active: string | null
  onActive(key: string): void
  /** Enter on the list, or a click on an option without `href` (a link option's click follows the link). */
  onOpen(key: string, e: { ctrlKey: boolean; metaKey: boolean }): void
  /** Where an option leads: the option is then a link (its click navigates on the client). */
  href?(key: string): string
  /** True: ↑/↓ and j/k move the active option (false when the page handles them). */
  arrows?: boolean
  label: string
  option(item: T, active: boolean): { attributes?: OptionAttributes; content: ReactNode }
  className?: string
  id?: string
  /** Attributes of the listbox itself (test ids, counts). */
  attributes?: Record<`data-${string}`, unknown>
}

/** The list; the active option is kept in view. */
export function VirtualList<T>(p: VirtualListProps<T>) {
  const { items, rowHeight, keyOf, active } = p
  const parent = useRef<HTMLDivElement>(null)
  const v = useVirtualizer({ count: items.length, getScrollElement: () => parent.current, estimateSize: () => rowHeight, overscan: 8 })
  const index = active == null ? -1 : items.findIndex((x) => keyOf(x) === active)
  useEffect(() => {
    if (index >= 0) v.scrollToIndex(index, { align: 'auto' })
  }, [index, v])
  return (
    <div
      ref={parent}
      id={p.id}
      className={`overflow-auto ${p.className ?? ''}`}
      role="listbox"
      tabIndex={0}
      aria-label={p.label}
      aria-activedescendant={index >= 0 ? p.optionId(keyOf(items[index])) : undefined}
      {...p.attributes}
      onKeyDown={(e) => {
        if (items.length === 0 || e.ctrlKey || e.metaKey || e.altKey) return
        const step = p.arrows ? STEP[e.key] : undefined
        if (e.key === 'Home' || e.key === 'End') {
          e.preventDefault()
          p.onActive(keyOf(items[e.key === 'Home' ? 0 : items.length - 1]))
        } else if (step != null) {
          e.preventDefault()
          const at = index < 0 ? (step > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, index + step))
          p.onActive(keyOf(items[at]))
        } else if (e.key === 'Enter' && active != null && index >= 0) {
          e.preventDefault()
          p.onOpen(active, e)
        }
      }}
    >
      <div style={{ height: v.getTotalSize(), position: 'relative' }}>
        {v.getVirtualItems().map((row) => {
          const item = items[row.index]
          const key = keyOf(item)
          const { attributes, content } = p.option(item, key === active)
          const common = {
            role: 'option',
            id: p.optionId(key),
            'aria-selected': key === active,
            ...attributes,
            style: { position: 'absolute', top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${row.start}px)` } as const,
          }
          if (p.href == null) {
            return (
              <div key={key} {...common} onClick={(e) => (p.onActive(key), p.onOpen(key, e))}>
                {content}
              </div>
            )
          }
          // A link option never takes the focus from the list (which would leave
          // aria-activedescendant naming an option while another element has the focus).
          const keepFocus = (e: MouseEvent) => {
            if (e.button !== 0) return
            e.preventDefault()
            parent.current?.focus({ preventScroll: true })
          }
          return (
            <Link key={key} href={p.href(key)} prefetch={false} tabIndex={-1} {...common} onMouseDown={keepFocus} onClick={() => p.onActive(key)}>
              {content}
            </Link>
          )
        })}
      </div>
    </div>
  )
}
