import type { Metadata } from 'next'
import { GraphView } from '@/components/graph/GraphView'

export const metadata: Metadata = { title: 'Graph · Chorus Mesh' }

export default function GraphPage() {
  return <GraphView />
}
