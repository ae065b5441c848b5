import { ISTIO } from '../controllers/keys';
import { KubeObject } from '../kube/types';
import { isTrue } from './conditions';

/** How a Service is bound to a waypoint (istio-ambient.md §2). */
export interface WaypointBinding {
  /** The waypoint named by the labels, if any. */
  waypoint?: { namespace: string; name: string };
  /** True when traffic to the service goes through a ready waypoint. */
  bound: boolean;
  /** The reason of the `istio.io/WaypointBound` condition. */
  reason:
    | 'WaypointAccepted'
    | 'WaypointIsNotReady'
    | 'AttachmentDenied'
    | 'UnsupportedTrafficType';
  message: string;
}

/** True when a waypoint Gateway is Accepted and Programmed with an address. */
export function isWaypointReady(gateway: KubeObject | undefined): boolean {
  const status = gateway?.status as
    | { conditions?: unknown; addresses?: unknown[] }
    | undefined;
  return Boolean(
    status &&
      isTrue(status.conditions, 'Accepted') &&
      isTrue(status.conditions, 'Programmed') &&
      (status.addresses?.length ?? 0) > 0,
  );
}

/**
 * The waypoint a Service uses, from `istio.io/use-waypoint` (the Service's
 * own label beats its namespace's; `none` opts out) and
 * `istio.io/use-waypoint-namespace`. Returns undefined when none applies.
 */
export function waypointBinding(
  service: KubeObject,
  namespace: KubeObject | undefined,
  findGateway: (namespace: string, name: string) => KubeObject | undefined,
): WaypointBinding | undefined {
  const own = service.metadata.labels ?? {};
  const inherited = namespace?.metadata.labels ?? {};
  const name = own[ISTIO.useWaypoint] ?? inherited[ISTIO.useWaypoint];
  if (!name || name === 'none') return undefined;
  const waypointNamespace =
    (own[ISTIO.useWaypoint]
      ? own[ISTIO.useWaypointNamespace]
      : inherited[ISTIO.useWaypointNamespace]) ??
    service.metadata.namespace ??
    'default';
  const waypoint = { namespace: waypointNamespace, name };
  const gateway = findGateway(waypointNamespace, name);
  if (!gateway || !isWaypointReady(gateway)) {
    return {
      waypoint,
      bound: false,
      reason: 'WaypointIsNotReady',
      message: `waypoint ${waypointNamespace}/${name} is not ready`,
    };
  }
  const waypointFor = gateway.metadata.labels?.[ISTIO.waypointFor] ?? 'service';
  if (waypointFor !== 'service' && waypointFor !== 'all') {
    return {
      waypoint,
      bound: false,
      reason: 'UnsupportedTrafficType',
      message: `waypoint ${waypointNamespace}/${name} is for ${waypointFor} traffic, not service traffic`,
    };
  }
  if (waypointNamespace !== service.metadata.namespace) {
    const listeners = ((gateway.spec as any)?.listeners ?? []) as Array<any>;
    const allowsAll = listeners.some(
      l => l?.allowedRoutes?.namespaces?.from === 'All',
    );
    if (!allowsAll) {
      return {
        waypoint,
        bound: false,
        reason: 'AttachmentDenied',
        message: `waypoint ${waypointNamespace}/${name} does not allow attachments from namespace ${service.metadata.namespace}`,
      };
    }
  }
  return {
    waypoint,
    bound: true,
    reason: 'WaypointAccepted',
    message: `bound to ${waypointNamespace}/${name}`,
  };
}
