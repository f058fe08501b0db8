'use client'
/**
 * UI-only stores (selection, filters, read marks, decisions in their undo window), one set per
 * provider (STYLE.md: stores per provider). Read and dismiss marks survive reloads in
 * localStorage, keyed by nothing but the origin: request ids are event ids (content
 * addresses), so they never collide across rooms.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'
import { useStore } from 'zustand'
import { createUiInboxStore, type UiInboxState, type UiInboxStore } from '@/lib/stores/ui-inbox'
import { createUiDecisionsStore, type UiDecisionsState, type UiDecisionsStore } from '@/lib/stores/ui-decisions'

const READ_KEY = 'chorus.inbox.read'
const DISMISSED_KEY = 'chorus.inbox.dismissed'
const UiInboxContext = createContext<UiInboxStore | null>(null)
const UiDecisionsContext = createContext<UiDecisionsStore | null>(null)

function load(key: string): string[] {
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(key)
    const parsed: unknown = raw ? JSON.parse(raw) : []
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

function save(key: string, ids: ReadonlySet<string>): void {
  try {
    localStorage.setItem(key, JSON.stringify([...ids].slice(-5000)))
  } catch {
    // storage full or disabled: the marks just do not survive a reload
  }
}

/** Provides the UI slices to everything below it. */
export function UiProvider({ children }: { children: ReactNode }) {
  const [inbox] = useState(() =>
    createUiInboxStore({ read: load(READ_KEY), onRead: (r) => save(READ_KEY, r), dismissed: load(DISMISSED_KEY), onDismiss: (d) => save(DISMISSED_KEY, d) }),
  )
  const [decisions] = useState(createUiDecisionsStore)
  useEffect(() => {
    // A decision still in its undo window is sent, and the browser asks before the page goes.
    const onLeave = (e: BeforeUnloadEvent) => {
      if (decisions.getState().pending.length === 0) return
      decisions.getState().flush()
      e.preventDefault()
    }
    window.addEventListener('beforeunload', onLeave)
    return () => window.removeEventListener('beforeunload', onLeave)
  }, [decisions])
  return (
    <UiInboxContext.Provider value={inbox}>
      <UiDecisionsContext.Provider value={decisions}>{children}</UiDecisionsContext.Provider>
    </UiInboxContext.Provider>
  )
}

/** Reads the inbox UI slice through a selector; throws outside <UiProvider>. */
export function useUiInbox<T>(selector: (s: UiInboxState) => T): T {
  const store = useContext(UiInboxContext)
  if (store == null) throw new Error('useUiInbox must be used inside <UiProvider>')
  return useStore(store, selector)
}

/** Reads the pending-decisions slice through a selector; throws outside <UiProvider>. */
export function useUiDecisions<T>(selector: (s: UiDecisionsState) => T): T {
  const store = useContext(UiDecisionsContext)
  if (store == null) throw new Error('useUiDecisions must be used inside <UiProvider>')
  return useStore(store, selector)
}
