import {
  DATAPLANE_MODE_AMBIENT,
  DATAPLANE_MODE_LABEL,
  DATAPLANE_MODE_NONE,
  Enrollment,
  ISTIO_REV_LABEL,
  NamespaceMode,
  POD_CAPTURE_STATES,
  PodCapture,
  PodCaptureState,
  REDIRECTION_ANNOTATION,
  SIDECAR_STATUS_ANNOTATION,
} from '@ambient-mesh/plugin-istio-common';
import type { V1Namespace, V1Pod } from '@kubernetes/client-node';
import { ISTIO_INJECTION_LABEL } from './labelNames';
import { labelsOf } from './objects';

/** The mesh mode of a namespace, from its labels. */
export function namespaceMode(
  namespace: V1Namespace | undefined,
): NamespaceMode {
  const labels = labelsOf(namespace);
  if (labels[DATAPLANE_MODE_LABEL] === DATAPLANE_MODE_AMBIENT) return 'ambient';
  if (labels[ISTIO_INJECTION_LABEL] === 'enabled' || labels[ISTIO_REV_LABEL]) {
    return 'sidecar';
  }
  return 'none';
}

/**
 * The capture state of a pod. The istio-cni annotation is the truth for `captured` and
 * `pending`; host network and sidecars are never captured.
 */
export function podCaptureState(pod: V1Pod): PodCaptureState {
  const annotations = pod.metadata?.annotations ?? {};
  if (pod.spec?.hostNetwork) return 'host-network';
  if (annotations[SIDECAR_STATUS_ANNOTATION]) return 'sidecar';
  const redirection = annotations[REDIRECTION_ANNOTATION];
  if (redirection === 'enabled') return 'captured';
  if (redirection === 'pending') return 'pending';
  if (labelsOf(pod)[DATAPLANE_MODE_LABEL] === DATAPLANE_MODE_NONE) {
    return 'opted-out';
  }
  return 'not-captured';
}

/** Namespace mode and the capture state of every pod. */
export function assessEnrollment(
  namespace: string,
  namespaceObject: V1Namespace | undefined,
  pods: readonly V1Pod[],
): Enrollment {
  const captures: PodCapture[] = pods.map(pod => ({
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? namespace,
    node: pod.spec?.nodeName,
    phase: pod.status?.phase,
    state: podCaptureState(pod),
  }));
  const podCounts = Object.fromEntries(
    POD_CAPTURE_STATES.map(s => [s, 0]),
  ) as Record<PodCaptureState, number>;
  for (const c of captures) podCounts[c.state] += 1;
  const revision = labelsOf(namespaceObject)[ISTIO_REV_LABEL];
  return {
    namespace,
    namespaceExists: namespaceObject !== undefined,
    mode: namespaceMode(namespaceObject),
    ...(revision ? { revision } : {}),
    pods: captures,
    podCounts,
  };
}
