/** Invites: signing (issue.ts), the relay's book of issued invites (book.ts), the operator's command (command.ts). */
export { issueInvite, joinLink, signFreshInvite, type InviteOptions } from './issue'
