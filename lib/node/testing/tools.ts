/**
 * Third-party programs some tests need (promtool, openssl, caddy, nginx, turnserver). `.ci/run`
 * installs them; a test that needs one fails with the package to install when it is missing,
 * so a machine without it cannot pass by skipping.
 */
import { spawnSync } from 'node:child_process'

/** Debian package that provides each program. */
const PACKAGE: Record<string, string> = { promtool: 'prometheus', openssl: 'openssl', caddy: 'caddy', nginx: 'nginx-light', turnserver: 'coturn' }

/** The program's path; throws naming the Debian package when it is not installed. */
export function requireTool(name: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${name} || ls /usr/sbin/${name} 2>/dev/null`], { encoding: 'utf8' })
  const path = r.stdout.trim().split('\n')[0]
  if (r.status !== 0 || path === '') throw new Error(`${name} is not installed: apt-get install -y ${PACKAGE[name] ?? name} (.ci/run does)`)
  return path
}

/** A self-signed certificate for `names` (DNS names and IPs), as PEM files in `dir`. */
export function selfSignedCert(dir: string, names: string[]): { cert: string; key: string } {
  const openssl = requireTool('openssl')
  const cert = `${dir}/cert.pem`
  const key = `${dir}/key.pem`
  const san = names.map((n) => (/^[\d.]+$/.test(n) || n.includes(':') ? `IP:${n}` : `DNS:${n}`)).join(',')
  const r = spawnSync(openssl, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${san}`, '-keyout', key, '-out', cert], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`)
  return { cert, key }
}
