import type { Metadata } from 'next'
import { OutcomesView } from '@/components/outcomes/OutcomesView'

export const metadata: Metadata = { title: 'Outcomes · Chorus Mesh' }

export default function OutcomesPage() {
  return <OutcomesView />
}
