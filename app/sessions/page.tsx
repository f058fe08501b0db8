import type { Metadata } from 'next'
import { SessionsView } from '@/components/sessions/SessionsView'

export const metadata: Metadata = { title: 'Sessions · Chorus Mesh' }

export default function SessionsPage() {
  return <SessionsView />
}
