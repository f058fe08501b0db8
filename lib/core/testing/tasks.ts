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
