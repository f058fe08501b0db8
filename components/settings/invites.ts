/** What the Invites panel shows and sends, without React: validation, links, rows. */
import { INVITE_ROLES } from '@/lib/core/events/kinds/invite'
import type { InviteView } from '@/lib/core/state/select-invites'

export type InviteRole = (typeof INVITE_ROLES)[number]

export const EXPIRY_CHOICES = [
  { label: '1 day', ms: 86_400_000 },
  { label: '7 days', ms: 7 * 86_400_000 },
  { label: '30 days', ms: 30 * 86_400_000 },
] as const

export interface InviteFormInput {
  role: string
  uses: string
  expiresMs: number
}

/** Parses the form; an error names the field in words. */
export function parseInviteForm(f: InviteFormInput): { ok: true; role: InviteRole; maxUses: number; ttlMs: number } | { ok: false; error: string } {
  if (!(INVITE_ROLES as readonly string[]).includes(f.role)) return { ok: false, error: `Choose a role: ${INVITE_ROLES.join(', ')}.` }
  const uses = Number(f.uses.trim())
  if (f.uses.trim() === '' || !Number.isInteger(uses) || uses < 1 || uses > 10_000) return { ok: false, error: 'Uses must be a whole number from 1 to 10000.' }
  return { ok: true, role: f.role as InviteRole, maxUses: uses, ttlMs: f.expiresMs }
}

/** The join link for an invite, under the app's own origin and path prefix. */
export const inviteLink = (appBase: string, text: string): string => `${appBase.replace(/\/+$/, '')}/join#invite=${text}`

/** The command line an agent runs with a token, in a clone of Chorus Mesh (the app's URL serves the room info agents need). */
export const agentCommand = (appBase: string, text: string): string => `npx chorus-mesh agent --name my-agent --relay ${appBase.replace(/\/+$/, '')} --invite ${text}`

/** "2 of 5 used, 3 left", or what is known of a limit the log has not seen. */
export function usesText(v: Pick<InviteView, 'used' | 'maxUses' | 'left'>): string {
  if (v.maxUses === undefined) return `${v.used} used`
  return `${v.used} of ${v.maxUses} used, ${v.left ?? 0} left`
}
