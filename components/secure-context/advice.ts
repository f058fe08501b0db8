/** What to tell someone whose page is not a secure context; null when it is one. */
export function secureContextAdvice(isSecure: boolean, location: Pick<Location, 'protocol' | 'hostname' | 'port' | 'pathname'>): string | null {
  if (isSecure) return null
  const port = location.port ? `:${location.port}` : ''
  return (
    `Browsers allow what it needs only over https or on localhost. Open it over https ` +
    `(https://${location.hostname}${location.pathname}: put it behind Caddy or nginx, see docs/deploy.md), ` +
    `or on this machine as http://localhost${port}${location.pathname}, or tunnel it: ssh -L ${location.port || '80'}:localhost:${location.port || '80'} <server>.`
  )
}
