import { EmptyState } from '@backstage/core-components';
import { AsyncSection } from '../shared/AsyncSection';
import { ClusterResults } from '../shared/ClusterResults';
import { ClusterMeshView } from './ClusterMeshView';
import { useMesh } from './useMesh';

/** The mesh status of the entity, per cluster. */
export function MeshSection() {
  const state = useMesh();
  return (
    <AsyncSection state={state} title="the mesh status">
      {response =>
        response.clusters.length === 0 ? (
          <EmptyState
            missing="data"
            title="No cluster runs this entity"
            description="No configured cluster has workloads for this entity. Check the backstage.io/kubernetes-cluster annotation and the clusters in kubernetes.clusterLocatorMethods."
          />
        ) : (
          <ClusterResults results={response.clusters} what="the mesh status">
            {status => <ClusterMeshView status={status} />}
          </ClusterResults>
        )
      }
    </AsyncSection>
  );
}
