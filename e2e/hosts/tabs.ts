/**
 * Chromium tabs on lab hosts: Playwright launches Debian's Chromium through a two-line script
 * that enters the host's namespace (`ip netns exec … chromium "$@"`), so the browser's every
 * socket — the page, WebSockets to relays, WebRTC to other tabs — is on that host. Playwright
 * talks to it over a pipe, which needs no network at all.
 */
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from '@playwright/test'
import type { Lab } from './netns'

/** The flags of playwright.config.ts (WebRTC between hosts with plain host candidates). */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
]

/** One tab in its own browser on a lab host. */
export class LabTab {
  private constructor(
    readonly name: string,
    readonly browser: Browser,
    readonly page: Page,
  ) {}

  /** Launches Chromium on `host` (via a launcher script in `tmp`) and opens one page. */
  static async open(lab: Lab, host: string, name: string, tmp: string): Promise<LabTab> {
    const launcher = join(tmp, `chromium-${host}.sh`)
    writeFileSync(launcher, `#!/bin/sh\nexec ip netns exec ${lab.host(host).ns} ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} "$@"\n`)
    chmodSync(launcher, 0o755)
    const browser = await chromium.launch({ executablePath: launcher, args: FLAGS, timeout: 120_000 })
    const page = await (await browser.newContext()).newPage()
    page.setDefaultTimeout(60_000)
    return new LabTab(name, browser, page)
  }

  /** Follows an invite link on the web app at `base` and waits until this tab holds `role`. */
  async join(base: string, invite: string, role: string, timeoutMs = 120_000): Promise<string> {
    await this.page.goto(`${base}/join#invite=${invite}`, { timeout: timeoutMs })
    await this.page.getByTestId('join-status').and(this.page.locator(`[data-role="${role}"]`)).waitFor({ timeout: timeoutMs })
    return this.peerId()
  }

  peerId(): Promise<string> {
    return this.page.evaluate(() => window.chorus?.store.getState().self?.peerId ?? '')
  }

  /** The replica's summary root as this tab shows it. */
  root(): Promise<string> {
    return this.page.evaluate(() => window.chorus?.store.getState().replica?.root ?? 'none')
  }

  events(): Promise<number> {
    return this.page.evaluate(() => window.chorus?.store.getState().replica?.events ?? 0)
  }

  /** Relays this tab holds an open connection to (peer ids), as its peers view sees them. */
  relaysConnected(): Promise<number> {
    return this.page.evaluate(() => (window.chorus?.store.getState().peers ?? []).filter((p) => p.kind === 'relay' && p.transport === 'websocket').length)
  }

  /**
   * Signs an event as this tab (a rename: any member may) and resolves with its id once the
   * tab stored it durably — the acknowledgement a person gets in the UI. Rejects when refused.
   */
  write(displayName: string, timeoutMs = 30_000): Promise<string> {
    return this.page.evaluate(
      async ([name, ms]) => {
        const mesh = window.chorus?.store.getState().mesh
        if (!mesh) throw new Error('the tab has no mesh yet')
        const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not stored in ${ms} ms`)), ms))
        return (await Promise.race([mesh.author('member.renamed', { displayName: name }), timeout])).id
      },
      [displayName, timeoutMs] as const,
    )
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined)
  }
}
