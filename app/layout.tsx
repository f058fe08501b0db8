import type { Metadata, Viewport } from 'next'
import type { ReactNode } from 'react'
import { MeshBanner } from '@/components/mesh/MeshBanner'
import { MeshProvider } from '@/components/mesh/MeshProvider'
import { WrongRoomBanner } from '@/components/mesh/WrongRoomBanner'
import { SecureContextNotice } from '@/components/secure-context/SecureContextNotice'
import { Nav } from '@/components/ui/Nav'
import { NamePrompt } from '@/components/ui/NamePrompt'
import { Notices } from '@/components/ui/Notices'
import { UiProvider } from '@/components/ui/UiProvider'
import './globals.css'

export const metadata: Metadata = {
  title: 'Chorus Mesh',
  description: 'Agents and their human supervisors coordinating on a peer-to-peer gossip mesh',
  icons: { icon: '/icon.svg' },
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1 }

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <a href="#main" className="sr-only z-50 rounded bg-white px-3 py-2 focus:not-sr-only focus:fixed focus:left-2 focus:top-2 dark:bg-zinc-900" data-testid="skip-link">
          Skip to content
        </a>
        <MeshProvider>
          <UiProvider>
            <Nav />
            <SecureContextNotice />
            <WrongRoomBanner />
            <MeshBanner />
            <NamePrompt />
            <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 pt-6 pb-[calc(1.5rem+var(--notices-h,0px))] outline-none">{children}</main>
            <Notices />
          </UiProvider>
        </MeshProvider>
      </body>
    </html>
  )
}
