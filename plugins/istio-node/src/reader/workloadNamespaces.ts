import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApis } from './kubeApis';

/** Options of {@link findWorkloadNamespaces}. @public */
export interface FindWorkloadNamespacesOptions {
  /** Label selector of the entity's workloads, e.g. `backstage.io/kubernetes-id=orders`. */
  labelSelector: string;
  /** Deadline of the Kubernetes call in milliseconds; default 5000. */
  requestTimeoutMs?: number;
}

/**
 * The namespaces where an entity's labelled pods run in one cluster, sorted: what the
 * Kubernetes plugin shows for an entity with only `backstage.io/kubernetes-id` (its
 * fetcher lists each object type across all namespaces with the label selector).
 *
 * One cluster-wide LIST of pods with the label selector, whatever the number of pods or
 * namespaces. Needs `list pods` at cluster scope; a 403 names it.
 *
 * @public
 */
export async function findWorkloadNamespaces(
  cluster: string,
  kubeConfig: KubeConfig,
  options: FindWorkloadNamespacesOptions,
): Promise<string[]> {
  const apis = new KubeApis(
    cluster,
    kubeConfig,
    options.requestTimeoutMs ?? 5000,
  );
  const pods = await apis.required({ verb: 'list', resource: 'pods' }, o =>
    apis.core.listPodForAllNamespaces(
      { labelSelector: options.labelSelector },
      o,
    ),
  );
  const namespaces = new Set<string>();
  for (const pod of pods.items) {
    if (pod.metadata?.namespace) namespaces.add(pod.metadata.namespace);
  }
  return [...namespaces].sort();
}
