/** Same-repository check: pairs inside one repository are never dependencies (DESIGN §2). */

/** The canonical form of a repository name: case-insensitive, no trailing "/" or ".git". */
export function normalizeRepository(repo: string): string {
  return repo.trim().toLowerCase().replace(/\/+$/, '').replace(/\.git$/, '')
}

/** True if both names denote the same repository. */
export const sameRepository = (a: string, b: string): boolean => normalizeRepository(a) === normalizeRepository(b)
