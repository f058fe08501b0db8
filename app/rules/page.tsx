import type { Metadata } from 'next'
import { RulesView } from '@/components/rules/RulesView'

export const metadata: Metadata = { title: 'Rules · Chorus Mesh' }

export default function RulesPage() {
  return <RulesView />
}
