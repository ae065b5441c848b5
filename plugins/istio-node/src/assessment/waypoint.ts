import {
  INGRESS_USE_WAYPOINT_LABEL,
  IngressWaypointUse,
  ServiceWaypointBinding,
  USE_WAYPOINT_LABEL,
  USE_WAYPOINT_NAMESPACE_LABEL,
  WAYPOINT_FOR_LABEL,
  WaypointFor,
  WaypointStatus,
} from '@ambient-mesh/plugin-istio-common';
import type { V1Service } from '@kubernetes/client-node';
import { WAYPOINT_BOUND_CONDITION } from './labelNames';
import { conditionOf, labelsOf } from './objects';
import type { GatewayObject, MeshSnapshot } from './snapshot';

/** A waypoint named by `istio.io/use-waypoint(-namespace)` labels. */
export interface WaypointReference {
  name: string;
  namespace: string;
  from: 'service' | 'pod' | 'namespace';
}

/**
 * The waypoint a resource uses: its own `istio.io/use-waypoint` label beats the
 * namespace's; the value `none` opts out. Undefined when no waypoint applies.
 */
export function useWaypointOf(
  resourceLabels: Record<string, string>,
  namespaceLabels: Record<string, string>,
  namespace: string,
  resourceKind: 'service' | 'pod',
): WaypointReference | undefined {
  const own = resourceLabels[USE_WAYPOINT_LABEL];
  if (own === 'none') return undefined;
  if (own) {
    return {
      name: own,
      namespace: resourceLabels[USE_WAYPOINT_NAMESPACE_LABEL] ?? namespace,
      from: resourceKind,
    };
  }
  const inherited = namespaceLabels[USE_WAYPOINT_LABEL];
  if (!inherited || inherited === 'none') return undefined;
  return {
    name: inherited,
    namespace: namespaceLabels[USE_WAYPOINT_NAMESPACE_LABEL] ?? namespace,
    from: 'namespace',
  };
}

/** The waypoint the entity's Services use (or, without Services, its pods). */
export function waypointReferenceOf(
  snapshot: MeshSnapshot,
): WaypointReference | undefined {
  const nsLabels = labelsOf(snapshot.namespaceObject);
  if (snapshot.services.length > 0) {
    for (const service of snapshot.services) {
      const ref = useWaypointOf(
        labelsOf(service),
        nsLabels,
        snapshot.namespace,
        'service',
      );
      if (ref) return ref;
    }
    return undefined;
  }
  for (const pod of snapshot.pods) {
    const ref = useWaypointOf(
      labelsOf(pod),
      nsLabels,
      snapshot.namespace,
      'pod',
    );
    if (ref) return ref;
  }
  if (snapshot.pods.length === 0) {
    return useWaypointOf({}, nsLabels, snapshot.namespace, 'service');
  }
  return undefined;
}

/** `istio.io/waypoint-for` of a waypoint Gateway (absent means `service`). */
export function waypointForOf(gateway: GatewayObject): WaypointFor {
  const value = labelsOf(gateway)[WAYPOINT_FOR_LABEL];
  return value === 'workload' || value === 'all' || value === 'none'
    ? value
    : 'service';
}

/**
 * Whether Istio's ingress gateways send a Service's traffic through its waypoint. Follows
 * istio/istio pilot/pkg/serviceregistry/kube/controller/ambient/services.go and
 * sidecar_interop.go ingressUseWaypoint (1.25.0-1.28.0): a Service label that is present
 * (whatever its value) beats the Namespace label; the value is compared with `true`
 * case-insensitively (strings.EqualFold). Istio 1.24 read only the Service label.
 */
export function ingressUseWaypoint(
  serviceLabels: Record<string, string>,
  namespaceLabels: Record<string, string>,
): IngressWaypointUse {
  const isTrue = (v: string) => v.toLowerCase() === 'true';
  if (INGRESS_USE_WAYPOINT_LABEL in serviceLabels) {
    const value = serviceLabels[INGRESS_USE_WAYPOINT_LABEL];
    return { usesWaypoint: isTrue(value), from: 'service', value };
  }
  if (INGRESS_USE_WAYPOINT_LABEL in namespaceLabels) {
    const value = namespaceLabels[INGRESS_USE_WAYPOINT_LABEL];
    return { usesWaypoint: isTrue(value), from: 'namespace', value };
  }
  return { usesWaypoint: false, from: 'none' };
}

function bindingOf(
  service: V1Service,
  namespaceLabels: Record<string, string>,
): ServiceWaypointBinding {
  const condition = conditionOf(
    service.status?.conditions,
    WAYPOINT_BOUND_CONDITION,
  );
  const status =
    condition?.status === 'True' || condition?.status === 'False'
      ? condition.status
      : 'Unknown';
  return {
    service: service.metadata?.name ?? '',
    status,
    ...(condition?.reason ? { reason: condition.reason } : {}),
    ...(condition?.message ? { message: condition.message } : {}),
    ingress: ingressUseWaypoint(labelsOf(service), namespaceLabels),
  };
}

/** Resolves the entity's waypoint and reads its readiness and bindings. */
export function assessWaypoint(snapshot: MeshSnapshot): WaypointStatus {
  const ref = waypointReferenceOf(snapshot);
  if (!ref) return { kind: 'none' };

  const gateway = snapshot.waypointGateways.find(
    g => g.metadata.name === ref.name && g.metadata.namespace === ref.namespace,
  );
  const deployment = snapshot.waypointDeployments.find(
    d =>
      d.metadata?.name === ref.name && d.metadata?.namespace === ref.namespace,
  );
  const conditions = gateway?.status?.conditions;
  const accepted = conditionOf(conditions, 'Accepted')?.status === 'True';
  const programmed = conditionOf(conditions, 'Programmed');
  const addresses = (gateway?.status?.addresses ?? []).map(a => a.value);
  const readyReplicas = deployment?.status?.readyReplicas ?? 0;

  const nsLabels = labelsOf(snapshot.namespaceObject);
  const boundServices = snapshot.services.filter(service => {
    const own = useWaypointOf(
      labelsOf(service),
      nsLabels,
      snapshot.namespace,
      'service',
    );
    return own?.name === ref.name && own.namespace === ref.namespace;
  });
  const services = boundServices.map(s => bindingOf(s, nsLabels));
  const ingressUsesWaypoint =
    services.length > 0
      ? services.every(s => s.ingress?.usesWaypoint)
      : ingressUseWaypoint({}, nsLabels).usesWaypoint;

  const isProgrammed = programmed?.status === 'True';
  return {
    kind: 'waypoint',
    name: ref.name,
    namespace: ref.namespace,
    boundFrom: ref.from,
    exists: gateway !== undefined,
    for: gateway ? waypointForOf(gateway) : 'service',
    ready:
      gateway !== undefined &&
      accepted &&
      isProgrammed &&
      addresses.length > 0 &&
      readyReplicas >= 1,
    accepted,
    programmed: isProgrammed,
    ...(!isProgrammed && programmed?.reason
      ? { programmedReason: programmed.reason }
      : {}),
    addresses,
    readyReplicas,
    bound: services.length > 0 && services.every(s => s.status === 'True'),
    services,
    ingressUsesWaypoint,
  };
}
