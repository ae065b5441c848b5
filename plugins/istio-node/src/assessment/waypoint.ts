import {
  INGRESS_USE_WAYPOINT_LABEL,
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

function bindingOf(service: V1Service): ServiceWaypointBinding {
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
  const services = boundServices.map(bindingOf);
  const ingressOnNamespace = nsLabels[INGRESS_USE_WAYPOINT_LABEL] === 'true';
  const ingressUsesWaypoint =
    ingressOnNamespace ||
    (boundServices.length > 0 &&
      boundServices.every(
        s => labelsOf(s)[INGRESS_USE_WAYPOINT_LABEL] === 'true',
      ));

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
