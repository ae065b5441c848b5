import { InputError } from '@backstage/errors';
import {
  PROTECTED_NAMESPACES,
  isProtectedNamespace,
} from '@ambient-mesh/plugin-istio-common';

/**
 * Refuses a namespace the onboarding actions must never change (every
 * `kube-*` namespace and `PROTECTED_NAMESPACES`).
 * `extra` comes from `istio.onboarding.protectedNamespaces`.
 *
 * @public
 */
export function assertNotProtected(
  namespace: string,
  extra: readonly string[] = [],
  field = 'namespace',
): void {
  if (isProtectedNamespace(namespace, extra)) {
    throw new InputError(
      `Input "${field}": namespace "${namespace}" is protected (kube-*, ${[
        ...PROTECTED_NAMESPACES,
        ...extra,
      ].join(', ')}); choose an application namespace`,
    );
  }
}
