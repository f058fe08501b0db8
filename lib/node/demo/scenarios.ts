/**
 * The demo's cast (DESIGN §7, the CHORUS scenarios): who plays, with which policy, claiming
 * which tasks. The texts are chosen so the rules find exactly the intended pairs: the JWT pair
 * would also match the login page, so its agents start only after the auth pair has agreed and
 * completed its tasks (phase 2), as work in a real team would follow on.
 */
import type { PolicyName } from '../agent/policy'
import type { TaskInput } from '../agent/sdk'

export interface DemoAgent {
  name: string
  policy: PolicyName
  phase: 1 | 2
  tasks: TaskInput[]
}

const p = 'demo'

export const AUTH_API: TaskInput = { taskId: 'auth-api', projectId: p, repository: 'api', title: 'Define user authentication API', description: 'REST contract for signing users in and out, with error codes' }
export const LOGIN_PAGE: TaskInput = { taskId: 'login-page', projectId: p, repository: 'web', title: 'Build the login page', description: 'Form that calls the authentication API and shows its errors' }
const PREFS_TABLE: TaskInput = { taskId: 'prefs-table', projectId: p, repository: 'db', title: 'Add user preferences table', description: 'Migration creating the preferences table keyed by user id' }
const USER_SERVICE: TaskInput = { taskId: 'user-service', projectId: p, repository: 'users', title: 'User service for preferences', description: 'Service that reads and writes user preferences' }
const FLAG: TaskInput = { taskId: 'checkout-flag', projectId: p, repository: 'config', title: 'Add feature flag for the new checkout', description: 'Feature flag new_checkout, off by default, in the flag config' }
const CHECKS: TaskInput = { taskId: 'checkout-checks', projectId: p, repository: 'orders', title: 'Backend checks for the new checkout', description: 'Guard the checkout handler behind the new_checkout feature flag' }
const JWT: TaskInput = { taskId: 'jwt-refresh', projectId: p, repository: 'auth', title: 'Rotate JWT refresh tokens', description: 'Shorter access token lifetime and refresh token rotation' }
const MIDDLEWARE: TaskInput = { taskId: 'auth-middleware', projectId: p, repository: 'gateway', title: 'Update the auth middleware', description: 'Middleware must validate the rotated JWT access tokens on every request' }
const GUIDE: TaskInput = { taskId: 'contributor-guide', projectId: p, repository: 'docs', title: 'Tidy the contributor guide', description: 'Fix typos and broken links in the contributing guide' }

/** The cast. Scenario → expected end: auth and preferences resolve by consensus (the login page after one concern), the flag asks a reviewer to approve its plan (an approval request in the inbox), JWT escalates by message limit, the guide is a conflict. */
export const DEMO_AGENTS: readonly DemoAgent[] = [
  { name: 'api-agent', policy: 'agree', phase: 1, tasks: [AUTH_API] },
  { name: 'web-agent', policy: 'cautious', phase: 1, tasks: [LOGIN_PAGE] },
  { name: 'db-agent', policy: 'agree', phase: 1, tasks: [PREFS_TABLE, GUIDE] },
  { name: 'users-agent', policy: 'agree', phase: 1, tasks: [USER_SERVICE, GUIDE] },
  { name: 'flag-agent', policy: 'defer', phase: 1, tasks: [FLAG] },
  { name: 'orders-agent', policy: 'defer', phase: 1, tasks: [CHECKS] },
  { name: 'jwt-agent', policy: 'stubborn', phase: 2, tasks: [JWT] },
  { name: 'gateway-agent', policy: 'agree', phase: 2, tasks: [MIDDLEWARE] },
]
