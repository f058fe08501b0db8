/**
 * UI-only slice for the escalation inbox: the filter, the selected item, the open action form
 * and which escalations this tab has already seen (for the unread badge). Created per provider
 * with `zustand/vanilla`; never holds domain state (that lives in the room store).
 */
import { createStore } from 'zustand/vanilla'

export const INBOX_FILTERS = ['open', 'claimed', 'decided', 'all'] as const
/** Which escalations the inbox lists. */
export type InboxFilter = (typeof INBOX_FILTERS)[number]
/** The review dialog's mode, if it is open. */
export type ActionForm = 'approve' | 'edit' | 'resolve' | 'return' | null

export interface UiInboxState {
  filter: InboxFilter
  selected: string | null
  form: ActionForm
  help: boolean
  /** Ids of the requests (their raising events) this tab has opened. */
  read: ReadonlySet<string>
  /** Requests this reviewer set aside (approval and quorum requests only); kept in this browser. */
  dismissed: ReadonlySet<string>
  /** Phone layout: the detail is shown instead of the list. */
  showDetail: boolean
  setFilter(filter: InboxFilter): void
  select(session: string | null): void
  setForm(form: ActionForm): void
  setHelp(open: boolean): void
  markRead(request: string): void
  dismiss(request: string): void
  setShowDetail(show: boolean): void
}

export type UiInboxStore = ReturnType<typeof createUiInboxStore>

/** Creates the inbox UI slice; `onRead` persists the read set (e.g. to localStorage). */
export function createUiInboxStore(init: { read?: Iterable<string>; onRead?: (read: ReadonlySet<string>) => void; dismissed?: Iterable<string>; onDismiss?: (d: ReadonlySet<string>) => void } = {}) {
  return createStore<UiInboxState>()((set, get) => ({
    filter: 'open',
    selected: null,
    form: null,
    help: false,
    read: new Set(init.read ?? []),
    dismissed: new Set(init.dismissed ?? []),
    showDetail: false,
    setFilter: (filter) => set({ filter }),
    select: (selected) => set(selected === get().selected ? {} : { selected, form: null }),
    setForm: (form) => set({ form }),
    setHelp: (help) => set({ help }),
    setShowDetail: (showDetail) => set({ showDetail }),
    dismiss: (id) => {
      const dismissed = new Set(get().dismissed).add(id)
      set({ dismissed })
      init.onDismiss?.(dismissed)
    },
    markRead: (id) => {
      if (get().read.has(id)) return
      const read = new Set(get().read).add(id)
      set({ read })
      init.onRead?.(read)
    },
  }))
}
