import { KEYS } from '../controllers/keys';
import { ObjectStore } from '../kube/store';
import { KubeObject } from '../kube/types';

const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

interface Ref {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

interface TracingEntry {
  providers?: Array<{ name?: string }>;
  randomSamplingPercentage?: number;
  disableSpanReporting?: boolean;
}

/** How a waypoint traces the requests of one Service. */
export interface WaypointTracing {
  /** A provider is configured and span reporting is not disabled. */
  enabled: boolean;
  /** The sampling percentage the Telemetry resources set, if any. */
  samplingPercent?: number;
}

function targetRefsOf(t: KubeObject): Ref[] {
  const spec = (t.spec ?? {}) as { targetRefs?: Ref[]; targetRef?: Ref };
  if (Array.isArray(spec.targetRefs) && spec.targetRefs.length > 0) {
    return spec.targetRefs;
  }
  return spec.targetRef ? [spec.targetRef] : [];
}

function isNamespaceWide(t: KubeObject): boolean {
  const labels = (t.spec as any)?.selector?.matchLabels ?? {};
  return Object.keys(labels).length === 0 && targetRefsOf(t).length === 0;
}

/** Oldest first, then by name, as istiod sorts configs by creation time. */
function oldestFirst(objects: KubeObject[]): KubeObject[] {
  return [...objects].sort(
    (a, b) =>
      String(a.metadata.creationTimestamp ?? '').localeCompare(
        String(b.metadata.creationTimestamp ?? ''),
      ) || a.metadata.name.localeCompare(b.metadata.name),
  );
}

function versionAtLeast(version: string | undefined, wanted: string) {
  const parse = (v: string) =>
    v
      .replace(/^v/, '')
      .split(/[.-]/)
      .slice(0, 3)
      .map(n => Number(n));
  if (!version || !/^v?\d+\.\d+\.\d+/.test(version)) return false;
  const have = parse(version);
  const want = parse(wanted);
  for (let i = 0; i < 3; i += 1) {
    if (have[i] !== want[i]) return have[i] > want[i];
  }
  return true;
}

/**
 * istio/istio#60673 ("Allow Telemetry from other namespace") is in 1.30.3 and 1.31.0,
 * not in 1.28.x or 1.29.x.
 */
export function followsServiceNamespace(version: string | undefined) {
  return version?.startsWith('1.30.')
    ? versionAtLeast(version, '1.30.3')
    : versionAtLeast(version, '1.31.0');
}

/** The version label of the istiod Deployment, if there is one. */
export function istiodVersion(store: ObjectStore): string | undefined {
  const istiod = store
    .list(KEYS.deployments)
    .find(d => d.metadata.labels?.app === 'istiod');
  return istiod?.metadata.labels?.['app.kubernetes.io/version'];
}

/**
 * The Telemetry resources that configure a waypoint for one Service, least specific
 * first, as istiod computes them (istio/istio 1.28.0 pilot/pkg/model/telemetry.go
 * applicableTelemetries with pilot/pkg/model/policyattachment.go ShouldAttachPolicy;
 * 1.30.3 for the Service's namespace): the root namespace's namespace-wide Telemetry,
 * the waypoint namespace's, from 1.30.3 the Service namespace's when it differs; then
 * the Telemetries of the waypoint's (from 1.30.3 the Service's) namespace whose
 * targetRefs name the waypoint Gateway (from its own namespace), the Service, or from
 * the root namespace the GatewayClass istio-waypoint. A `selector` never applies to a
 * waypoint.
 */
export function waypointTelemetries(
  store: ObjectStore,
  waypoint: { namespace: string; name: string },
  service: { namespace: string; name: string },
  rootNamespace = 'istio-system',
): KubeObject[] {
  const inNamespace = (ns: string) =>
    oldestFirst(store.list(KEYS.telemetries, ns));
  const namespaceWide = (ns: string) => inNamespace(ns).find(isNamespaceWide);
  const result: KubeObject[] = [];
  const push = (t: KubeObject | undefined) => {
    if (t) result.push(t);
  };
  push(namespaceWide(rootNamespace));
  if (waypoint.namespace !== rootNamespace) {
    push(namespaceWide(waypoint.namespace));
  }
  let lookup = waypoint.namespace;
  if (
    service.namespace !== waypoint.namespace &&
    followsServiceNamespace(istiodVersion(store))
  ) {
    push(namespaceWide(service.namespace));
    lookup = service.namespace;
  }
  for (const t of inNamespace(lookup)) {
    if (isNamespaceWide(t)) continue;
    const ns = t.metadata.namespace;
    const attaches = targetRefsOf(t).some(ref => {
      if (ref.kind === 'Service' && (ref.group ?? '') === '') {
        return ref.name === service.name && ns === service.namespace;
      }
      if (ref.kind === 'GatewayClass' && ref.group === GATEWAY_API_GROUP) {
        return ref.name === 'istio-waypoint' && ns === rootNamespace;
      }
      return (
        ref.kind === 'Gateway' &&
        ref.group === GATEWAY_API_GROUP &&
        ns === waypoint.namespace &&
        (!ref.namespace || ref.namespace === waypoint.namespace) &&
        ref.name === waypoint.name
      );
    });
    if (attaches) result.push(t);
  }
  return result;
}

/**
 * The waypoint's tracing for a Service (pilot/pkg/model/telemetry.go Tracing, 1.28.0):
 * the entries of the applicable Telemetries in order, each overriding the provider,
 * `disableSpanReporting` and `randomSamplingPercentage` it sets; with no provider at
 * all (none named, no mesh default provider), tracing is off.
 */
export function waypointTracing(
  store: ObjectStore,
  waypoint: { namespace: string; name: string },
  service: { namespace: string; name: string },
  meshDefaultProvider = false,
): WaypointTracing {
  let provider = meshDefaultProvider;
  let disabled = false;
  let samplingPercent: number | undefined;
  for (const t of waypointTelemetries(store, waypoint, service)) {
    const entries: TracingEntry[] = (t.spec as any)?.tracing ?? [];
    for (const entry of entries) {
      if ((entry.providers ?? []).some(p => p.name)) provider = true;
      if (typeof entry.disableSpanReporting === 'boolean') {
        disabled = entry.disableSpanReporting;
      }
      if (typeof entry.randomSamplingPercentage === 'number') {
        samplingPercent = entry.randomSamplingPercentage;
      }
    }
  }
  return {
    enabled: provider && !disabled,
    ...(samplingPercent !== undefined ? { samplingPercent } : {}),
  };
}
