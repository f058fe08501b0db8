/**
 * UI-only slice for the escalation inbox: the filter, the selected item, the open action form
 * and which escalations this tab has already seen (for the unread badge). Created per provider
 * with `zustand/vanilla`; never holds domain state (that lives in the room store).
 */
import { createStore } from 'zustand/vanilla'

export const INBOX_FILTERS = ['open', 'claimed', 'decided', 'all'] as const
/** Which escalations the inbox lists. */
export type InboxFilter = (typeof INBOX_FILTERS)[number]
/** The action form open in the detail pane, if any. */
export type ActionForm = 'edit' | 'resolve' | 'return' | null

export interface UiInboxState {
  filter: InboxFilter
  selected: string | null
  form: ActionForm
  help: boolean
  /** Escalation event ids this tab has opened. */
  read: ReadonlySet<string>
  setFilter(filter: InboxFilter): void
  select(session: string | null): void
  setForm(form: ActionForm): void
  setHelp(open: boolean): void
  markRead(escalationEvent: string): void
}

export type UiInboxStore = ReturnType<typeof createUiInboxStore>

/** Creates the inbox UI slice; `onRead` persists the read set (e.g. to localStorage). */
export function createUiInboxStore(init: { read?: Iterable<string>; onRead?: (read: ReadonlySet<string>) => void } = {}) {
  return createStore<UiInboxState>()((set, get) => ({
    filter: 'open',
    selected: null,
    form: null,
    help: false,
    read: new Set(init.read ?? []),
    setFilter: (filter) => set({ filter }),
    select: (selected) => set(selected === get().selected ? {} : { selected, form: null }),
    setForm: (form) => set({ form }),
    setHelp: (help) => set({ help }),
    markRead: (id) => {
      if (get().read.has(id)) return
      const read = new Set(get().read).add(id)
      set({ read })
      init.onRead?.(read)
    },
  }))
}
