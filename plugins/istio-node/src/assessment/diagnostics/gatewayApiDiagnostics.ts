import type { Diagnostic } from '@ambient-mesh/plugin-istio-common';
import { WAYPOINT_GATEWAY_CLASS } from '@ambient-mesh/plugin-istio-common';
import { matchesLabelSelector } from '../objects';
import type { GatewayObject } from '../snapshot';
import type { RouteObject, RouteReference } from '../trafficObjects';
import type { DiagnosticRule } from './context';
import { commandFix, yamlFix } from './fixes';
import {
  about,
  nameOf,
  objectOf,
  relevant,
  serviceWaypoint,
  trafficView,
  TrafficView,
  waypointTemplateFix,
} from './trafficContext';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** The Gateway API bundle version that made Service parentRefs (GAMMA), which waypoints use, standard. */
export const MIN_GATEWAY_API_VERSION = 'v1.1.0';

type Listener = {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  allowedRoutes?: {
    namespaces?: { from?: 'Same' | 'All' | 'Selector'; selector?: unknown };
  };
};
type FullGateway = GatewayObject & {
  spec?: {
    addresses?: Array<{ type?: string; value: string }>;
    listeners?: Listener[];
  };
  status?: {
    listeners?: Array<{
      name: string;
      conditions?: Array<{
        type: string;
        status: string;
        reason?: string;
        message?: string;
      }>;
    }>;
  };
};

function isServiceRef(ref: RouteReference): boolean {
  return (ref.kind ?? '') === 'Service' && (ref.group ?? '') === '';
}
function isGatewayRef(ref: RouteReference): boolean {
  return (
    (ref.kind ?? 'Gateway') === 'Gateway' &&
    (ref.group ?? GATEWAY_GROUP) === GATEWAY_GROUP
  );
}
function isBackendService(ref: RouteReference): boolean {
  return (ref.kind ?? 'Service') === 'Service' && (ref.group ?? '') === '';
}

/** Routes and their kind. */
export function routesOf(
  view: TrafficView,
): Array<{ kind: 'HTTPRoute' | 'GRPCRoute'; route: RouteObject }> {
  return [
    ...view.traffic.httpRoutes.map(route => ({
      kind: 'HTTPRoute' as const,
      route,
    })),
    ...view.traffic.grpcRoutes.map(route => ({
      kind: 'GRPCRoute' as const,
      route,
    })),
  ];
}

function routeServiceKeys(route: RouteObject): string[] {
  const ns = route.metadata.namespace ?? '';
  return [
    ...(route.spec?.parentRefs ?? []).filter(isServiceRef),
    ...(route.spec?.rules ?? [])
      .flatMap(r => r.backendRefs ?? [])
      .filter(isBackendService),
  ].map(r => `${r.namespace ?? ns}/${r.name}`);
}

/** The routes the entity's view reports on. */
export function relevantRoutes(view: TrafficView) {
  return routesOf(view).filter(({ route }) =>
    relevant(view, route.metadata.namespace, routeServiceKeys(route)),
  );
}

function gatewayAllows(
  view: TrafficView,
  gateway: FullGateway,
  routeNs: string,
): boolean {
  const gwNs = gateway.metadata.namespace;
  const listeners = gateway.spec?.listeners ?? [];
  if (listeners.length === 0) return gwNs === routeNs;
  return listeners.some(l => {
    const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
    if (from === 'All') return true;
    if (from === 'Same') return gwNs === routeNs;
    return matchesLabelSelector(
      l.allowedRoutes?.namespaces?.selector as never,
      view.namespaceLabels.get(routeNs) ?? {},
    );
  });
}

function grantAllows(
  view: TrafficView,
  fromKind: string,
  fromNs: string,
  toNs: string,
  name: string,
): boolean {
  return view.traffic.referenceGrants.some(
    g =>
      g.metadata.namespace === toNs &&
      (g.spec?.from ?? []).some(
        f =>
          f.namespace === fromNs &&
          (f.kind ?? '') === fromKind &&
          (f.group ?? '') === GATEWAY_GROUP,
      ) &&
      (g.spec?.to ?? []).some(
        t =>
          (t.kind ?? '') === 'Service' &&
          (t.group ?? '') === '' &&
          (!t.name || t.name === name),
      ),
  );
}

function routeDiagnostics(
  view: TrafficView,
  kind: 'HTTPRoute' | 'GRPCRoute',
  route: RouteObject,
): Diagnostic[] {
  const ns = route.metadata.namespace ?? view.namespace;
  const ref = nameOf(kind, route);
  const plural = kind === 'HTTPRoute' ? 'httproute' : 'grpcroute';
  const edit = commandFix(
    `kubectl edit ${plural} ${route.metadata.name} -n ${ns}`,
  );
  const result: Diagnostic[] = [];
  (route.spec?.parentRefs ?? []).forEach((parent, i) => {
    const field = `spec.parentRefs[${i}]`;
    const parentNs = parent.namespace ?? ns;
    if (isServiceRef(parent)) {
      const key = `${parentNs}/${parent.name}`;
      if (!view.servicesByKey.has(key) || parent.name.includes('.')) {
        result.push(
          about(
            {
              id: 'route-parent-not-found',
              severity: 'error',
              title: `${kind} parent Service not found`,
              message: `${ref} attaches to the Service ${key}, which does not exist: no waypoint picks the route up, so its rules apply to nothing. Point parentRefs at the Service the route is for.`,
              evidence: [`${ref} ${field}: Service ${key} (not found)`],
              fix: commandFix(
                `kubectl get services -n ${parentNs}`,
                `kubectl edit ${plural} ${route.metadata.name} -n ${ns}`,
              ),
            },
            objectOf(kind, route, field),
          ),
        );
        return;
      }
      if (!serviceWaypoint(view, key)) {
        result.push(
          about(
            {
              id: 'route-without-waypoint',
              severity: 'warning',
              title: `${kind} for a Service no waypoint serves`,
              message: `${ref} attaches to the Service ${key}, but neither the Service nor namespace ${parentNs} has istio.io/use-waypoint: in ambient mode only a waypoint applies Service routes, so this route is not respected.`,
              evidence: [
                `${ref} ${field}: Service ${key}`,
                `Service ${key}: no istio.io/use-waypoint label on it or on namespace ${parentNs}`,
              ],
              fix: waypointTemplateFix(view, parentNs),
            },
            objectOf(kind, route, field),
          ),
        );
      }
      return;
    }
    if (!isGatewayRef(parent)) return;
    const gateway = view.traffic.gateways.find(
      g => g.metadata.name === parent.name && g.metadata.namespace === parentNs,
    ) as FullGateway | undefined;
    if (!gateway || !gatewayAllows(view, gateway, ns)) {
      result.push(
        about(
          {
            id: 'route-parent-not-found',
            severity: 'error',
            title: `${kind} parent Gateway not found or not open to the route`,
            message: gateway
              ? `${ref} attaches to the Gateway ${parentNs}/${parent.name}, whose listeners do not allow routes from namespace ${ns} (allowedRoutes).`
              : `${ref} attaches to the Gateway ${parentNs}/${parent.name}, which does not exist: the route applies to nothing.`,
            evidence: [
              `${ref} ${field}: Gateway ${parentNs}/${parent.name} (${
                gateway ? `allowedRoutes excludes ${ns}` : 'not found'
              })`,
            ],
            fix: gateway
              ? yamlFix({
                  apiVersion: 'gateway.networking.k8s.io/v1',
                  kind: 'Gateway',
                  metadata: { name: parent.name, namespace: parentNs },
                  spec: {
                    ...gateway.spec,
                    listeners: (gateway.spec?.listeners ?? []).map(l => ({
                      ...l,
                      allowedRoutes: { namespaces: { from: 'All' } },
                    })),
                  },
                })
              : commandFix(
                  `kubectl get gateways.gateway.networking.k8s.io -A`,
                  `kubectl edit ${plural} ${route.metadata.name} -n ${ns}`,
                ),
          },
          objectOf(kind, route, field),
        ),
      );
    }
  });
  (route.spec?.rules ?? []).forEach((rule, r) =>
    (rule.backendRefs ?? []).forEach((backend, b) => {
      if (!isBackendService(backend)) return;
      const field = `spec.rules[${r}].backendRefs[${b}]`;
      const backendNs = backend.namespace ?? ns;
      const key = `${backendNs}/${backend.name}`;
      const missing =
        !view.servicesByKey.has(key) || backend.name.includes('.');
      const ungranted =
        !missing &&
        backendNs !== ns &&
        !grantAllows(view, kind, ns, backendNs, backend.name);
      if (!missing && !ungranted) return;
      result.push(
        about(
          {
            id: 'route-backend-not-found',
            severity: 'error',
            title: `${kind} backend ${missing ? 'not found' : 'not granted'}`,
            message: missing
              ? `${ref} sends traffic to the Service ${key}, which does not exist: those requests fail.`
              : `${ref} sends traffic to the Service ${key} in another namespace, and no ReferenceGrant in ${backendNs} allows ${kind}s from ${ns}.`,
            evidence: [
              `${ref} ${field}: Service ${key} (${
                missing ? 'not found' : 'no ReferenceGrant'
              })`,
            ],
            fix: missing
              ? edit
              : yamlFix({
                  apiVersion: 'gateway.networking.k8s.io/v1beta1',
                  kind: 'ReferenceGrant',
                  metadata: {
                    name: `allow-${ns}-${kind.toLowerCase()}s`,
                    namespace: backendNs,
                  },
                  spec: {
                    from: [{ group: GATEWAY_GROUP, kind, namespace: ns }],
                    to: [{ group: '', kind: 'Service', name: backend.name }],
                  },
                }),
          },
          objectOf(kind, route, field),
        ),
      );
    }),
  );
  (route.status?.parents ?? []).forEach((parent, i) => {
    const failed = (parent.conditions ?? []).filter(
      c =>
        ['Accepted', 'ResolvedRefs', 'Programmed'].includes(c.type) &&
        c.status === 'False',
    );
    if (failed.length === 0) return;
    result.push(
      about(
        {
          id: 'route-not-accepted',
          severity: 'warning',
          title: `${kind} not accepted by its parent`,
          message: `The controller reports a problem with ${ref} on parent ${
            parent.parentRef.namespace ?? ns
          }/${parent.parentRef.name}: ${failed
            .map(c => c.message ?? c.reason)
            .join('; ')}`,
          evidence: failed.map(
            c =>
              `${ref} status.parents[${i}] ${c.type}=${c.status}${
                c.reason ? ` (${c.reason})` : ''
              }${c.message ? `: ${c.message}` : ''}`,
          ),
          fix: edit,
        },
        objectOf(kind, route, `status.parents[${i}].conditions`),
      ),
    );
  });
  return result;
}

/** HTTPRoute and GRPCRoute checks (Kiali KIA1401, KIA1402; istioctl IST0171 on routes). */
export const routeDiagnostics_: DiagnosticRule = context => {
  const view = trafficView(context);
  if (!view) return [];
  return relevantRoutes(view).flatMap(({ kind, route }) =>
    routeDiagnostics(view, kind, route),
  );
};
export { routeDiagnostics_ as gatewayRouteDiagnostics };

const BENIGN_REASONS = ['Pending', 'ListenersNotValid'];

function relevantGateways(view: TrafficView): FullGateway[] {
  const parents = new Set(
    relevantRoutes(view).flatMap(({ route }) =>
      (route.spec?.parentRefs ?? [])
        .filter(isGatewayRef)
        .map(p => `${p.namespace ?? route.metadata.namespace}/${p.name}`),
    ),
  );
  return (view.traffic.gateways as FullGateway[]).filter(
    g =>
      g.metadata.namespace === view.namespace ||
      parents.has(`${g.metadata.namespace}/${g.metadata.name}`),
  );
}

function listenerKey(l: Listener): string {
  return `${l.hostname ?? '*'}|${l.port}|${l.protocol}`;
}

/** Gateway API Gateway checks (Kiali KIA1501-KIA1504, GWAPI conditions; istioctl IST0171). */
export const kubeGatewayDiagnostics: DiagnosticRule = context => {
  const view = trafficView(context);
  if (!view) return [];
  const result: Diagnostic[] = [];
  const waypoints = new Set(
    context.snapshot.waypointGateways.map(
      g => `${g.metadata.namespace}/${g.metadata.name}`,
    ),
  );
  const all = view.traffic.gateways as FullGateway[];
  for (const gateway of relevantGateways(view)) {
    const ref = nameOf('Gateway', gateway);
    const key = `${gateway.metadata.namespace}/${gateway.metadata.name}`;
    const className = gateway.spec?.gatewayClassName ?? '';
    if (
      className &&
      !view.traffic.gatewayClasses.includes(className) &&
      className !== WAYPOINT_GATEWAY_CLASS
    ) {
      result.push(
        about(
          {
            id: 'gateway-class-not-found',
            severity: 'error',
            title: 'Gateway of an unknown GatewayClass',
            message: `${ref} uses the GatewayClass ${className}, which does not exist: no controller programs this Gateway.`,
            evidence: [
              `${ref} spec.gatewayClassName: ${className} (GatewayClasses: ${
                view.traffic.gatewayClasses.join(', ') || 'none'
              })`,
            ],
            fix: commandFix(
              `kubectl get gatewayclasses`,
              `kubectl edit gateway ${gateway.metadata.name} -n ${gateway.metadata.namespace}`,
            ),
          },
          objectOf('Gateway', gateway, 'spec.gatewayClassName'),
        ),
      );
    }
    const failed = [
      ...(gateway.status?.conditions ?? [])
        .filter(
          c =>
            [
              'Accepted',
              'Programmed',
              'Ready',
              'Scheduled',
              'ResolvedRefs',
            ].includes(c.type) && c.status === 'False',
        )
        .filter(
          c =>
            !BENIGN_REASONS.includes(c.reason ?? '') &&
            !(c.message ?? '').includes('address pending'),
        )
        .filter(
          c =>
            !(
              waypoints.has(key) && ['Accepted', 'Programmed'].includes(c.type)
            ),
        )
        .map(c => ({ at: 'status.conditions', c })),
      ...(gateway.status?.listeners ?? []).flatMap(l =>
        (l.conditions ?? [])
          .filter(
            c =>
              (['Accepted', 'Programmed', 'Ready', 'ResolvedRefs'].includes(
                c.type,
              ) &&
                c.status === 'False') ||
              (['Conflicted', 'Detached'].includes(c.type) &&
                c.status === 'True'),
          )
          .map(c => ({ at: `status.listeners[${l.name}]`, c })),
      ),
    ];
    if (failed.length > 0) {
      result.push(
        about(
          {
            id: 'gateway-not-accepted',
            severity: 'warning',
            title: 'Gateway reports a problem',
            message: `The controller reports ${ref} as not fully working: ${failed
              .map(f => f.c.message ?? f.c.reason)
              .join('; ')}`,
            evidence: failed.map(
              ({ at, c }) =>
                `${ref} ${at} ${c.type}=${c.status}${
                  c.reason ? ` (${c.reason})` : ''
                }${c.message ? `: ${c.message}` : ''}`,
            ),
            fix: commandFix(
              `kubectl describe gateway ${gateway.metadata.name} -n ${gateway.metadata.namespace}`,
            ),
          },
          objectOf('Gateway', gateway, failed[0].at),
        ),
      );
    }
    const listeners = gateway.spec?.listeners ?? [];
    const seen = new Map<string, string>();
    for (const l of listeners) {
      const k = listenerKey(l);
      if (seen.has(k)) {
        result.push(
          about(
            {
              id: 'gateway-listener-conflict',
              severity: 'error',
              title: 'Two listeners with the same hostname, port and protocol',
              message: `Listeners ${seen.get(k)} and ${
                l.name
              } of ${ref} have the same hostname, port and protocol; each listener must be unique.`,
              evidence: [
                `${ref} spec.listeners ${seen.get(k)}, ${l.name}: ${
                  l.hostname ?? '(no hostname)'
                } ${l.port}/${l.protocol}`,
              ],
              fix: commandFix(
                `kubectl edit gateway ${gateway.metadata.name} -n ${gateway.metadata.namespace}`,
              ),
            },
            objectOf('Gateway', gateway, 'spec.listeners'),
          ),
        );
      }
      seen.set(k, l.name);
      if (!l.hostname) continue;
      const other = all.find(
        g =>
          g !== gateway &&
          ((g.spec?.listeners ?? []) as Listener[]).some(
            o => o.hostname && listenerKey(o) === k,
          ),
      );
      if (other) {
        result.push(
          about(
            {
              id: 'gateway-listener-conflict',
              severity: 'warning',
              title: 'Listener duplicated in another Gateway',
              message: `Listener ${l.name} of ${ref} has the same hostname, port and protocol as a listener of Gateway ${other.metadata.namespace}/${other.metadata.name}.`,
              evidence: [
                `${ref} listener ${l.name}: ${l.hostname} ${l.port}/${l.protocol}; also in Gateway ${other.metadata.namespace}/${other.metadata.name}`,
              ],
              fix: commandFix(
                `kubectl edit gateway ${gateway.metadata.name} -n ${gateway.metadata.namespace}`,
              ),
            },
            objectOf('Gateway', gateway, `spec.listeners[${l.name}]`),
          ),
        );
      }
    }
    for (const address of gateway.spec?.addresses ?? []) {
      const other = all.find(
        g =>
          g !== gateway &&
          (g.spec?.addresses ?? []).some(
            a =>
              (a.type ?? 'IPAddress') === (address.type ?? 'IPAddress') &&
              a.value === address.value,
          ),
      );
      if (other) {
        result.push(
          about(
            {
              id: 'gateway-address-conflict',
              severity: 'warning',
              title: 'Gateway address used by another Gateway',
              message: `${ref} requests the address ${address.value}, which Gateway ${other.metadata.namespace}/${other.metadata.name} also requests.`,
              evidence: [
                `${ref} spec.addresses: ${address.type ?? 'IPAddress'} ${
                  address.value
                }; also Gateway ${other.metadata.namespace}/${
                  other.metadata.name
                }`,
              ],
              fix: commandFix(
                `kubectl edit gateway ${gateway.metadata.name} -n ${gateway.metadata.namespace}`,
              ),
            },
            objectOf('Gateway', gateway, 'spec.addresses'),
          ),
        );
      }
    }
  }
  return result;
};

/** ReferenceGrants of the namespace whose `from` namespace does not exist (Kiali KIA1601). */
export const referenceGrantDiagnostics: DiagnosticRule = context => {
  const view = trafficView(context);
  if (!view || view.namespaceLabels.size === 0) return [];
  return view.traffic.referenceGrants
    .filter(g => g.metadata.namespace === view.namespace)
    .flatMap(g =>
      (g.spec?.from ?? []).flatMap((from, i) =>
        view.namespaceLabels.has(from.namespace)
          ? []
          : [
              about(
                {
                  id: 'reference-grant-namespace-not-found',
                  severity: 'error',
                  title: 'ReferenceGrant from a namespace that does not exist',
                  message: `${nameOf(
                    'ReferenceGrant',
                    g,
                  )} grants access to routes of namespace ${
                    from.namespace
                  }, which does not exist.`,
                  evidence: [
                    `${nameOf(
                      'ReferenceGrant',
                      g,
                    )} spec.from[${i}].namespace: ${
                      from.namespace
                    } (not found)`,
                  ],
                  fix: commandFix(
                    `kubectl get namespaces`,
                    `kubectl edit referencegrant ${g.metadata.name} -n ${g.metadata.namespace}`,
                  ),
                },
                objectOf('ReferenceGrant', g, `spec.from[${i}].namespace`),
              ),
            ],
      ),
    );
};

/** Istio Gateways with the same selector and port and overlapping hosts (Kiali KIA0301). */
export const istioGatewayDiagnostics: DiagnosticRule = context => {
  const view = trafficView(context);
  if (!view) return [];
  const all = view.traffic.istioGateways;
  const result: Diagnostic[] = [];
  const selectorOf = (g: (typeof all)[number]) =>
    JSON.stringify(Object.entries(g.spec?.selector ?? {}).sort());
  for (const gw of all.filter(g => g.metadata.namespace === view.namespace)) {
    for (const server of gw.spec?.servers ?? []) {
      for (const other of all) {
        if (other === gw || selectorOf(other) !== selectorOf(gw)) continue;
        const overlap = (other.spec?.servers ?? []).some(
          s =>
            s.port?.number === server.port?.number &&
            (s.hosts ?? []).some(h =>
              (server.hosts ?? []).some(
                mine => h === mine || h === '*' || mine === '*',
              ),
            ),
        );
        if (!overlap) continue;
        result.push(
          about(
            {
              id: 'istio-gateway-duplicate-host',
              severity: 'warning',
              title: 'Two Istio Gateways for the same host and port',
              message: `${nameOf('Gateway', gw)} and ${nameOf(
                'Gateway',
                other,
              )} select the same gateway pods and serve port ${
                server.port?.number
              } for overlapping hosts: only one is used.`,
              evidence: [
                `${nameOf('Gateway', gw)} port ${server.port?.number} hosts ${(
                  server.hosts ?? []
                ).join(', ')}; ${nameOf('Gateway', other)} same selector`,
              ],
              fix: commandFix(
                `kubectl edit gateways.networking.istio.io ${gw.metadata.name} -n ${gw.metadata.namespace}`,
              ),
            },
            objectOf('Gateway', gw, 'spec.servers'),
          ),
        );
        break;
      }
    }
  }
  return result;
};

function versionParts(v: string): number[] {
  return v
    .replace(/^v/, '')
    .split(/[.-]/)
    .slice(0, 3)
    .map(n => Number.parseInt(n, 10) || 0);
}

/** Gateway API CRDs older than the release waypoints need (istioctl IST0172/IST0176). */
export const gatewayApiVersionDiagnostics: DiagnosticRule = context => {
  if (!context.snapshot.traffic) return [];
  const version = context.controlPlane.gatewayApi.bundleVersion;
  if (!context.controlPlane.gatewayApi.installed || !version) return [];
  const [a, b, c] = versionParts(version);
  const [x, y, z] = versionParts(MIN_GATEWAY_API_VERSION);
  const older = a < x || (a === x && (b < y || (b === y && c < z)));
  if (!older) return [];
  return [
    {
      id: 'gateway-api-crd-version',
      severity: 'warning',
      title: 'Gateway API CRDs too old for waypoints',
      message: `The Gateway API CRDs are at ${version}; routes attached to Services (what waypoints serve) need at least ${MIN_GATEWAY_API_VERSION}. Upgrade the CRDs.`,
      evidence: [
        `CustomResourceDefinition gateways.gateway.networking.k8s.io: gateway.networking.k8s.io/bundle-version=${version}`,
      ],
      fix: commandFix(
        `kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/${MIN_GATEWAY_API_VERSION}/standard-install.yaml`,
      ),
      object: {
        kind: 'CustomResourceDefinition',
        name: 'gateways.gateway.networking.k8s.io',
        field: 'metadata.annotations',
      },
    },
  ];
};
