import { oldestFirst } from './objects';
import { isWaypointClassRef } from './policies';
import type { PolicyTargetReference, TelemetryObject } from './snapshot';
import { GATEWAY_API_GROUP } from './labelNames';

/** The waypoint and Services a Telemetry lookup is for. */
export interface WaypointTelemetryContext {
  rootNamespace: string;
  waypoint: { name: string; namespace: string };
  /** The Services whose traffic the waypoint serves, with their namespace. */
  services: ReadonlyArray<{ name: string; namespace: string }>;
}

function targetRefsOf(t: TelemetryObject): PolicyTargetReference[] {
  const spec = t.spec ?? {};
  if ((spec.targetRefs?.length ?? 0) > 0) return spec.targetRefs!;
  return spec.targetRef ? [spec.targetRef] : [];
}

function isNamespaceWide(t: TelemetryObject): boolean {
  return (
    Object.keys(t.spec?.selector?.matchLabels ?? {}).length === 0 &&
    targetRefsOf(t).length === 0
  );
}

/**
 * The Telemetry resources that configure a waypoint, least specific first (later ones
 * override earlier ones). Follows istio/istio pilot/pkg/model/telemetry.go
 * applicableTelemetries and pilot/pkg/model/policyattachment.go ShouldAttachPolicy
 * (1.28.0), for a waypoint proxy:
 * 1. the first namespace-wide Telemetry (no selector, no targetRefs) of the root namespace;
 * 2. the first namespace-wide Telemetry of the WAYPOINT's namespace (the proxy's config
 *    namespace), not the Service's;
 * 3. Telemetries of the waypoint's namespace with targetRefs to the waypoint Gateway, to
 *    a served Service in the same namespace as the Telemetry, or (from the root
 *    namespace) to the GatewayClass istio-waypoint.
 * A Telemetry with only a `selector` never applies to a waypoint ("waypoints never use
 * selector"), whatever labels it matches.
 */
export function waypointTelemetries(
  telemetries: readonly TelemetryObject[],
  context: WaypointTelemetryContext,
): TelemetryObject[] {
  const sorted = oldestFirst(telemetries);
  const { rootNamespace, waypoint } = context;
  const result: TelemetryObject[] = [];
  const root = sorted.find(
    t => t.metadata.namespace === rootNamespace && isNamespaceWide(t),
  );
  if (root) result.push(root);
  if (waypoint.namespace !== rootNamespace) {
    const own = sorted.find(
      t => t.metadata.namespace === waypoint.namespace && isNamespaceWide(t),
    );
    if (own) result.push(own);
  }
  for (const t of sorted) {
    const ns = t.metadata.namespace;
    if (ns !== waypoint.namespace || isNamespaceWide(t)) continue;
    const refs = targetRefsOf(t);
    const attaches = refs.some(ref => {
      if (ref.kind === 'Service' && (ref.group ?? '') === '') {
        return context.services.some(
          s => s.name === ref.name && s.namespace === ns,
        );
      }
      if (isWaypointClassRef(ref)) return ns === rootNamespace;
      return (
        ref.kind === 'Gateway' &&
        ref.group === GATEWAY_API_GROUP &&
        (!ref.namespace || ref.namespace === waypoint.namespace) &&
        ref.name === waypoint.name
      );
    });
    if (attaches) result.push(t);
  }
  return result;
}
