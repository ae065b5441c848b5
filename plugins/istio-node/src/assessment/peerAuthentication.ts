import type {
  ConfiguredMtls,
  PeerAuthenticationMode,
} from '@ambient-mesh/plugin-istio-common';
import { matchesLabels, oldestFirst } from './objects';
import type { PeerAuthenticationObject } from './snapshot';

function modeOf(value: string | undefined): PeerAuthenticationMode {
  return value === 'STRICT' || value === 'PERMISSIVE' || value === 'DISABLE'
    ? value
    : 'UNSET';
}

/** Weakest first: a pod accepting plaintext weakens the whole entity. */
const STRENGTH: Record<PeerAuthenticationMode, number> = {
  DISABLE: 0,
  UNSET: 1,
  PERMISSIVE: 2,
  STRICT: 3,
};

/**
 * The effective PeerAuthentication of one pod (by its labels). Precedence: a policy
 * whose `selector` matches the pod, then the namespace-wide policy, then the mesh-wide
 * policy of the root namespace. A level whose mode is UNSET inherits from the next one.
 * When several policies compete at one level, the oldest wins (as in Istio).
 */
export function effectivePeerAuthentication(
  podLabels: Record<string, string>,
  namespace: string,
  rootNamespace: string,
  policies: readonly PeerAuthenticationObject[],
): ConfiguredMtls {
  const sorted = oldestFirst(policies);
  const inNamespace = sorted.filter(p => p.metadata.namespace === namespace);
  const workload = inNamespace.find(
    p =>
      p.spec?.selector?.matchLabels &&
      Object.keys(p.spec.selector.matchLabels).length > 0 &&
      matchesLabels(p.spec.selector.matchLabels, podLabels),
  );
  const isNamespaceWide = (p: PeerAuthenticationObject) =>
    !p.spec?.selector?.matchLabels ||
    Object.keys(p.spec.selector.matchLabels).length === 0;
  const namespaceWide = inNamespace.find(isNamespaceWide);
  const meshWide = sorted.find(
    p => p.metadata.namespace === rootNamespace && isNamespaceWide(p),
  );

  const levels: Array<
    [ConfiguredMtls['source'], PeerAuthenticationObject | undefined]
  > = [
    ['workload', workload],
    ['namespace', namespace === rootNamespace ? meshWide : namespaceWide],
    ['mesh', meshWide],
  ];
  for (const [source, policy] of levels) {
    const mode = modeOf(policy?.spec?.mtls?.mode);
    if (policy && mode !== 'UNSET') {
      const portLevel = policy.spec?.portLevelMtls;
      return {
        mode,
        source: source === 'namespace' && policy === meshWide ? 'mesh' : source,
        resource: {
          name: policy.metadata.name,
          namespace: policy.metadata.namespace ?? namespace,
        },
        ...(portLevel && Object.keys(portLevel).length > 0
          ? {
              portLevel: Object.fromEntries(
                Object.entries(portLevel).map(([port, v]) => [
                  port,
                  modeOf(v.mode),
                ]),
              ),
            }
          : {}),
      };
    }
  }
  return { mode: 'UNSET', source: 'default' };
}

/**
 * The effective PeerAuthentication of an entity: evaluated per pod, the weakest wins
 * (without pods, the namespace and mesh levels decide).
 */
export function entityPeerAuthentication(
  podLabels: ReadonlyArray<Record<string, string>>,
  namespace: string,
  rootNamespace: string,
  policies: readonly PeerAuthenticationObject[],
): ConfiguredMtls {
  const results = (podLabels.length > 0 ? podLabels : [{}]).map(labels =>
    effectivePeerAuthentication(labels, namespace, rootNamespace, policies),
  );
  return results.reduce((weakest, r) =>
    STRENGTH[r.mode] < STRENGTH[weakest.mode] ? r : weakest,
  );
}
