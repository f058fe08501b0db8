import type { Metadata } from 'next'
import { PeersView } from '@/components/peers/PeersView'

export const metadata: Metadata = { title: 'Peers · Chorus Mesh' }

export default function PeersPage() {
  return <PeersView />
}
