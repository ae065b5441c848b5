import type { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from '@ambient-mesh/plugin-istio-common';

/**
 * The annotations that give an entity the Service Mesh tab: either one tells
 * which workloads belong to it (the Kubernetes plugin's annotations).
 *
 * @public
 */
export const ISTIO_ENTITY_ANNOTATIONS: readonly string[] = [
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
];

/**
 * True when the entity names its workloads with `backstage.io/kubernetes-id`
 * or `backstage.io/kubernetes-label-selector`, so its mesh status can be read.
 *
 * @public
 */
export function isIstioAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return ISTIO_ENTITY_ANNOTATIONS.some(key =>
    Boolean(annotations[key]?.trim()),
  );
}
