import type {
  TrafficManagement,
  TrafficRule,
} from '@ambient-mesh/plugin-istio-common';
import type { DiagnosticContext } from './diagnostics';
import {
  relevantDestinationRules,
  relevantVirtualServices,
} from './diagnostics/trafficDiagnostics';
import { relevantRoutes } from './diagnostics/gatewayApiDiagnostics';
import {
  destinationRuleL7Fields,
  serviceKeyOfHost,
  serviceWaypoint,
  trafficView,
  TrafficView,
  virtualServiceNeedsWaypoint,
} from './diagnostics/trafficContext';

function enforcement(
  view: TrafficView,
  keys: string[],
): Pick<TrafficRule, 'enforcer' | 'enforcedBy'> {
  for (const key of keys) {
    const w = serviceWaypoint(view, key);
    if (w)
      return { enforcer: 'waypoint', enforcedBy: `${w.namespace}/${w.name}` };
  }
  return { enforcer: 'nobody' };
}

function byGateways(
  gateways: string[],
): Pick<TrafficRule, 'enforcer' | 'enforcedBy'> {
  return gateways.length > 0
    ? { enforcer: 'gateway', enforcedBy: gateways.join(', ') }
    : { enforcer: 'nobody' };
}

function statusOf(
  rule: Pick<TrafficRule, 'enforcer' | 'enforcedBy'>,
  found: { severity: string; title: string } | undefined,
  ignored: boolean,
): Pick<TrafficRule, 'status' | 'statusMessage'> {
  if (found?.severity === 'error') {
    return { status: 'error', statusMessage: found.title };
  }
  if (ignored) {
    return {
      status: 'ignored',
      statusMessage:
        found?.title ?? 'No waypoint serves its services: not applied',
    };
  }
  if (found) return { status: 'error', statusMessage: found.title };
  return {
    status: 'ok',
    statusMessage:
      rule.enforcer === 'gateway'
        ? `Applied by ${rule.enforcedBy}`
        : `Applied by the waypoint ${rule.enforcedBy}`,
  };
}

/**
 * The routes (VirtualService, HTTPRoute, GRPCRoute) and DestinationRules that apply to the
 * entity's services, who enforces them, and whether they take effect. The status follows
 * the diagnostics raised about each object.
 */
export function summarizeTraffic(
  context: DiagnosticContext,
  diagnostics: ReadonlyArray<{
    severity: string;
    title: string;
    object?: { kind: string; name: string; namespace?: string };
  }>,
): TrafficManagement | undefined {
  const view = trafficView(context);
  if (!view) {
    const error = context.snapshot.trafficReadError;
    return error ? { rules: [], unavailable: error } : undefined;
  }
  const problem = (kind: string, name: string, namespace: string) =>
    diagnostics.find(
      d =>
        d.object?.kind === kind &&
        d.object.name === name &&
        (d.object.namespace ?? namespace) === namespace &&
        d.severity !== 'info',
    );
  const rules: TrafficRule[] = [];
  const push = (
    rule: Omit<TrafficRule, 'status' | 'statusMessage'>,
    ignoredWithoutEnforcer: boolean,
  ) => {
    const found = problem(rule.kind, rule.name, rule.namespace);
    const ignored = ignoredWithoutEnforcer && rule.enforcer === 'nobody';
    rules.push({ ...rule, ...statusOf(rule, found, ignored) });
  };
  for (const vs of relevantVirtualServices(view)) {
    const ns = vs.metadata.namespace ?? view.namespace;
    const keys = (vs.spec?.hosts ?? [])
      .map(h => serviceKeyOfHost(view, h, ns))
      .filter((k): k is string => Boolean(k));
    const gateways = (vs.spec?.gateways ?? []).filter(g => g !== 'mesh');
    const meshRoutes = virtualServiceNeedsWaypoint(vs);
    const enforced = meshRoutes
      ? enforcement(view, keys)
      : byGateways(gateways);
    push(
      {
        kind: 'VirtualService',
        name: vs.metadata.name,
        namespace: ns,
        targets: vs.spec?.hosts ?? [],
        ...enforced,
      },
      meshRoutes,
    );
  }
  for (const { kind, route } of relevantRoutes(view)) {
    const ns = route.metadata.namespace ?? view.namespace;
    const parents = route.spec?.parentRefs ?? [];
    const services = parents
      .filter(p => p.kind === 'Service')
      .map(p => `${p.namespace ?? ns}/${p.name}`);
    const gateways = parents
      .filter(p => (p.kind ?? 'Gateway') === 'Gateway')
      .map(p => `${p.namespace ?? ns}/${p.name}`);
    const enforced =
      services.length > 0
        ? enforcement(
            view,
            services.filter(s => view.servicesByKey.has(s)),
          )
        : byGateways(gateways);
    push(
      {
        kind,
        name: route.metadata.name,
        namespace: ns,
        targets: [
          ...services.map(s => `Service ${s}`),
          ...gateways.map(g => `Gateway ${g}`),
        ],
        ...enforced,
      },
      services.length > 0 || gateways.length === 0,
    );
  }
  for (const dr of relevantDestinationRules(view)) {
    const ns = dr.metadata.namespace ?? view.namespace;
    const key = serviceKeyOfHost(view, dr.spec?.host ?? '', ns);
    const l7 = destinationRuleL7Fields(dr).length > 0;
    const enforced = key
      ? enforcement(view, [key])
      : { enforcer: 'nobody' as const };
    push(
      {
        kind: 'DestinationRule',
        name: dr.metadata.name,
        namespace: ns,
        targets: dr.spec?.host ? [dr.spec.host] : [],
        ...enforced,
      },
      l7,
    );
  }
  return { rules };
}
