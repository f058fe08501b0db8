'use client'
/**
 * UI-only stores (selection, filters, read marks), one set per provider (STYLE.md: stores per
 * provider). The read marks survive reloads in localStorage, keyed by nothing but the origin:
 * escalation ids are content addresses, so they never collide across rooms.
 */
import { createContext, useContext, useState, type ReactNode } from 'react'
import { useStore } from 'zustand'
import { createUiInboxStore, type UiInboxState, type UiInboxStore } from '@/lib/stores/ui-inbox'

const READ_KEY = 'chorus.inbox.read'
const UiInboxContext = createContext<UiInboxStore | null>(null)

function loadRead(): string[] {
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(READ_KEY)
    const parsed: unknown = raw ? JSON.parse(raw) : []
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

/** Provides the UI slices to everything below it. */
export function UiProvider({ children }: { children: ReactNode }) {
  const [inbox] = useState(() =>
    createUiInboxStore({
      read: loadRead(),
      onRead: (read) => {
        try {
          localStorage.setItem(READ_KEY, JSON.stringify([...read].slice(-5000)))
        } catch {
          // storage full or disabled: the badge just forgets across reloads
        }
      },
    }),
  )
  return <UiInboxContext.Provider value={inbox}>{children}</UiInboxContext.Provider>
}

/** Reads the inbox UI slice through a selector; throws outside <UiProvider>. */
export function useUiInbox<T>(selector: (s: UiInboxState) => T): T {
  const store = useContext(UiInboxContext)
  if (store == null) throw new Error('useUiInbox must be used inside <UiProvider>')
  return useStore(store, selector)
}
