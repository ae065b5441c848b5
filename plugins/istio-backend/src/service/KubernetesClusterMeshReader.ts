import { ClusterMeshStatus } from '@ambient-mesh/plugin-istio-common';
import {
  ClusterClientFactory,
  IstioDiagnosticRule,
  MeshCache,
  MeshReader,
} from '@ambient-mesh/plugin-istio-node';
import { ClusterMeshReader } from './MeshService';

/**
 * Reads the mesh state of an entity's workloads from a configured cluster,
 * through @kubernetes/client-node, and assesses it.
 */
export class KubernetesClusterMeshReader implements ClusterMeshReader {
  private readonly reader: MeshReader;
  private readonly cache?: MeshCache;

  constructor(
    private readonly clusters: ClusterClientFactory,
    options: {
      requestTimeoutMs: number;
      cache?: MeshCache;
      /** Adopters' rules, run after the built-in ones. */
      diagnosticRules?: IstioDiagnosticRule[];
    },
  ) {
    this.cache = options.cache;
    this.reader = new MeshReader({
      requestTimeoutMs: options.requestTimeoutMs,
    });
    this.diagnosticRules = options.diagnosticRules ?? [];
  }

  private readonly diagnosticRules: IstioDiagnosticRule[];

  /** The status from the watch-fed cache; undefined while it is not synced. */
  readCached(options: {
    cluster: string;
    namespace: string;
    labelSelector: string;
  }): ClusterMeshStatus | undefined {
    return this.cache?.status(
      options.cluster,
      {
        namespace: options.namespace,
        labelSelector: options.labelSelector,
      },
      { diagnosticRules: this.diagnosticRules },
    );
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
      { diagnosticRules: this.diagnosticRules },
    );
  }
}
