import { ClusterMeshStatus } from '@ambient-mesh/plugin-istio-common';
import {
  ClusterClientFactory,
  IstioDiagnosticRule,
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
    options: {
      requestTimeoutMs: number;
      /** Adopters' rules, run after the built-in ones. */
      diagnosticRules?: IstioDiagnosticRule[];
    },
  ) {
    this.reader = new MeshReader({
      requestTimeoutMs: options.requestTimeoutMs,
    });
    this.diagnosticRules = options.diagnosticRules ?? [];
  }

  private readonly diagnosticRules: IstioDiagnosticRule[];

  read(options: {
    cluster: string;
    namespace: string;
    labelSelector: string;
  }): Promise<ClusterMeshStatus> {
    return this.reader.readStatus(
      options.cluster,
      this.clusters.getKubeConfig(options.cluster),
      { namespace: options.namespace, labelSelector: options.labelSelector },
      { diagnosticRules: this.diagnosticRules },
    );
  }
}
