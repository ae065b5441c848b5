import { InputError } from '@backstage/errors';
import { PROTECTED_NAMESPACES } from '@ambient-mesh/plugin-istio-common';

/**
 * Refuses a namespace the onboarding actions must never change.
 * `extra` comes from `istio.onboarding.protectedNamespaces`.
 */
export function assertNotProtected(
  namespace: string,
  extra: readonly string[] = [],
  field = 'namespace',
): void {
  const all = [...PROTECTED_NAMESPACES, ...extra];
  if (all.includes(namespace)) {
    throw new InputError(
      `Input "${field}": namespace "${namespace}" is protected (${all.join(
        ', ',
      )}); choose an application namespace`,
    );
  }
}
