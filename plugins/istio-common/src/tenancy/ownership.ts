import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  KUBERNETES_CLUSTER_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  isProtectedNamespace,
} from '../constants';
import {
  istioMeshAdminPermission,
  istioNamespaceManagePermission,
} from '../permissions';

/**
 * A namespace of a cluster, with the `backstage.io/kubernetes-id` label
 * values of the workloads that run in it.
 *
 * @public
 */
export interface NamespaceTarget {
  namespace: string;
  cluster: string;
  /** Values of the label `backstage.io/kubernetes-id` on the namespace's workloads. */
  workloadIds?: readonly string[];
}

/**
 * A catalog entity claiming a namespace.
 *
 * @public
 */
export interface NamespaceClaim {
  entityRef: string;
  /** The entity's owner as a full entity ref (`spec.owner`), when set. */
  owner?: string;
  /** How it claims the namespace. */
  via: 'namespace-annotation' | 'workload-label';
}

/** The full ref of an entity's `spec.owner`, if any. */
function ownerOf(entity: Entity): string | undefined {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/**
 * How an entity claims a namespace of a cluster, if it does: by
 * `backstage.io/kubernetes-namespace` (and `backstage.io/kubernetes-cluster`
 * when set), or, for an entity with only `backstage.io/kubernetes-id`,
 * because its labelled workloads run there. Pure.
 *
 * @public
 */
export function claimOf(
  entity: Entity,
  target: NamespaceTarget,
): NamespaceClaim | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const cluster = annotations[KUBERNETES_CLUSTER_ANNOTATION];
  if (cluster && cluster !== target.cluster) return undefined;
  const namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION];
  const id = annotations[KUBERNETES_ID_ANNOTATION];
  let via: NamespaceClaim['via'] | undefined;
  if (namespace) {
    if (namespace === target.namespace) via = 'namespace-annotation';
  } else if (id && (target.workloadIds ?? []).includes(id)) {
    via = 'workload-label';
  }
  if (!via) return undefined;
  return { entityRef: stringifyEntityRef(entity), owner: ownerOf(entity), via };
}

/**
 * The entities claiming a namespace, in a stable order. Pure.
 *
 * @public
 */
export function namespaceClaims(
  entities: readonly Entity[],
  target: NamespaceTarget,
): NamespaceClaim[] {
  const claims = new Map<string, NamespaceClaim>();
  for (const entity of entities) {
    const claim = claimOf(entity, target);
    if (claim) claims.set(claim.entityRef, claim);
  }
  return [...claims.values()].sort((a, b) =>
    a.entityRef.localeCompare(b.entityRef),
  );
}

/**
 * The catalog filter (entries are OR-ed) that finds every candidate
 * claiming entity of a namespace; {@link namespaceClaims} then keeps the
 * real claims.
 *
 * @public
 */
export function namespaceClaimFilter(
  target: NamespaceTarget,
): Array<Record<string, string | string[]>> {
  const filter: Array<Record<string, string | string[]>> = [
    {
      [`metadata.annotations.${KUBERNETES_NAMESPACE_ANNOTATION}`]:
        target.namespace,
    },
  ];
  if (target.workloadIds?.length) {
    filter.push({
      [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]: [
        ...target.workloadIds,
      ],
    });
  }
  return filter;
}

/**
 * Whether a caller may change a namespace, and if not, why.
 *
 * @public
 */
export type NamespaceWriteDecision =
  | { allowed: true; as: 'admin' | 'owner'; claims: NamespaceClaim[] }
  | {
      allowed: false;
      reason: 'protected' | 'unclaimed' | 'not-owner';
      message: string;
      claims: NamespaceClaim[];
    };

/**
 * Decides who may change namespace N of a cluster: never a protected
 * namespace; else a platform admin (`istio.mesh.admin`); else whoever the
 * policy allows `istio.namespace.manage` on at least one entity claiming it.
 * A namespace no entity claims is for admins only. Pure: the caller
 * gathers the permission decisions.
 *
 * @public
 */
export function decideNamespaceWrite(input: {
  target: NamespaceTarget;
  /** Extra protected namespaces (config). */
  protectedNamespaces?: readonly string[];
  /** The decision on `istio.mesh.admin`. */
  isAdmin: boolean;
  /** The claims, each with the decision on `istio.namespace.manage`. */
  claims: ReadonlyArray<NamespaceClaim & { allowed: boolean }>;
}): NamespaceWriteDecision {
  const { namespace, cluster } = input.target;
  const claims = input.claims.map(({ allowed: _allowed, ...claim }) => claim);
  if (isProtectedNamespace(namespace, input.protectedNamespaces)) {
    return {
      allowed: false,
      reason: 'protected',
      claims,
      message: `Namespace "${namespace}" in cluster ${cluster} is protected (kube-*, istio-system, istio-cni, ztunnel and istio.onboarding.protectedNamespaces): no istio:* action changes it, whoever asks; choose an application namespace`,
    };
  }
  if (input.isAdmin) return { allowed: true, as: 'admin', claims };
  if (input.claims.some(c => c.allowed)) {
    return { allowed: true, as: 'owner', claims };
  }
  if (claims.length === 0) {
    return {
      allowed: false,
      reason: 'unclaimed',
      claims,
      message: `Namespace "${namespace}" in cluster ${cluster} is claimed by no catalog entity, so only platform admins (permission ${istioMeshAdminPermission.name}) may change it; register an entity with the annotation ${KUBERNETES_NAMESPACE_ANNOTATION}: ${namespace}, or ask a platform admin`,
    };
  }
  const owners = [
    ...new Set(claims.map(c => c.owner).filter((o): o is string => !!o)),
  ];
  return {
    allowed: false,
    reason: 'not-owner',
    claims,
    message: `Changing namespace "${namespace}" in cluster ${cluster} needs the permission ${
      istioNamespaceManagePermission.name
    } on an entity that claims it (${claims
      .map(c => c.entityRef)
      .join(', ')}; owned by ${owners.join(', ') || 'no owner'}), or ${
      istioMeshAdminPermission.name
    }; ask ${owners.length ? 'its owners' : 'a platform admin'}`,
  };
}
