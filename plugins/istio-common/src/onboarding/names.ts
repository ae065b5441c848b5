/**
 * A DNS-1123 label: what Kubernetes accepts as a namespace or Service name.
 *
 * @public
 */
export const DNS1123_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * True when `value` is a DNS-1123 label of at most 63 characters.
 *
 * @public
 */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL_PATTERN.test(value);
}

/**
 * The SPIFFE principal of a service account, as Istio policies name it.
 *
 * @public
 */
export function serviceAccountPrincipal(
  namespace: string,
  serviceAccount: string,
  trustDomain = 'cluster.local',
): string {
  return `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}
