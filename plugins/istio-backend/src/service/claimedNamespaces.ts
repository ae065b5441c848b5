import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_CLUSTER_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '@ambient-mesh/plugin-istio-common';

/** The catalog filter of entities that name a Kubernetes namespace. */
export const CLAIMING_ENTITIES_FILTER = {
  [`metadata.annotations.${KUBERNETES_NAMESPACE_ANNOTATION}`]:
    CATALOG_FILTER_EXISTS,
};

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The namespaces entities claim, per cluster: an entity with
 * `backstage.io/kubernetes-cluster` claims its namespace in that cluster only,
 * others in every cluster. Values that are not namespace names are ignored.
 */
export function claimedNamespaces(
  entities: Entity[],
  clusters: string[],
): Map<string, Set<string>> {
  const claims = new Map(clusters.map(c => [c, new Set<string>()]));
  for (const entity of entities) {
    const annotations = entity.metadata.annotations ?? {};
    const namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION];
    if (!namespace || namespace.length > 63 || !DNS_1123_LABEL.test(namespace))
      continue;
    const cluster = annotations[KUBERNETES_CLUSTER_ANNOTATION];
    for (const [name, set] of claims) {
      if (!cluster || cluster === name) set.add(namespace);
    }
  }
  return claims;
}
