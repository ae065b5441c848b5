import { ClusterMeshStatus } from '@ambient-mesh/plugin-istio-common';
import {
  ClusterClientFactory,
  MeshReader,
} from '@ambient-mesh/plugin-istio-node';
import { ClusterMeshReader } from './MeshService';

/**
 * Reads the mesh state of an entity's workloads from a configured cluster,
 * through @kubernetes/client-node, and assesses it.
 */
export class KubernetesClusterMeshReader implements ClusterMeshReader {
  private readonly reader: MeshReader;

  constructor(
    private readonly clusters: ClusterClientFactory,
    options: { requestTimeoutMs: number },
  ) {
    this.reader = new MeshReader({
      requestTimeoutMs: options.requestTimeoutMs,
    });
  }

  read(options: {
    cluster: string;
    namespace: string;
    labelSelector: string;
  }): Promise<ClusterMeshStatus> {
    return this.reader.readStatus(
      options.cluster,
      this.clusters.getKubeConfig(options.cluster),
      { namespace: options.namespace, labelSelector: options.labelSelector },
    );
  }
}
