import { NotFoundError } from '@backstage/errors';
import { ClusterResult } from '@ambient-mesh/plugin-istio-common';
import { toSectionError } from '../lib/sectionError';
import { EntityTarget } from './targets';

/** Finds the namespaces where an entity's labelled workloads run in one cluster. */
export interface WorkloadNamespaceFinder {
  find(cluster: string, labelSelector: string): Promise<string[]>;
}

/** One place an entity's workloads run: a cluster, and a namespace in it. */
export interface Placement {
  cluster: string;
  namespace: string;
  /** True when the namespace was found from the workloads (no namespace annotation). */
  discovered: boolean;
}

/** A placement, or why the namespaces of a cluster could not be found. */
export type PlacementResult =
  | Placement
  | { cluster: string; error: ReturnType<typeof toSectionError> };

/**
 * Where to read an entity: its `backstage.io/kubernetes-namespace` in each cluster when
 * set; otherwise, like the Kubernetes plugin, every namespace of every cluster where
 * pods matching its label selector run (one cluster-wide list per cluster). Clusters
 * without such pods are left out; when no cluster has any, each says so.
 */
export async function resolvePlacements(
  target: EntityTarget,
  clusters: string[],
  finder: WorkloadNamespaceFinder,
): Promise<PlacementResult[]> {
  if (target.namespace) {
    const namespace = target.namespace;
    return clusters.map(cluster => ({ cluster, namespace, discovered: false }));
  }
  const found = await Promise.all(
    clusters.map(async cluster => {
      try {
        const namespaces = await finder.find(cluster, target.labelSelector);
        return { cluster, namespaces };
      } catch (error) {
        return { cluster, error: toSectionError(error) };
      }
    }),
  );
  const placements: PlacementResult[] = [];
  for (const entry of found) {
    if ('error' in entry) {
      placements.push({ cluster: entry.cluster, error: entry.error! });
    } else {
      for (const namespace of entry.namespaces) {
        placements.push({
          cluster: entry.cluster,
          namespace,
          discovered: true,
        });
      }
    }
  }
  if (placements.length > 0) return placements;
  return clusters.map(cluster => ({
    cluster,
    error: toSectionError(
      new NotFoundError(
        `No pods labelled ${target.labelSelector} run in cluster ${cluster}; deploy the workloads with that label, or add the backstage.io/kubernetes-namespace annotation to read one namespace`,
      ),
    ),
  }));
}

/**
 * Runs a per-placement read and wraps it as a cluster result; a discovered namespace is
 * named in the result so several namespaces of one cluster show as such.
 */
export async function perPlacement<T>(
  placements: PlacementResult[],
  read: (placement: Placement) => Promise<T>,
): Promise<ClusterResult<T>[]> {
  return Promise.all(
    placements.map(async (placement): Promise<ClusterResult<T>> => {
      if ('error' in placement) {
        return { cluster: placement.cluster, error: placement.error };
      }
      const where = placement.discovered
        ? { namespace: placement.namespace }
        : {};
      try {
        return {
          cluster: placement.cluster,
          ...where,
          data: await read(placement),
        };
      } catch (error) {
        return {
          cluster: placement.cluster,
          ...where,
          error: toSectionError(error),
        };
      }
    }),
  );
}
