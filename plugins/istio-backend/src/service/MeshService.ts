import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  ClusterMeshStatus,
  ClusterResult,
  EntityMeshResponse,
  gradeMtls,
  gradingMode,
} from '@ambient-mesh/plugin-istio-common';
import { applyScrapeTargets } from '@ambient-mesh/plugin-istio-node';
import { CachedLoader, cacheKey } from '../lib/CachedLoader';
import { withDeadline } from '../lib/deadline';
import { toSectionError } from '../lib/sectionError';
import { MetricsService } from './MetricsService';
import {
  PlacementResult,
  resolvePlacements,
  WorkloadNamespaceFinder,
} from './placements';
import { EntityTarget } from './targets';

/** Reads and assesses the mesh state of some workloads in one cluster. */
export interface ClusterMeshReader {
  read(options: {
    cluster: string;
    namespace: string;
    labelSelector: string;
  }): Promise<ClusterMeshStatus>;
  /** The status from a watch-fed cache, when it can serve it now. */
  readCached?(options: {
    cluster: string;
    namespace: string;
    labelSelector: string;
  }): ClusterMeshStatus | undefined;
}

/** The clusters an entity may live in. */
export interface ClusterLister {
  listClusters(): Array<{ name: string }>;
}

/**
 * The mesh view of an entity: the state of every cluster it may run in, read
 * in parallel, each with its own deadline, error and cache entry; the
 * observed mTLS share comes from Prometheus and may fail on its own.
 */
export class MeshService {
  constructor(
    private readonly deps: {
      clusters: ClusterLister;
      reader: ClusterMeshReader;
      metrics: MetricsService;
      loader: CachedLoader;
      kubernetesTimeoutMs: number;
      /** Finds the namespaces of entities without a namespace annotation. */
      namespaces?: WorkloadNamespaceFinder;
    },
  ) {}

  /**
   * Where to read an entity: its namespace annotation in each of its clusters, else
   * the namespaces its labelled pods run in (cached like the mesh status).
   */
  async placementsFor(target: EntityTarget): Promise<PlacementResult[]> {
    const clusters = this.clustersFor(target);
    const finder = this.deps.namespaces;
    if (target.namespace || !finder) {
      return clusters.map(cluster => ({
        cluster,
        namespace: this.namespaceOf(target),
        discovered: false,
      }));
    }
    return resolvePlacements(target, clusters, {
      find: (cluster, labelSelector) =>
        this.deps.loader.load(
          cacheKey('namespaces', cluster, labelSelector),
          () =>
            withDeadline(
              `Kubernetes cluster '${cluster}'`,
              this.deps.kubernetesTimeoutMs,
              () => finder.find(cluster, labelSelector),
            ),
        ),
    });
  }

  /** The clusters to read for an entity (its `kubernetes-cluster`, else all). */
  clustersFor(target: EntityTarget): string[] {
    const all = this.deps.clusters.listClusters().map(c => c.name);
    if (all.length === 0) {
      throw new ServiceUnavailableError(
        'No Kubernetes cluster is configured: add one under kubernetes.clusterLocatorMethods (type config) or istio.localKubeconfig',
      );
    }
    if (!target.cluster) return all;
    if (!all.includes(target.cluster)) {
      throw new InputError(
        `The entity names cluster '${
          target.cluster
        }', which is not configured; configured: ${all.join(', ') || 'none'}`,
      );
    }
    return [target.cluster];
  }

  /** The namespace to read; the Kubernetes plugin's namespace annotation. */
  namespaceOf(target: EntityTarget): string {
    if (!target.namespace) {
      throw new InputError(
        `${target.entityRef} has no backstage.io/kubernetes-namespace annotation: add it so the mesh view knows where its workloads run`,
      );
    }
    return target.namespace;
  }

  /** The mesh status of one cluster, cached and coalesced. */
  async clusterStatus(
    target: EntityTarget,
    cluster: string,
    namespace: string = this.namespaceOf(target),
  ): Promise<ClusterMeshStatus> {
    const cached = this.deps.reader.readCached?.({
      cluster,
      namespace,
      labelSelector: target.labelSelector,
    });
    if (cached) return cached;
    const key = cacheKey('mesh', cluster, namespace, target.labelSelector);
    return this.deps.loader.load(key, () =>
      withDeadline(
        `Kubernetes cluster '${cluster}'`,
        this.deps.kubernetesTimeoutMs,
        () =>
          this.deps.reader.read({
            cluster,
            namespace,
            labelSelector: target.labelSelector,
          }),
      ),
    );
  }

  async entityMesh(
    target: EntityTarget,
    window: string,
  ): Promise<EntityMeshResponse> {
    const placements = await this.placementsFor(target);
    const results = await Promise.all(
      placements.map(
        async (placement): Promise<ClusterResult<ClusterMeshStatus>> => {
          if ('error' in placement) {
            return { cluster: placement.cluster, error: placement.error };
          }
          const result = await this.clusterResult(
            target,
            placement.cluster,
            placement.namespace,
            window,
          );
          return placement.discovered
            ? { ...result, namespace: placement.namespace }
            : result;
        },
      ),
    );
    return { entityRef: target.entityRef, clusters: results };
  }

  private async clusterResult(
    target: EntityTarget,
    cluster: string,
    namespace: string,
    window: string,
  ): Promise<ClusterResult<ClusterMeshStatus>> {
    const observedPromise = this.deps.loader
      .load(
        cacheKey(
          'mtls',
          cluster,
          namespace,
          target.serviceName,
          target.prometheus,
          window,
        ),
        () =>
          this.deps.metrics.observedMtls(target, cluster, namespace, window),
      )
      .then(
        observed => ({ observed }),
        error => ({ error: toSectionError(error) }),
      );
    // What Prometheus says about the ztunnel and waypoint scrapes; best effort.
    // One targets call per cluster and instance, shared by the entities read
    // at the same time (the fleet page asks for many at once)
    const scrapePromise = this.deps.loader
      .load(cacheKey('targets', cluster, target.prometheus), () =>
        this.deps.metrics.scrapeTargets(target, cluster),
      )
      .catch(() => undefined);
    try {
      const [read, observed, scrape] = await Promise.all([
        this.clusterStatus(target, cluster, namespace),
        observedPromise,
        scrapePromise,
      ]);
      const status = scrape ? applyScrapeTargets(read, scrape) : read;
      if ('error' in observed) {
        return {
          cluster,
          data: {
            ...status,
            mtls: { ...status.mtls, observedError: observed.error },
          },
        };
      }
      const { share, plaintextSources } = observed.observed;
      const pods = status.enrollment.podCounts;
      const totalPods = Object.values(pods).reduce((a, b) => a + b, 0);
      return {
        cluster,
        data: {
          ...status,
          mtls: {
            ...status.mtls,
            observedShare: share,
            plaintextSources,
            grade: gradeMtls({
              mode: gradingMode(status.mtls.configured),
              capturedPods: pods.captured,
              totalPods,
              observedShare: share,
            }),
          },
        },
      };
    } catch (error) {
      return { cluster, error: toSectionError(error) };
    }
  }
}
