import { oldestFirst } from './objects';
import { isWaypointClassRef } from './policies';
import type { PolicyTargetReference, TelemetryObject } from './snapshot';
import { GATEWAY_API_GROUP } from './labelNames';
import { compareSemver, parseSemver } from './gatewayApiCompat';

/** The waypoint and Services a Telemetry lookup is for. */
export interface WaypointTelemetryContext {
  rootNamespace: string;
  waypoint: { name: string; namespace: string };
  /** The Services whose traffic the waypoint serves, with their namespace. */
  services: ReadonlyArray<{ name: string; namespace: string }>;
  /** istiod's version, when known: it decides whose namespace counts (see below). */
  istiodVersion?: string;
}

/**
 * Whether istiod also applies the Service's namespace when the waypoint lives in
 * another namespace: istio/istio#60673 ("Allow Telemetry from other namespace"), in
 * 1.30.3 and 1.31.0; 1.28.x and 1.29.x (checked to 1.28.10 and 1.29.6) use only the
 * waypoint's namespace.
 */
export function telemetryFollowsServiceNamespace(
  istiodVersion: string | undefined,
): boolean {
  const version = parseSemver(istiodVersion);
  if (!version) return false;
  const since =
    version.minor === 30 && version.major === 1 ? '1.30.3' : '1.31.0';
  return compareSemver(version, parseSemver(since)!) >= 0;
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
 * (1.28.0; 1.30.3 for the Service's namespace), for a waypoint proxy:
 * 1. the first namespace-wide Telemetry (no selector, no targetRefs) of the root namespace;
 * 2. the first namespace-wide Telemetry of the WAYPOINT's namespace (the proxy's config
 *    namespace);
 * 3. from istiod 1.30.3, when the Service is in another namespace, the first
 *    namespace-wide Telemetry of the Service's namespace, and step 4 then looks there;
 * 4. Telemetries of the waypoint's namespace (the Service's, see 3) with targetRefs to
 *    the waypoint Gateway (only from the waypoint's own namespace), to a served Service
 *    in the same namespace as the Telemetry, or (from the root namespace) to the
 *    GatewayClass istio-waypoint.
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
  const namespaceWide = (namespace: string) =>
    sorted.find(t => t.metadata.namespace === namespace && isNamespaceWide(t));
  const root = namespaceWide(rootNamespace);
  if (root) result.push(root);
  if (waypoint.namespace !== rootNamespace) {
    const own = namespaceWide(waypoint.namespace);
    if (own) result.push(own);
  }
  let lookup = waypoint.namespace;
  const serviceNamespace = context.services[0]?.namespace;
  if (
    serviceNamespace &&
    serviceNamespace !== waypoint.namespace &&
    telemetryFollowsServiceNamespace(context.istiodVersion)
  ) {
    const ofService = namespaceWide(serviceNamespace);
    if (ofService) result.push(ofService);
    lookup = serviceNamespace;
  }
  for (const t of sorted) {
    const ns = t.metadata.namespace;
    if (ns !== lookup || isNamespaceWide(t)) continue;
    const refs = targetRefsOf(t);
    const attaches = refs.some(ref => {
      if (ref.kind === 'Service' && (ref.group ?? '') === '') {
        return context.services.some(
          s => s.name === ref.name && s.namespace === ns,
        );
      }
      if (isWaypointClassRef(ref)) return ns === rootNamespace;
      return (
        ns === waypoint.namespace &&
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
