import {
  DATAPLANE_MODE_LABEL,
  type Diagnostic,
  type DiagnosticObject,
  type TemplateFix,
} from '@ambient-mesh/plugin-istio-common';
import type { V1Service } from '@kubernetes/client-node';
import { labelsOf } from '../objects';
import type { CustomObject } from '../snapshot';
import type {
  DestinationRuleObject,
  FullTelemetryObject,
  TrafficPolicy,
  TrafficSnapshot,
  VirtualServiceObject,
} from '../trafficObjects';
import { useWaypointOf, type WaypointReference } from '../waypoint';
import type { DiagnosticContext } from './context';

/**
 * What the traffic checks share: the traffic objects, lookups over them, and the
 * entity's services. Built once per assessment by {@link trafficView}.
 */
export interface TrafficView {
  context: DiagnosticContext;
  traffic: TrafficSnapshot;
  /** The entity's namespace. */
  namespace: string;
  rootNamespace: string;
  /** `namespace/name` of the entity's Services. */
  entityServices: Set<string>;
  /** Every Service of the cluster by `namespace/name`. */
  servicesByKey: Map<string, V1Service>;
  /** Namespace labels by name (the entity's namespace object wins for its own). */
  namespaceLabels: Map<string, Record<string, string>>;
  trustDomain: string;
}

/** The traffic view, or undefined when the snapshot did not read traffic objects. */
export function trafficView(
  context: DiagnosticContext,
): TrafficView | undefined {
  const traffic = context.snapshot.traffic;
  if (!traffic) return undefined;
  const servicesByKey = new Map<string, V1Service>();
  for (const s of [...traffic.services, ...context.snapshot.services]) {
    servicesByKey.set(
      `${s.metadata?.namespace ?? context.snapshot.namespace}/${
        s.metadata?.name
      }`,
      s,
    );
  }
  const namespaceLabels = new Map<string, Record<string, string>>();
  for (const n of traffic.namespaces) {
    namespaceLabels.set(n.metadata?.name ?? '', labelsOf(n));
  }
  if (context.snapshot.namespaceObject) {
    namespaceLabels.set(
      context.snapshot.namespace,
      labelsOf(context.snapshot.namespaceObject),
    );
  }
  return {
    context,
    traffic,
    namespace: context.snapshot.namespace,
    rootNamespace: context.rootNamespace,
    entityServices: new Set(
      context.snapshot.services.map(
        s =>
          `${s.metadata?.namespace ?? context.snapshot.namespace}/${
            s.metadata?.name
          }`,
      ),
    ),
    servicesByKey,
    namespaceLabels,
    trustDomain: context.trustDomain,
  };
}

const CLUSTER_SUFFIX = '.svc.cluster.local';

/**
 * Resolves a host as Istio does for Kubernetes Services: a short name is relative to the
 * object's namespace, `name.namespace` (a known namespace), `name.namespace.svc` and the
 * full `name.namespace.svc.cluster.local` name a Service. Returns `namespace/name`, or
 * undefined for other (external or wildcard) hosts.
 */
export function serviceKeyOfHost(
  view: TrafficView,
  host: string,
  objectNamespace: string,
): string | undefined {
  if (!host || host.includes('*')) return undefined;
  const parts = host.split('.');
  if (parts.length === 1) return `${objectNamespace}/${host}`;
  if (parts.length === 2 && view.namespaceLabels.has(parts[1])) {
    return `${parts[1]}/${parts[0]}`;
  }
  if (parts.length === 3 && parts[2] === 'svc')
    return `${parts[1]}/${parts[0]}`;
  if (host.endsWith(CLUSTER_SUFFIX) && parts.length === 5) {
    return `${parts[1]}/${parts[0]}`;
  }
  return undefined;
}

/** True when `host` matches `pattern`, where `pattern` may start with `*.`. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

/** The fully qualified form of a host, as Istio compares hosts. */
export function fqdnOf(
  view: TrafficView,
  host: string,
  objectNamespace: string,
): string {
  const key = serviceKeyOfHost(view, host, objectNamespace);
  if (!key) return host;
  const [ns, name] = key.split('/');
  return `${name}.${ns}${CLUSTER_SUFFIX}`;
}

/** True when a host names a Service, a ServiceEntry host or (when asked) a VirtualService host. */
export function hostInRegistry(
  view: TrafficView,
  host: string,
  objectNamespace: string,
  options: { virtualServices?: boolean } = {},
): boolean {
  const key = serviceKeyOfHost(view, host, objectNamespace);
  if (key && view.servicesByKey.has(key)) return true;
  const fqdn = fqdnOf(view, host, objectNamespace);
  const patterns = view.traffic.serviceEntries.flatMap(
    se => se.spec?.hosts ?? [],
  );
  if (options.virtualServices) {
    patterns.push(
      ...view.traffic.virtualServices.flatMap(vs => vs.spec?.hosts ?? []),
    );
  }
  return patterns.some(
    p => hostMatches(p, fqdn) || hostMatches(p, host) || hostMatches(host, p),
  );
}

/** The waypoint a Service uses (Service label, else namespace label), or undefined. */
export function serviceWaypoint(
  view: TrafficView,
  key: string,
): WaypointReference | undefined {
  const service = view.servicesByKey.get(key);
  const [ns] = key.split('/');
  return useWaypointOf(
    labelsOf(service),
    view.namespaceLabels.get(ns) ?? {},
    ns,
    'service',
  );
}

/** Kiali's "ambient namespace": labelled `istio.io/dataplane-mode=ambient`. */
export function isAmbientNamespace(view: TrafficView, ns: string): boolean {
  return view.namespaceLabels.get(ns)?.[DATAPLANE_MODE_LABEL] === 'ambient';
}

/** Kiali's "enrolled for a waypoint": `istio.io/use-waypoint` on the namespace, not `none`. */
export function isNamespaceEnrolled(view: TrafficView, ns: string): boolean {
  const value = view.namespaceLabels.get(ns)?.['istio.io/use-waypoint'];
  return Boolean(value) && value !== 'none';
}

/** A VirtualService needs a waypoint when it has http or tls routes for mesh traffic. */
export function virtualServiceNeedsWaypoint(vs: VirtualServiceObject): boolean {
  const gateways = vs.spec?.gateways ?? [];
  const mesh = gateways.length === 0 || gateways.includes('mesh');
  return mesh && Boolean(vs.spec?.http?.length || vs.spec?.tls?.length);
}

function trafficPolicyL7Fields(
  policy: TrafficPolicy | undefined,
  at: string,
): string[] {
  if (!policy) return [];
  const fields: string[] = [];
  const hash = policy.loadBalancer?.consistentHash;
  if (hash?.httpHeaderName)
    fields.push(`${at}.loadBalancer.consistentHash.httpHeaderName`);
  if (hash?.httpCookie)
    fields.push(`${at}.loadBalancer.consistentHash.httpCookie`);
  if (policy.connectionPool?.http) fields.push(`${at}.connectionPool.http`);
  if (policy.outlierDetection) fields.push(`${at}.outlierDetection`);
  return fields;
}

/** The L7 fields of a DestinationRule (Kiali's classification). */
export function destinationRuleL7Fields(dr: DestinationRuleObject): string[] {
  return [
    ...trafficPolicyL7Fields(dr.spec?.trafficPolicy, 'spec.trafficPolicy'),
    ...(dr.spec?.subsets ?? []).flatMap((s, i) =>
      trafficPolicyL7Fields(
        s.trafficPolicy,
        `spec.subsets[${i}].trafficPolicy`,
      ),
    ),
  ];
}

/** The L7 fields of a Telemetry (tracing, access logging, metric overrides). */
export function telemetryL7Fields(t: FullTelemetryObject): string[] {
  const fields: string[] = [];
  if (t.spec?.tracing?.length) fields.push('spec.tracing');
  if (t.spec?.accessLogging?.length) fields.push('spec.accessLogging');
  (t.spec?.metrics ?? []).forEach((m, i) => {
    if (m.overrides?.length) fields.push(`spec.metrics[${i}].overrides`);
  });
  return fields;
}

/** True when an object has `targetRef` or `targetRefs`. */
export function hasTargetRefs(
  object: CustomObject<{ targetRef?: unknown; targetRefs?: unknown[] }>,
): boolean {
  return Boolean(object.spec?.targetRef || object.spec?.targetRefs?.length);
}

/** `kind namespace/name`, the way evidence lines name an object. */
export function nameOf(
  kind: string,
  object: CustomObject<unknown>,
  fallbackNs?: string,
): string {
  return `${kind} ${object.metadata.namespace ?? fallbackNs}/${
    object.metadata.name
  }`;
}

/** The `object` of a diagnostic. */
export function objectOf(
  kind: string,
  object: { metadata?: { name?: string; namespace?: string } },
  field?: string,
): DiagnosticObject {
  return {
    kind,
    name: object.metadata?.name ?? '',
    ...(object.metadata?.namespace
      ? { namespace: object.metadata.namespace }
      : {}),
    ...(field ? { field } : {}),
  };
}

/** A diagnostic about one object. */
export function about(
  diagnostic: Omit<Diagnostic, 'object'>,
  object: DiagnosticObject,
): Diagnostic {
  return { ...diagnostic, object };
}

/** The onboarding template, prefilled to deploy a waypoint for a namespace. */
export function waypointTemplateFix(
  view: TrafficView,
  ns: string,
): TemplateFix {
  return {
    kind: 'template',
    templateRef: view.context.onboardTemplateRef,
    values: {
      namespace: ns,
      cluster: view.context.snapshot.cluster,
      waypoint: true,
    },
  };
}

/**
 * True when an object in the entity's view should be reported: it names one of the
 * entity's Services, or it sits in the entity's namespace and names no existing Service.
 */
export function relevant(
  view: TrafficView,
  objectNamespace: string | undefined,
  serviceKeys: Array<string | undefined>,
): boolean {
  const keys = serviceKeys.filter((k): k is string => Boolean(k));
  if (keys.some(k => view.entityServices.has(k))) return true;
  if (
    objectNamespace !== view.namespace &&
    objectNamespace !== view.rootNamespace
  )
    return false;
  if (view.entityServices.size === 0) return true;
  return !keys.some(k => view.servicesByKey.has(k));
}
