/**
 * Regenerates the README screenshot: opens two tabs of a running `npm start` in Chromium and
 * captures `/peers` of the first. Usage: `node --import tsx scripts/screenshot.ts [url] [out.png]`.
 */
import { chromium } from '@playwright/test'

const url = process.argv[2] ?? 'http://127.0.0.1:3000'
const out = process.argv[3] ?? 'docs/screenshot.png'

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'],
})
const other = await (await browser.newContext()).newPage()
await other.goto(`${url}/peers`)
const page = await (await browser.newContext({ viewport: { width: 1200, height: 640 } })).newPage()
await page.goto(`${url}/peers`)
await page.locator('[data-testid="peer-row"][data-transport="webrtc"]').first().waitFor({ timeout: 30_000 })
await page.waitForTimeout(3000)
await page.screenshot({ path: out })
await browser.close()
console.log(`wrote ${out}`)
