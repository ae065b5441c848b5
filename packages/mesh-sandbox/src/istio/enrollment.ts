import { ISTIO } from '../controllers/keys';
import { KubeObject } from '../kube/types';

/**
 * Whether ambient mode applies to a pod, from the documented labels only:
 * the pod's own `istio.io/dataplane-mode` beats its namespace's, `none` opts
 * out, and pods with a sidecar or on the host network are never captured.
 */
export function wantsAmbient(
  pod: KubeObject,
  namespace: KubeObject | undefined,
): boolean {
  if (pod.metadata.annotations?.[ISTIO.sidecarStatus]) return false;
  if ((pod.spec as { hostNetwork?: boolean } | undefined)?.hostNetwork)
    return false;
  const own = pod.metadata.labels?.[ISTIO.dataplaneMode];
  const mode = own ?? namespace?.metadata.labels?.[ISTIO.dataplaneMode];
  return mode === 'ambient';
}

/** True when istio-cni has captured the pod (`ambient.istio.io/redirection: enabled`). */
export function isCaptured(pod: KubeObject): boolean {
  return pod.metadata.annotations?.[ISTIO.redirection] === 'enabled';
}
