import type {
  ClusterMeshStatus,
  ControlPlaneFacts,
} from '@ambient-mesh/plugin-istio-common';
import { ISTIO_ROOT_NAMESPACE } from '@ambient-mesh/plugin-istio-common';
import type { KubeConfig } from '@kubernetes/client-node';
import { assessMesh, summarizeControlPlane } from '../assessment';
import type { AssessMeshOptions, MeshSnapshot } from '../assessment';
import { parseTarget } from '../reader/MeshReader';
import type { MeshTarget } from '../reader/readSnapshot';
import { ClusterCache, ClusterCacheStats } from './ClusterCache';
import { CACHED_KINDS, CachedKind } from './kinds';
import {
  controlPlaneObjectsFromCache,
  snapshotFromCache,
} from './readFromCache';

/** Options of {@link MeshCache}. @public */
export interface MeshCacheOptions {
  /** The kubeconfig of a configured cluster. */
  kubeConfigOf(cluster: string): KubeConfig;
  /** Istio's root namespace; default `istio-system`. */
  rootNamespace?: string;
  /** Namespace of istiod, ztunnel and istio-cni; default `istio-system`. */
  istioNamespace?: string;
  /** Deadline of each LIST in milliseconds; default 5000. */
  requestTimeoutMs?: number;
  /** Entity namespaces watched per cluster at most; default 500. */
  maxNamespaces?: number;
  /** Objects held per cluster before no namespace is added; default 100000. */
  maxObjects?: number;
  /** Keep NetworkPolicies (to check port 15008); default true. */
  readNetworkPolicies?: boolean;
  /** The kinds to keep; default {@link CACHED_KINDS}. */
  kinds?: CachedKind[];
  retryMs?: number;
  recheckMs?: number;
  onError?: (message: string) => void;
}

const MEMO_LIMIT = 2000;

/**
 * Watch-fed caches of the clusters the mesh view reads: per cluster, the kinds
 * of {@link CACHED_KINDS} in the namespaces entities claim (see `watch`), in
 * Istio's root namespace and in the control-plane namespaces. Once synced, a
 * view is assembled from memory with no Kubernetes call, and reflects a change
 * as soon as its watch event arrives; `snapshot`/`status` answer undefined
 * while a cache cannot serve a view, and the caller reads directly.
 *
 * @public
 */
export class MeshCache {
  private readonly clusters = new Map<string, ClusterCache>();
  private readonly memo = new Map<
    string,
    { generation: number; status: ClusterMeshStatus }
  >();
  private readonly controlPlanes = new Map<
    string,
    { generation: number; facts: ControlPlaneFacts }
  >();
  private readonly rootNamespace: string;
  private readonly istioNamespace: string;
  private readonly kinds: CachedKind[];

  constructor(private readonly options: MeshCacheOptions) {
    this.rootNamespace = options.rootNamespace ?? ISTIO_ROOT_NAMESPACE;
    this.istioNamespace = options.istioNamespace ?? ISTIO_ROOT_NAMESPACE;
    const kinds = options.kinds ?? CACHED_KINDS;
    this.kinds =
      options.readNetworkPolicies === false
        ? kinds.filter(k => k.resource !== 'networkpolicies.networking.k8s.io')
        : kinds;
  }

  /** The cache of a cluster, started on first use. */
  cluster(name: string): ClusterCache {
    let cache = this.clusters.get(name);
    if (!cache) {
      cache = new ClusterCache(name, this.options.kubeConfigOf(name), {
        kinds: this.kinds,
        rootNamespace: this.rootNamespace,
        istioNamespace: this.istioNamespace,
        requestTimeoutMs: this.options.requestTimeoutMs ?? 5000,
        maxNamespaces: this.options.maxNamespaces ?? 500,
        maxObjects: this.options.maxObjects ?? 100_000,
        retryMs: this.options.retryMs,
        recheckMs: this.options.recheckMs,
        onError: this.options.onError,
      });
      this.clusters.set(name, cache);
    }
    return cache;
  }

  /**
   * Watches these entity namespaces of a cluster (within the bounds) and stops
   * watching the others, except those views asked for within `keepUsedMs`
   * (default 30 minutes).
   */
  watch(
    cluster: string,
    namespaces: Iterable<string>,
    keepUsedMs = 30 * 60_000,
  ): void {
    const cache = this.cluster(cluster);
    const keep = new Set<string>();
    for (const namespace of namespaces) {
      if (cache.watchNamespace(namespace)) keep.add(namespace);
    }
    cache.forgetNamespacesExcept(keep, keepUsedMs);
  }

  private controlPlane(cache: ClusterCache): ControlPlaneFacts | undefined {
    const memo = this.controlPlanes.get(cache.cluster);
    if (memo && memo.generation === cache.generation) return memo.facts;
    const objects = controlPlaneObjectsFromCache(cache, this.istioNamespace);
    if (!objects) return undefined;
    const facts = summarizeControlPlane(objects);
    this.controlPlanes.set(cache.cluster, {
      generation: cache.generation,
      facts,
    });
    return facts;
  }

  /** The snapshot of an entity from the cache, or undefined: read it directly. */
  snapshot(cluster: string, target: MeshTarget): MeshSnapshot | undefined {
    const valid = parseTarget(target);
    const cache = this.cluster(cluster);
    const controlPlane = this.controlPlane(cache);
    if (!controlPlane) {
      cache.watchNamespace(valid.namespace);
      return undefined;
    }
    return snapshotFromCache(cache, this.kinds, valid, {
      rootNamespace: this.rootNamespace,
      istioNamespace: this.istioNamespace,
      controlPlane,
    });
  }

  /**
   * The assessed status from the cache (computed again only after a change), or
   * undefined: read it directly.
   */
  status(
    cluster: string,
    target: MeshTarget,
    options: Omit<AssessMeshOptions, 'rootNamespace'> = {},
  ): ClusterMeshStatus | undefined {
    const cache = this.cluster(cluster);
    const key = JSON.stringify([
      cluster,
      target.namespace,
      target.labelSelector ?? '',
      options,
    ]);
    const memo = this.memo.get(key);
    if (memo && memo.generation === cache.generation) return memo.status;
    const generation = cache.generation;
    const snapshot = this.snapshot(cluster, target);
    if (!snapshot) return undefined;
    const status = assessMesh(snapshot, {
      ...options,
      rootNamespace: this.rootNamespace,
    });
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(key, { generation, status });
    return status;
  }

  /** Resolves when a cluster's informers have all listed (or the time is up). */
  whenSynced(cluster: string, timeoutMs: number): Promise<boolean> {
    return this.cluster(cluster).whenSynced(timeoutMs);
  }

  stats(): ClusterCacheStats[] {
    return [...this.clusters.values()].map(c => c.stats());
  }

  stop(): void {
    for (const cache of this.clusters.values()) cache.stop();
    this.clusters.clear();
    this.memo.clear();
  }
}
