import type { Diagnostic } from '@ambient-mesh/plugin-istio-common';
import { labelsOf, matchesLabels } from '../objects';
import type {
  DestinationRuleObject,
  RouteDestination,
  VirtualServiceObject,
} from '../trafficObjects';
import type { DiagnosticRule } from './context';
import { commandFix, yamlFix } from './fixes';
import {
  about,
  destinationRuleL7Fields,
  fqdnOf,
  hostInRegistry,
  hostMatches,
  isAmbientNamespace,
  isNamespaceEnrolled,
  nameOf,
  objectOf,
  relevant,
  serviceKeyOfHost,
  serviceWaypoint,
  trafficView,
  TrafficView,
  virtualServiceNeedsWaypoint,
  waypointTemplateFix,
} from './trafficContext';

const INJECTION_LABELS = ['istio-injection', 'istio.io/rev'];

interface Destination {
  host: string;
  subset?: string;
  port?: number;
  weight?: number;
  field: string;
}

/** Every destination of a VirtualService (routes and mirrors), with its field path. */
export function destinationsOf(vs: VirtualServiceObject): Destination[] {
  const result: Destination[] = [];
  const add = (
    d: RouteDestination['destination'],
    field: string,
    weight?: number,
  ) => {
    if (d?.host) {
      result.push({
        host: d.host,
        subset: d.subset,
        port: d.port?.number,
        weight,
        field,
      });
    }
  };
  for (const section of ['http', 'tcp', 'tls'] as const) {
    (vs.spec?.[section] ?? []).forEach((route, r) => {
      (route.route ?? []).forEach((dest, d) =>
        add(
          dest.destination,
          `spec.${section}[${r}].route[${d}].destination.host`,
          dest.weight,
        ),
      );
      if (section === 'http') {
        const http = route as NonNullable<
          VirtualServiceObject['spec']
        >['http'] extends Array<infer H> | undefined
          ? H
          : never;
        add(http.mirror, `spec.http[${r}].mirror.host`);
        (http.mirrors ?? []).forEach((m, i) =>
          add(m.destination, `spec.http[${r}].mirrors[${i}].destination.host`),
        );
      }
    });
  }
  return result;
}

function vsServiceKeys(
  view: TrafficView,
  vs: VirtualServiceObject,
): Array<string | undefined> {
  const ns = vs.metadata.namespace ?? view.namespace;
  return [
    ...(vs.spec?.hosts ?? []).map(h => serviceKeyOfHost(view, h, ns)),
    ...destinationsOf(vs).map(d => serviceKeyOfHost(view, d.host, ns)),
  ];
}

function drServiceKeys(
  view: TrafficView,
  dr: DestinationRuleObject,
): Array<string | undefined> {
  return [
    serviceKeyOfHost(
      view,
      dr.spec?.host ?? '',
      dr.metadata.namespace ?? view.namespace,
    ),
  ];
}

/** The VirtualServices the entity's view reports on. */
export function relevantVirtualServices(
  view: TrafficView,
): VirtualServiceObject[] {
  return view.traffic.virtualServices.filter(vs =>
    relevant(view, vs.metadata.namespace, vsServiceKeys(view, vs)),
  );
}

/** The DestinationRules the entity's view reports on. */
export function relevantDestinationRules(
  view: TrafficView,
): DestinationRuleObject[] {
  return view.traffic.destinationRules.filter(dr =>
    relevant(view, dr.metadata.namespace, drServiceKeys(view, dr)),
  );
}

/** Namespace labels say nothing applies VirtualServices there: not ambient with a waypoint, not sidecar-injected. */
function noSidecars(view: TrafficView, ns: string): boolean {
  const labels = view.namespaceLabels.get(ns) ?? {};
  return !INJECTION_LABELS.some(l => labels[l] && labels[l] !== 'disabled');
}

function movedTo<T extends { metadata: { name: string; namespace?: string } }>(
  kind: string,
  apiVersion: string,
  object: T & { spec?: unknown },
  namespace: string,
): object {
  return {
    apiVersion,
    kind,
    metadata: { name: object.metadata.name, namespace },
    spec: object.spec,
  };
}

/** Waypoint-needing VirtualServices that nothing applies (Kiali KIA1109, KIA1113, KIA1114). */
function virtualServiceWaypointDiagnostics(
  view: TrafficView,
  vs: VirtualServiceObject,
): Diagnostic[] {
  if (!virtualServiceNeedsWaypoint(vs)) return [];
  const ns = vs.metadata.namespace ?? view.namespace;
  const ref = nameOf('VirtualService', vs);
  const result: Diagnostic[] = [];
  let resolvedAmbient = false;
  (vs.spec?.hosts ?? []).forEach((host, i) => {
    const key = serviceKeyOfHost(view, host, ns);
    if (!key || !view.servicesByKey.has(key)) return;
    const [serviceNs, serviceName] = key.split('/');
    const ambient = isAmbientNamespace(view, serviceNs);
    if (ambient) resolvedAmbient = true;
    const field = `spec.hosts[${i}]`;
    if (ambient && serviceNs !== ns) {
      result.push(
        about(
          {
            id: 'virtual-service-wrong-namespace',
            severity: 'warning',
            title:
              'VirtualService in another namespace than its ambient Service',
            message: `${ref} routes mesh traffic for the ambient Service ${key}, but a waypoint only applies VirtualServices of the Service's own namespace: move it to ${serviceNs}.`,
            evidence: [
              `${ref} ${field}: ${host} (Service ${key}, namespace ${serviceNs} is ambient)`,
            ],
            fix: yamlFix(
              movedTo(
                'VirtualService',
                'networking.istio.io/v1',
                vs,
                serviceNs,
              ),
            ),
          },
          objectOf('VirtualService', vs, field),
        ),
      );
      return;
    }
    if (serviceWaypoint(view, key)) return;
    if (!ambient && !noSidecars(view, serviceNs)) return;
    result.push(
      about(
        {
          id: 'virtual-service-needs-waypoint',
          severity: 'warning',
          title: 'VirtualService that no waypoint applies',
          message: `${ref} has HTTP/TLS routes for mesh traffic to ${serviceName}, but ${
            ambient
              ? 'no waypoint serves that Service: in ambient mode ztunnel ignores VirtualServices, so these routes (retries, timeouts, splits, faults) do nothing'
              : `namespace ${serviceNs} is neither in ambient mode with a waypoint nor sidecar-injected, so nothing applies these routes`
          }. Deploy a waypoint for ${serviceNs} and label the Service (istio.io/use-waypoint).`,
          evidence: [
            `${ref} ${field}: ${host} -> Service ${key}`,
            `Service ${key}: no istio.io/use-waypoint label on it or on namespace ${serviceNs}`,
          ],
          fix: waypointTemplateFix(view, serviceNs),
        },
        objectOf('VirtualService', vs, field),
      ),
    );
  });
  if (
    !resolvedAmbient &&
    result.length === 0 &&
    isAmbientNamespace(view, ns) &&
    !isNamespaceEnrolled(view, ns)
  ) {
    result.push(
      about(
        {
          id: 'virtual-service-needs-waypoint',
          severity: 'warning',
          title: 'VirtualService that no waypoint applies',
          message: `${ref} has HTTP/TLS routes for mesh traffic, and its namespace ${ns} is ambient but uses no waypoint: nothing applies these routes. Deploy a waypoint for ${ns}.`,
          evidence: [
            `${ref} spec.hosts: ${(vs.spec?.hosts ?? []).join(', ')}`,
            `Namespace ${ns}: no istio.io/use-waypoint label`,
          ],
          fix: waypointTemplateFix(view, ns),
        },
        objectOf('VirtualService', vs, 'spec.hosts'),
      ),
    );
  }
  return result;
}

function gatewayRefOf(
  ref: string,
  ns: string,
): { namespace: string; name: string; dotted: boolean } {
  if (ref.includes('/')) {
    const [namespace, name] = ref.split('/');
    return { namespace, name, dotted: false };
  }
  const parts = ref.split('.');
  if (parts.length > 1)
    return { name: parts[0], namespace: parts[1], dotted: true };
  return { name: ref, namespace: ns, dotted: false };
}

function virtualServiceReferenceDiagnostics(
  view: TrafficView,
  vs: VirtualServiceObject,
): Diagnostic[] {
  const ns = vs.metadata.namespace ?? view.namespace;
  const ref = nameOf('VirtualService', vs);
  const result: Diagnostic[] = [];
  const edit = commandFix(
    `kubectl edit virtualservice ${vs.metadata.name} -n ${ns}`,
  );

  // Gateways (KIA1102, KIA1108)
  const gatewayRefs: Array<{ value: string; field: string }> = [
    ...(vs.spec?.gateways ?? []).map((value, i) => ({
      value,
      field: `spec.gateways[${i}]`,
    })),
    ...(vs.spec?.http ?? []).flatMap((h, r) =>
      (h.match ?? []).flatMap((m, j) =>
        (m.gateways ?? []).map((value, i) => ({
          value,
          field: `spec.http[${r}].match[${j}].gateways[${i}]`,
        })),
      ),
    ),
  ];
  for (const { value, field } of gatewayRefs) {
    if (value === 'mesh') continue;
    const g = gatewayRefOf(value, ns);
    const exists = view.traffic.istioGateways.some(
      gw =>
        gw.metadata.name === g.name &&
        (gw.metadata.namespace ?? ns) === g.namespace,
    );
    if (!exists) {
      result.push(
        about(
          {
            id: 'virtual-service-gateway-not-found',
            severity: 'error',
            title: 'VirtualService names a Gateway that does not exist',
            message: `${ref} binds to the Istio Gateway ${g.namespace}/${g.name}, which does not exist: its routes apply to no gateway traffic.`,
            evidence: [
              `${ref} ${field}: ${value} (no networking.istio.io Gateway ${g.namespace}/${g.name})`,
            ],
            fix: commandFix(
              `kubectl get gateways.networking.istio.io -A`,
              `kubectl edit virtualservice ${vs.metadata.name} -n ${ns}`,
            ),
          },
          objectOf('VirtualService', vs, field),
        ),
      );
    } else if (g.dotted) {
      result.push(
        about(
          {
            id: 'virtual-service-gateway-old-name',
            severity: 'info',
            title: 'Gateway reference in the old dotted form',
            message: `${ref} names a gateway as "name.namespace"; the supported form is "namespace/name".`,
            evidence: [`${ref} ${field}: ${value}`],
            fix: commandFix(
              `kubectl get virtualservice ${vs.metadata.name} -n ${ns} -o yaml | sed 's#${value}#${g.namespace}/${g.name}#' | kubectl apply -f -`,
            ),
          },
          objectOf('VirtualService', vs, field),
        ),
      );
    }
  }

  const destinations = destinationsOf(vs);
  for (const d of destinations) {
    if (!hostInRegistry(view, d.host, ns)) {
      result.push(
        about(
          {
            id: 'virtual-service-destination-not-found',
            severity: 'error',
            title: 'VirtualService routes to an unknown host',
            message: `${ref} sends traffic to ${d.host}, which is neither a Service nor a ServiceEntry host: those requests fail (503).`,
            evidence: [
              `${ref} ${d.field}: ${d.host} (no Service or ServiceEntry)`,
            ],
            fix: commandFix(
              `kubectl get services -n ${ns}`,
              `kubectl edit virtualservice ${vs.metadata.name} -n ${ns}`,
            ),
          },
          objectOf('VirtualService', vs, d.field),
        ),
      );
      continue;
    }
    const key = serviceKeyOfHost(view, d.host, ns);
    const service = key ? view.servicesByKey.get(key) : undefined;
    const ports = service?.spec?.ports ?? [];
    if (
      ports.length > 1 &&
      d.port === undefined &&
      !d.field.includes('mirror')
    ) {
      result.push(
        about(
          {
            id: 'virtual-service-port-missing',
            severity: 'error',
            title: 'Destination without a port on a multi-port Service',
            message: `${ref} routes to ${
              d.host
            }, which exposes several ports (${ports
              .map(p => p.port)
              .join(', ')}); without destination.port the route is ambiguous.`,
            evidence: [
              `${ref} ${d.field}: ${
                d.host
              }, no destination.port; Service ${key} ports ${ports
                .map(p => p.port)
                .join(', ')}`,
            ],
            fix: edit,
          },
          objectOf('VirtualService', vs, d.field.replace(/\.host$/, '.port')),
        ),
      );
    }
    if (d.subset) {
      const fqdn = fqdnOf(view, d.host, ns);
      const defined = view.traffic.destinationRules.some(
        dr =>
          hostMatches(
            fqdnOf(view, dr.spec?.host ?? '', dr.metadata.namespace ?? ns),
            fqdn,
          ) && (dr.spec?.subsets ?? []).some(s => s.name === d.subset),
      );
      if (!defined) {
        const field = d.field.replace(/\.host$/, '.subset');
        result.push(
          about(
            {
              id: 'virtual-service-subset-not-found',
              severity: 'warning',
              title: 'Route to a subset no DestinationRule defines',
              message: `${ref} routes to subset "${d.subset}" of ${d.host}, but no DestinationRule for that host defines it: those requests fail (503 NR).`,
              evidence: [
                `${ref} ${field}: ${d.subset} (no DestinationRule subset for ${fqdn})`,
              ],
              fix: yamlFix({
                apiVersion: 'networking.istio.io/v1',
                kind: 'DestinationRule',
                metadata: {
                  name: d.host.split('.')[0],
                  namespace: key?.split('/')[0] ?? ns,
                },
                spec: {
                  host: d.host,
                  subsets: [{ name: d.subset, labels: { version: d.subset } }],
                },
              }),
            },
            objectOf('VirtualService', vs, field),
          ),
        );
      }
    }
  }

  // Weights and duplicates per route (KIA1104, KIA1105)
  for (const section of ['http', 'tcp', 'tls'] as const) {
    (vs.spec?.[section] ?? []).forEach((route, r) => {
      const dests = route.route ?? [];
      const weight = dests[0]?.weight;
      if (
        dests.length === 1 &&
        weight !== undefined &&
        weight > 0 &&
        weight < 100
      ) {
        const field = `spec.${section}[${r}].route[0].weight`;
        result.push(
          about(
            {
              id: 'virtual-service-single-weight',
              severity: 'warning',
              title: 'Single destination with a partial weight',
              message: `${ref} has one destination with weight ${weight}: with a single destination the weight is taken as 100.`,
              evidence: [`${ref} ${field}: ${weight}`],
              fix: edit,
            },
            objectOf('VirtualService', vs, field),
          ),
        );
      }
      const seen = new Set<string>();
      dests.forEach((dest, i) => {
        const id = `${fqdnOf(view, dest.destination?.host ?? '', ns)}|${
          dest.destination?.subset ?? ''
        }`;
        if (seen.has(id)) {
          const field = `spec.${section}[${r}].route[${i}].destination`;
          result.push(
            about(
              {
                id: 'virtual-service-duplicate-destination',
                severity: 'warning',
                title: 'Same destination twice in one route',
                message: `${ref} lists ${dest.destination?.host}${
                  dest.destination?.subset
                    ? ` subset ${dest.destination.subset}`
                    : ''
                } more than once in one route; merge the weights.`,
                evidence: [
                  `${ref} ${field}: ${dest.destination?.host}${
                    dest.destination?.subset
                      ? `/${dest.destination.subset}`
                      : ''
                  } repeated`,
                ],
                fix: edit,
              },
              objectOf('VirtualService', vs, field),
            ),
          );
        }
        seen.add(id);
      });
    });
  }
  return result;
}

/** Several mesh VirtualServices for the same host (Kiali KIA1106, istioctl IST0109). */
function duplicateHostDiagnostics(
  view: TrafficView,
  relevantOnes: VirtualServiceObject[],
): Diagnostic[] {
  const isMesh = (vs: VirtualServiceObject) => {
    const g = vs.spec?.gateways ?? [];
    return g.length === 0 || g.includes('mesh');
  };
  const byHost = new Map<string, VirtualServiceObject[]>();
  for (const vs of view.traffic.virtualServices.filter(isMesh)) {
    const ns = vs.metadata.namespace ?? view.namespace;
    for (const host of new Set(
      (vs.spec?.hosts ?? []).map(h => fqdnOf(view, h, ns)),
    )) {
      byHost.set(host, [...(byHost.get(host) ?? []), vs]);
    }
  }
  const result: Diagnostic[] = [];
  for (const [host, list] of byHost) {
    if (list.length < 2) continue;
    for (const vs of list.filter(v => relevantOnes.includes(v) && isMesh(v))) {
      const others = list
        .filter(o => o !== vs)
        .map(o => `${o.metadata.namespace}/${o.metadata.name}`);
      result.push(
        about(
          {
            id: 'virtual-service-duplicate-host',
            severity: 'warning',
            title: 'Several VirtualServices for the same host',
            message: `${nameOf('VirtualService', vs)} and ${others.join(
              ', ',
            )} all route mesh traffic for ${host}: only one set of routes is used, which one is not defined. Merge them into one VirtualService.`,
            evidence: [
              `host ${host}: ${[
                `${vs.metadata.namespace}/${vs.metadata.name}`,
                ...others,
              ].join(', ')}`,
            ],
            fix: commandFix(
              ...list.map(
                o =>
                  `kubectl get virtualservice ${o.metadata.name} -n ${o.metadata.namespace} -o yaml`,
              ),
            ),
          },
          objectOf('VirtualService', vs, 'spec.hosts'),
        ),
      );
    }
  }
  return result;
}

/** VirtualService checks. */
export const virtualServiceDiagnostics: DiagnosticRule = context => {
  const view = trafficView(context);
  if (!view) return [];
  const list = relevantVirtualServices(view);
  return [
    ...list.flatMap(vs => virtualServiceWaypointDiagnostics(view, vs)),
    ...list.flatMap(vs => virtualServiceReferenceDiagnostics(view, vs)),
    ...duplicateHostDiagnostics(view, list),
  ];
};

function isMeshWideTls(dr: DestinationRuleObject): boolean {
  const host = dr.spec?.host ?? '';
  const tp = dr.spec?.trafficPolicy ?? {};
  return (
    host.startsWith('*') &&
    Object.keys(tp).every(k => k === 'tls') &&
    !(dr.spec?.subsets ?? []).length
  );
}

/** DestinationRule checks. */
export const destinationRuleDiagnostics: DiagnosticRule = context => {
  const view = trafficView(context);
  if (!view) return [];
  const result: Diagnostic[] = [];
  const all = view.traffic.destinationRules;
  for (const dr of relevantDestinationRules(view)) {
    const ns = dr.metadata.namespace ?? view.namespace;
    const ref = nameOf('DestinationRule', dr);
    const host = dr.spec?.host ?? '';
    const key = serviceKeyOfHost(view, host, ns);
    const service = key ? view.servicesByKey.get(key) : undefined;
    const edit = commandFix(
      `kubectl edit destinationrule ${dr.metadata.name} -n ${ns}`,
    );

    // L7 features need a waypoint (KIA0210, KIA0211, KIA0212)
    const l7 = destinationRuleL7Fields(dr);
    if (l7.length > 0) {
      if (service && key) {
        const [serviceNs] = key.split('/');
        if (isAmbientNamespace(view, serviceNs)) {
          if (serviceNs !== ns) {
            result.push(
              about(
                {
                  id: 'destination-rule-wrong-namespace',
                  severity: 'warning',
                  title:
                    'L7 DestinationRule in another namespace than its ambient Service',
                  message: `${ref} sets L7 traffic policy for the ambient Service ${key}; a waypoint only applies DestinationRules of the Service's own namespace: move it to ${serviceNs}.`,
                  evidence: [
                    `${ref} spec.host: ${host} (Service ${key})`,
                    ...l7.map(f => `${ref} ${f}`),
                  ],
                  fix: yamlFix(
                    movedTo(
                      'DestinationRule',
                      'networking.istio.io/v1',
                      dr,
                      serviceNs,
                    ),
                  ),
                },
                objectOf('DestinationRule', dr, 'spec.host'),
              ),
            );
          } else if (!serviceWaypoint(view, key)) {
            result.push(
              about(
                {
                  id: 'destination-rule-l7-needs-waypoint',
                  severity: 'warning',
                  title: 'L7 DestinationRule that no waypoint applies',
                  message: `${ref} uses L7 traffic policy (${l7.join(
                    ', ',
                  )}) for ${key}, but no waypoint serves that Service: ztunnel ignores it.`,
                  evidence: [
                    `${ref} ${l7[0]}`,
                    `Service ${key}: no istio.io/use-waypoint label on it or on namespace ${serviceNs}`,
                  ],
                  fix: waypointTemplateFix(view, serviceNs),
                },
                objectOf('DestinationRule', dr, l7[0]),
              ),
            );
          }
        }
      } else if (
        isAmbientNamespace(view, ns) &&
        !isNamespaceEnrolled(view, ns)
      ) {
        result.push(
          about(
            {
              id: 'destination-rule-l7-needs-waypoint',
              severity: 'warning',
              title: 'L7 DestinationRule that no waypoint applies',
              message: `${ref} uses L7 traffic policy (${l7.join(
                ', ',
              )}) in the ambient namespace ${ns}, which uses no waypoint: ztunnel ignores it.`,
              evidence: [
                `${ref} ${l7[0]}`,
                `Namespace ${ns}: no istio.io/use-waypoint label`,
              ],
              fix: waypointTemplateFix(view, ns),
            },
            objectOf('DestinationRule', dr, l7[0]),
          ),
        );
      }
    }

    // Host (KIA0202, IST0174)
    if (host && !hostInRegistry(view, host, ns) && !host.includes('*')) {
      result.push(
        about(
          {
            id: 'destination-rule-host-not-found',
            severity: 'warning',
            title: 'DestinationRule for an unknown host',
            message: `${ref} is for ${host}, which is neither a Service nor a ServiceEntry host in the mesh: it applies to nothing.`,
            evidence: [
              `${ref} spec.host: ${host} (no Service or ServiceEntry)`,
            ],
            fix: commandFix(
              `kubectl get services -n ${ns}`,
              `kubectl edit destinationrule ${dr.metadata.name} -n ${ns}`,
            ),
          },
          objectOf('DestinationRule', dr, 'spec.host'),
        ),
      );
    }

    // Subsets (KIA0203, KIA0209, IST0173)
    (dr.spec?.subsets ?? []).forEach((subset, i) => {
      const field = `spec.subsets[${i}].labels`;
      if (!subset.labels || Object.keys(subset.labels).length === 0) {
        result.push(
          about(
            {
              id: 'destination-rule-subset-no-labels',
              severity: 'warning',
              title: 'Subset without labels',
              message: `Subset "${subset.name}" of ${ref} has no labels, so it selects every endpoint of ${host}: it does not split anything.`,
              evidence: [
                `${ref} spec.subsets[${i}] (${subset.name}): no labels`,
              ],
              fix: edit,
            },
            objectOf('DestinationRule', dr, field),
          ),
        );
        return;
      }
      if (!service || key?.split('/')[0] !== view.namespace) return;
      const selector = service.spec?.selector ?? {};
      const selects = view.traffic.namespacePods.some(p => {
        const labels = labelsOf(p);
        return (
          Object.keys(selector).length > 0 &&
          matchesLabels(selector, labels) &&
          matchesLabels(subset.labels, labels)
        );
      });
      if (!selects) {
        result.push(
          about(
            {
              id: 'destination-rule-subset-no-pods',
              severity: 'error',
              title: 'Subset selects no pods',
              message: `Subset "${subset.name}" of ${ref} matches no pod behind Service ${key}: requests routed to it fail with 503 (no healthy upstream).`,
              evidence: [
                `${ref} ${field}: ${Object.entries(subset.labels)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(',')}`,
                `Service ${key} selector: ${Object.entries(selector)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(',')}`,
              ],
              fix: commandFix(
                `kubectl get pods -n ${view.namespace} --show-labels`,
                `kubectl edit destinationrule ${dr.metadata.name} -n ${ns}`,
              ),
            },
            objectOf('DestinationRule', dr, field),
          ),
        );
      }
    });

    // Duplicates (KIA0201)
    if (isMeshWideTls(dr)) continue;
    const fqdn = fqdnOf(view, host, ns);
    const subsets = (dr.spec?.subsets ?? []).map(s => s.name);
    const clash = all.filter(other => {
      if (other === dr || isMeshWideTls(other)) return false;
      const otherFqdn = fqdnOf(
        view,
        other.spec?.host ?? '',
        other.metadata.namespace ?? ns,
      );
      if (!(hostMatches(otherFqdn, fqdn) || hostMatches(fqdn, otherFqdn)))
        return false;
      const otherSubsets = (other.spec?.subsets ?? []).map(s => s.name);
      return (
        subsets.length === 0 ||
        otherSubsets.length === 0 ||
        subsets.some(s => otherSubsets.includes(s))
      );
    });
    if (clash.length > 0) {
      result.push(
        about(
          {
            id: 'destination-rule-duplicate',
            severity: 'warning',
            title: 'Several DestinationRules for the same host',
            message: `${ref} and ${clash
              .map(c => `${c.metadata.namespace}/${c.metadata.name}`)
              .join(
                ', ',
              )} apply to ${fqdn} with overlapping subsets: Istio merges them in an order you do not control. Keep one DestinationRule per host.`,
            evidence: [
              `${ref} spec.host: ${host}`,
              ...clash.map(
                c =>
                  `DestinationRule ${c.metadata.namespace}/${c.metadata.name} spec.host: ${c.spec?.host}`,
              ),
            ],
            fix: edit,
          },
          objectOf('DestinationRule', dr, 'spec.host'),
        ),
      );
    }
  }
  return result;
};
