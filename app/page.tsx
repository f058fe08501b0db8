import { ActivityFeed } from '@/components/mesh/ActivityFeed'
import { MeshHealth } from '@/components/mesh/MeshHealth'

export default function OverviewPage() {
  return (
    <div className="space-y-8">
      <MeshHealth />
      <ActivityFeed />
    </div>
  )
}
