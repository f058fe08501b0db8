import { MeshHealth } from '@/components/mesh/MeshHealth'

export default function OverviewPage() {
  return <MeshHealth />
}
