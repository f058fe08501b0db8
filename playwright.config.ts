import { defineConfig } from '@playwright/test'
import { E2E } from './e2e/fixtures/ports'

/**
 * End-to-end tests in Debian's Chromium (no browser download: CHROMIUM_PATH overrides the
 * path). The web app is built and served by Playwright; relays and agents are started by the
 * tests themselves, because the tests kill and restart them.
 */
export default defineConfig({
  testDir: './e2e',
  timeout: 120_000,
  // A whole run ends with a report naming what was still running, never by the CI's own limit.
  globalTimeout: 45 * 60_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${E2E.webPort}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // WebRTC between tabs on a machine that may only have loopback.
        '--allow-loopback-in-peer-connection',
        '--disable-features=WebRtcHideLocalIpsWithMdns',
      ],
    },
  },
  webServer: {
    command: `node node_modules/next/dist/bin/next build && node node_modules/next/dist/bin/next start --hostname 127.0.0.1 --port ${E2E.webPort}`,
    url: `http://127.0.0.1:${E2E.webPort}/peers`,
    timeout: 240_000,
    reuseExistingServer: !process.env.CI,
    env: { CHORUS_RELAY_HTTP: `http://127.0.0.1:${E2E.relayHttpPort}`, NEXT_TELEMETRY_DISABLED: '1' },
    stdout: 'ignore',
    stderr: 'pipe',
  },
})
