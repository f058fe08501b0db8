/**
 * The realistic room's work: features a product team builds across repositories, each feature
 * a task per repository whose texts really depend on each other (a table, the service that
 * reads it, the API over the service, the pages and screens that call the API, a flag that
 * gates them, the report and the e-mails that read the table). One agent per repository; an
 * agent claims its repository's task of each feature, so `agents × tasksPerAgent` tasks.
 */
import type { PolicyName } from '../../lib/node/agent/policy'
import type { TaskInput } from '../../lib/node/agent/sdk'

/** One agent of the workload: its repository, its reply policy, its tasks in claim order. */
export interface WorkloadAgent {
  name: string
  repository: string
  policy: PolicyName
  tasks: TaskInput[]
}

/** Nouns a feature is about: distinct, so that features do not link to each other by accident. */
const ENTITIES = [
  ['invoice', 'invoices'], ['refund', 'refunds'], ['coupon', 'coupons'], ['wishlist', 'wishlists'], ['shipment', 'shipments'],
  ['voucher', 'vouchers'], ['avatar', 'avatars'], ['referral', 'referrals'], ['newsletter', 'newsletters'], ['ticket', 'tickets'],
  ['bundle', 'bundles'], ['warehouse', 'warehouses'], ['courier', 'couriers'], ['receipt', 'receipts'], ['badge', 'badges'],
  ['playlist', 'playlists'], ['bookmark', 'bookmarks'], ['survey', 'surveys'], ['reminder', 'reminders'], ['attachment', 'attachments'],
  ['comment', 'comments'], ['label', 'labels'], ['subscriber', 'subscribers'], ['appointment', 'appointments'], ['quote', 'quotes'],
  ['estimate', 'estimates'], ['timesheet', 'timesheets'], ['contract', 'contracts'], ['vendor', 'vendors'], ['catalog', 'catalogs'],
] as const

type Layer = { repo: string; agent: string; policy: PolicyName; title: (e: string, es: string) => string; description: (e: string, es: string) => string }

/**
 * The repositories (one agent each) with the demo's policies: most agree, the web agent is
 * cautious (one concern, then agrees), the mobile agent defers to a reviewer, the reports
 * agent is stubborn (its sessions escalate by message limit into the inbox).
 */
const LAYERS: readonly Layer[] = [
  { repo: 'acme/db-migrations', agent: 'db-agent', policy: 'agree', title: (e, es) => `Add the ${es} table`, description: (e, es) => `Migration creating the ${es} table with a foreign key to accounts and an index on status; backfill the ${e} rows we already keep in JSON.` },
  { repo: 'acme/core-service', agent: 'service-agent', policy: 'agree', title: (e) => `${cap(e)} service`, description: (e) => `Persist ${e} records and publish an event whenever a ${e} changes status.` },
  { repo: 'acme/public-api', agent: 'api-agent', policy: 'agree', title: (e) => `Define the ${e} REST routes`, description: (e, es) => `OpenAPI document for listing, creating and archiving ${es}, with paging and error codes.` },
  { repo: 'acme/web-app', agent: 'web-agent', policy: 'cautious', title: (e, es) => `Build the ${es} page`, description: (e, es) => `Page that lists ${es} through the ${e} REST routes, with a form to create one; hidden behind the ${e} feature flag until launch.` },
  { repo: 'acme/mobile-app', agent: 'mobile-agent', policy: 'defer', title: (e) => `${cap(e)} screen in the mobile app`, description: (e, es) => `Screen that calls the ${e} REST routes and shows ${es} offline from the last sync.` },
  { repo: 'acme/platform-config', agent: 'config-agent', policy: 'agree', title: (e, es) => `Add a feature flag for ${es}`, description: (e, es) => `Feature flag ${e}_enabled in the flag config, off by default, for a staged rollout of ${es}.` },
  { repo: 'acme/notifications', agent: 'notify-agent', policy: 'agree', title: (e) => `E-mail ${e} updates`, description: (e) => `Worker that listens for ${e} status events and sends the owner an e-mail.` },
  { repo: 'acme/reports', agent: 'reports-agent', policy: 'stubborn', title: (e) => `Weekly ${e} report`, description: (e, es) => `Query over the ${es} table: counts by status per week, for the finance dashboard.` },
]

const cap = (s: string): string => s[0].toUpperCase() + s.slice(1)

/** The first `agents` repositories' agents, each with `tasksPerAgent` features' tasks. `offset` shifts the features (a disjoint set). */
export function workload(agents: number, tasksPerAgent: number, offset = 0): WorkloadAgent[] {
  if (agents > LAYERS.length) throw new Error(`at most ${LAYERS.length} agents (one per repository)`)
  if (offset + tasksPerAgent > ENTITIES.length) throw new Error(`at most ${ENTITIES.length} features`)
  return LAYERS.slice(0, agents).map((l) => ({
    name: l.agent,
    repository: l.repo,
    policy: l.policy,
    tasks: ENTITIES.slice(offset, offset + tasksPerAgent).map(([e, es]) => ({
      taskId: `${l.repo.split('/')[1]}-${e}`,
      projectId: 'acme',
      repository: l.repo,
      title: l.title(e, es),
      description: l.description(e, es),
    })),
  }))
}
