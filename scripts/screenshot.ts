/**
 * Regenerates the README screenshots from a running `npm start -- --demo`: the inbox with the
 * demo's requests for a human, the dependency graph, and `/peers` of a tab that sees a second
 * tab over WebRTC. Usage: `node --import tsx scripts/screenshot.ts [url] [docs-dir]`.
 */
import { chromium, type Page } from '@playwright/test'
import { join } from 'node:path'

const url = process.argv[2] ?? 'http://127.0.0.1:3000'
const dir = process.argv[3] ?? 'docs'
const viewport = { width: 1280, height: 720 }

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'],
})

/** Lets in-flight renders and transitions finish so the image shows a settled page. */
const settle = (page: Page) => page.waitForTimeout(2000)

try {
  const other = await (await browser.newContext()).newPage()
  await other.goto(`${url}/peers`)
  const page = await (await browser.newContext({ viewport })).newPage()

  // The demo's agents ask for a human within a minute or two of starting.
  await page.goto(`${url}/inbox`)
  // The first-run name prompt would sit above every view in the images.
  const notNow = page.getByRole('button', { name: 'Not now' })
  await notNow.waitFor({ timeout: 15_000 }).then(() => notNow.click(), () => undefined)
  await page.getByRole('option').first().waitFor({ timeout: 180_000 })
  await page.getByRole('option').first().click()
  await settle(page)
  await page.screenshot({ path: join(dir, 'screenshot-inbox.png') })

  await page.goto(`${url}/graph`)
  await page.getByTestId('graph-node').first().waitFor({ timeout: 120_000 })
  await settle(page)
  await page.screenshot({ path: join(dir, 'screenshot-graph.png') })

  await page.goto(`${url}/peers`)
  await page.locator('[data-testid="peer-row"][data-transport="webrtc"]').first().waitFor({ timeout: 120_000 })
  await settle(page)
  await page.screenshot({ path: join(dir, 'screenshot.png') })
  console.log(`wrote ${['screenshot-inbox.png', 'screenshot-graph.png', 'screenshot.png'].map((f) => join(dir, f)).join(', ')}`)
} finally {
  await browser.close()
}
