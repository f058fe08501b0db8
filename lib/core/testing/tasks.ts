/** Tasks from the CHORUS examples, for tests. */
import type { Task } from '../rules/types'

/** A task in a repository. */
export const task = (taskId: string, repository: string, title: string, description = ''): Task => ({
  taskId,
  projectId: 'chorus',
  repository,
  title,
  description,
})

export const AUTH_API = task('auth-api', 'api', 'Define user authentication API', 'Specify the login endpoint contract')
export const LOGIN_PAGE = task('login-page', 'web', 'Implement login page', 'Login form that calls the authentication API')
export const README_TYPO = task('readme-typo', 'docs', 'Fix typo in README')

/** The CHORUS example pairs (each pair in different repositories) plus a task two agents may both claim. */
export const CHORUS_TASKS: readonly Task[] = [
  AUTH_API,
  LOGIN_PAGE,
  task('auth-endpoint', 'server', 'Implement authentication endpoint'),
  task('prefs-table', 'db', 'Add user preferences table'),
  task('user-service', 'svc', 'Update user service for preferences'),
  task('flag', 'config', 'Add feature flag for new UI'),
  task('flag-checks', 'backend', 'Implement feature flag checks in backend'),
  task('jwt-refresh', 'auth', 'Implement JWT token refresh'),
  task('auth-middleware', 'gateway', 'Update authentication middleware'),
  README_TYPO,
]
