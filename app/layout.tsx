import type { Metadata } from 'next'
import type { ReactNode } from 'react'
import { MeshBanner } from '@/components/mesh/MeshBanner'
import { MeshProvider } from '@/components/mesh/MeshProvider'
import { Nav } from '@/components/ui/Nav'
import { UiProvider } from '@/components/ui/UiProvider'
import './globals.css'

export const metadata: Metadata = {
  title: 'Chorus Mesh',
  description: 'Agents and their human supervisors coordinating on a peer-to-peer gossip mesh',
  icons: { icon: '/icon.svg' },
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <MeshProvider>
          <UiProvider>
            <Nav />
            <MeshBanner />
            <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
          </UiProvider>
        </MeshProvider>
      </body>
    </html>
  )
}
