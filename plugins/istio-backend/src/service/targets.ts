import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ISTIO_PROMETHEUS_ANNOTATION,
  ISTIO_SERVICE_NAME_ANNOTATION,
  ISTIO_TEMPO_ANNOTATION,
  KUBERNETES_CLUSTER_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  isProtectedNamespace,
} from '@ambient-mesh/plugin-istio-common';

/** Where an entity's workloads live, from its annotations. */
export interface EntityTarget {
  entityRef: string;
  /** Label selector of the entity's pods, services and workloads. */
  labelSelector: string;
  /** Namespace from `backstage.io/kubernetes-namespace`, when set. */
  namespace?: string;
  /** Cluster from `backstage.io/kubernetes-cluster`, when set. */
  cluster?: string;
  /** The Service name used in metrics and traces queries. */
  serviceName: string;
  /** A configured Prometheus instance named by the entity. */
  prometheus?: string;
  /** A configured Tempo instance named by the entity. */
  tempo?: string;
}

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// Label keys and values, with the operators Kubernetes label selectors allow
const LABEL_SELECTOR = /^[A-Za-z0-9_.\-/!=,() ]+$/;

function dnsLabel(value: string, annotation: string): string {
  if (value.length > 63 || !DNS_1123_LABEL.test(value)) {
    throw new InputError(
      `Annotation ${annotation} is '${value}', which is not a DNS-1123 label: use lowercase letters, digits and '-', at most 63 characters`,
    );
  }
  return value;
}

/** True when the entity has what the mesh view needs. */
export function hasMeshAnnotations(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[KUBERNETES_ID_ANNOTATION] ||
      annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION],
  );
}

/**
 * Reads the Kubernetes plugin's annotations (and our optional overrides) of
 * an entity. Throws an InputError naming the annotation when one is missing
 * or malformed.
 */
export function resolveEntityTarget(
  entity: Entity,
  options: { protectedNamespaces?: readonly string[] } = {},
): EntityTarget {
  const annotations = entity.metadata.annotations ?? {};
  const id = annotations[KUBERNETES_ID_ANNOTATION];
  const selector = annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION];
  if (!id && !selector) {
    throw new InputError(
      `The entity has neither ${KUBERNETES_ID_ANNOTATION} nor ${KUBERNETES_LABEL_SELECTOR_ANNOTATION}: add one so its workloads can be found`,
    );
  }
  let labelSelector: string;
  if (selector) {
    if (!LABEL_SELECTOR.test(selector)) {
      throw new InputError(
        `Annotation ${KUBERNETES_LABEL_SELECTOR_ANNOTATION} is not a label selector: use e.g. 'app=orders,tier in (backend)'`,
      );
    }
    labelSelector = selector;
  } else {
    labelSelector = `${KUBERNETES_ID_ANNOTATION}=${dnsLabel(
      id!,
      KUBERNETES_ID_ANNOTATION,
    )}`;
  }

  const namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION];
  if (
    namespace &&
    isProtectedNamespace(namespace, options.protectedNamespaces)
  ) {
    throw new InputError(
      `Annotation ${KUBERNETES_NAMESPACE_ANNOTATION} names the protected namespace '${namespace}', which the mesh view does not read for entities; point it at the namespace of the entity's workloads`,
    );
  }
  const serviceName =
    annotations[ISTIO_SERVICE_NAME_ANNOTATION] ?? id ?? entity.metadata.name;

  return {
    entityRef: stringifyEntityRef(entity),
    labelSelector,
    namespace: namespace
      ? dnsLabel(namespace, KUBERNETES_NAMESPACE_ANNOTATION)
      : undefined,
    cluster: annotations[KUBERNETES_CLUSTER_ANNOTATION],
    serviceName: dnsLabel(serviceName, ISTIO_SERVICE_NAME_ANNOTATION),
    prometheus: annotations[ISTIO_PROMETHEUS_ANNOTATION],
    tempo: annotations[ISTIO_TEMPO_ANNOTATION],
  };
}
