import { AsyncSection } from '../shared/AsyncSection';
import { EmptyState } from '../shared/EmptyState';
import { ClusterResults } from '../shared/ClusterResults';
import { ClusterMeshView } from './ClusterMeshView';
import { useMesh } from './useMesh';

/** The mesh status of the entity, per cluster. */
export function MeshSection(props: {
  /** The mesh request, when the tab already made it; else made here. */
  state?: ReturnType<typeof useMesh>;
}) {
  const own = useMesh(props.state !== undefined);
  const state = props.state ?? own;
  return (
    <AsyncSection state={state} title="the mesh status" skeletonHeight={480}>
      {response =>
        response.clusters.length === 0 ? (
          <EmptyState
            missing="data"
            title="No cluster runs this entity"
            description="No configured cluster has workloads for this entity. Check the backstage.io/kubernetes-cluster annotation and the clusters in kubernetes.clusterLocatorMethods."
          />
        ) : (
          <ClusterResults results={response.clusters} what="the mesh status">
            {(status, cluster, namespace) => (
              <ClusterMeshView
                status={status}
                anchors={
                  cluster === response.clusters[0].cluster &&
                  namespace === response.clusters[0].namespace
                }
              />
            )}
          </ClusterResults>
        )
      }
    </AsyncSection>
  );
}
