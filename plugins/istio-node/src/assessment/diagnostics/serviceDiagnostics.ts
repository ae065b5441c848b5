import type { Diagnostic } from '@ambient-mesh/plugin-istio-common';
import type { V1Service } from '@kubernetes/client-node';
import { conditionOf, labelsOf } from '../objects';
import { WAYPOINT_BOUND_CONDITION } from '../labelNames';
import type { DiagnosticRule } from './context';
import { commandFix, yamlFix } from './fixes';
import { about, nameOf, objectOf, trafficView } from './trafficContext';

/** Protocols Istio selects from a port name prefix or appProtocol (pkg/config/protocol). */
export const ISTIO_PROTOCOLS = [
  'http',
  'http2',
  'https',
  'grpc',
  'grpc-web',
  'tcp',
  'tls',
  'udp',
  'mongo',
  'mysql',
  'redis',
  'http_proxy',
];
const APP_PROTOCOLS = [
  ...ISTIO_PROTOCOLS,
  'h2c',
  'kubernetes.io/h2c',
  'kubernetes.io/ws',
  'kubernetes.io/wss',
];

const WAYPOINT_MANAGED = 'gateway.istio.io/managed';

function portNameOk(name: string | undefined): boolean {
  if (!name) return false;
  const lower = name.toLowerCase();
  return ISTIO_PROTOCOLS.some(p => lower === p || lower.startsWith(`${p}-`));
}

function skip(service: V1Service, rootNamespace: string): boolean {
  return (
    Boolean(labelsOf(service)[WAYPOINT_MANAGED]) ||
    service.metadata?.namespace === rootNamespace
  );
}

/** Port naming and container-port checks on the entity's Services (Kiali KIA0601, KIA0602, KIA0701; istioctl IST0118). */
export const servicePortDiagnostics: DiagnosticRule = context => {
  if (!context.snapshot.traffic) return [];
  const result: Diagnostic[] = [];
  const containerPorts = [
    ...context.snapshot.deployments,
    ...context.snapshot.statefulSets,
    ...context.snapshot.daemonSets,
  ].flatMap(w =>
    (w.spec?.template?.spec?.containers ?? []).flatMap(c => c.ports ?? []),
  );
  for (const service of context.snapshot.services) {
    if (skip(service, context.rootNamespace)) continue;
    const ns = service.metadata?.namespace ?? context.snapshot.namespace;
    const ref = `Service ${ns}/${service.metadata?.name}`;
    (service.spec?.ports ?? []).forEach((port, i) => {
      if ((port.protocol ?? 'TCP') === 'UDP') return;
      const field = `spec.ports[${i}]`;
      if (port.appProtocol) {
        if (!APP_PROTOCOLS.includes(port.appProtocol.toLowerCase())) {
          result.push(
            about(
              {
                id: 'service-app-protocol-invalid',
                severity: 'error',
                title: 'appProtocol Istio does not know',
                message: `${ref} port ${port.port} has appProtocol "${port.appProtocol}", which is not a protocol Istio knows: the waypoint treats the traffic as plain TCP, so L7 policies and routes do not apply.`,
                evidence: [`${ref} ${field}.appProtocol: ${port.appProtocol}`],
                fix: commandFix(
                  `kubectl patch service ${service.metadata?.name} -n ${ns} --type=json -p '[{"op":"replace","path":"/spec/ports/${i}/appProtocol","value":"http"}]'`,
                ),
              },
              objectOf('Service', service, `${field}.appProtocol`),
            ),
          );
        }
      } else if (!portNameOk(port.name)) {
        result.push(
          about(
            {
              id: 'service-port-name-invalid',
              severity: 'warning',
              title: 'Port name without a protocol',
              message: `${ref} port ${port.port} is named "${
                port.name ?? ''
              }" and has no appProtocol: Istio cannot tell the protocol and sniffs it (or treats it as TCP). Name it <protocol>[-suffix] (e.g. http-web) or set appProtocol.`,
              evidence: [
                `${ref} ${field}.name: ${port.name ?? '(unset)'} (port ${
                  port.port
                }, targetPort ${port.targetPort ?? port.port})`,
              ],
              fix: commandFix(
                `kubectl patch service ${service.metadata?.name} -n ${ns} --type=json -p '[{"op":"add","path":"/spec/ports/${i}/appProtocol","value":"http"}]'`,
              ),
            },
            objectOf('Service', service, `${field}.name`),
          ),
        );
      }
      if (
        containerPorts.length === 0 &&
        context.snapshot.deployments.length === 0
      )
        return;
      const target = port.targetPort ?? port.port;
      const exposed = containerPorts.some(c =>
        typeof target === 'number'
          ? c.containerPort === target
          : c.name === target,
      );
      if (!exposed) {
        result.push(
          about(
            {
              id: 'service-port-not-exposed',
              severity: 'warning',
              title: 'No container exposes the Service port',
              message: `${ref} port ${port.port} targets ${target}, which no container of the entity's workloads declares: check the targetPort.`,
              evidence: [
                `${ref} ${field}.targetPort: ${target}`,
                `container ports: ${
                  containerPorts
                    .map(
                      c =>
                        `${c.name ?? ''}${c.name ? ':' : ''}${c.containerPort}`,
                    )
                    .join(', ') || 'none'
                }`,
              ],
              fix: commandFix(
                `kubectl edit service ${service.metadata?.name} -n ${ns}`,
              ),
            },
            objectOf('Service', service, `${field}.targetPort`),
          ),
        );
      }
    });
  }
  return result;
};

/** ServiceEntry checks (Kiali KIA1211, KIA1212; istioctl IST0177, IST0171 on ServiceEntries). */
export const serviceEntryDiagnostics: DiagnosticRule = context => {
  const view = trafficView(context);
  if (!view) return [];
  const result: Diagnostic[] = [];
  const all = view.traffic.serviceEntries;
  const mine = all.filter(
    se =>
      se.metadata.namespace === view.namespace ||
      se.metadata.namespace === view.rootNamespace,
  );
  for (const se of mine) {
    const ref = nameOf('ServiceEntry', se);
    for (const [h, host] of (se.spec?.hosts ?? []).entries()) {
      for (const port of se.spec?.ports ?? []) {
        const others = all.filter(
          o =>
            o !== se &&
            (o.spec?.hosts ?? []).includes(host) &&
            (o.spec?.ports ?? []).some(p => p.number === port.number),
        );
        if (others.length === 0) continue;
        const protocol = (port.protocol ?? '').toUpperCase();
        const conflicting = others.filter(o =>
          (o.spec?.ports ?? []).some(
            p =>
              p.number === port.number &&
              (p.protocol ?? '').toUpperCase() !== protocol,
          ),
        );
        const list = (conflicting.length > 0 ? conflicting : others).map(
          o => `${o.metadata.namespace}/${o.metadata.name}`,
        );
        result.push(
          about(
            {
              id:
                conflicting.length > 0
                  ? 'service-entry-protocol-conflict'
                  : 'service-entry-duplicate',
              severity: 'warning',
              title:
                conflicting.length > 0
                  ? 'ServiceEntries give one host and port different protocols'
                  : 'Several ServiceEntries for the same host and port',
              message:
                conflicting.length > 0
                  ? `${ref} declares ${host}:${port.number} as ${
                      protocol || '(unset)'
                    }, and ${list.join(
                      ', ',
                    )} declare it with another protocol: which one applies is undefined.`
                  : `${ref} and ${list.join(', ')} all declare ${host}:${
                      port.number
                    }: keep one ServiceEntry per host and port.`,
              evidence: [
                `${ref} spec.hosts[${h}]: ${host}, port ${port.number} ${protocol}`,
                ...list.map(o => `ServiceEntry ${o}: same host and port`),
              ],
              fix: commandFix(
                `kubectl edit serviceentry ${se.metadata.name} -n ${se.metadata.namespace}`,
              ),
            },
            objectOf('ServiceEntry', se, `spec.hosts[${h}]`),
          ),
        );
      }
    }
    const bound = conditionOf(se.status?.conditions, WAYPOINT_BOUND_CONDITION);
    if (bound?.status === 'False') {
      result.push(
        about(
          {
            id: 'service-entry-not-bound',
            severity: 'warning',
            title: 'ServiceEntry not bound to its waypoint',
            message: `istiod reports that ${ref} is not bound to a waypoint (${
              bound.reason ?? 'no reason'
            }): ${bound.message ?? ''}`,
            evidence: [
              `${ref} status ${WAYPOINT_BOUND_CONDITION}=False${
                bound.reason ? ` (${bound.reason})` : ''
              }${bound.message ? `: ${bound.message}` : ''}`,
            ],
            fix: yamlFix({
              apiVersion: 'networking.istio.io/v1',
              kind: 'ServiceEntry',
              metadata: {
                name: se.metadata.name,
                namespace: se.metadata.namespace,
                labels: {
                  ...(se.metadata.labels ?? {}),
                  'istio.io/use-waypoint': 'waypoint',
                },
              },
              spec: se.spec,
            }),
          },
          objectOf('ServiceEntry', se, 'status.conditions'),
        ),
      );
    }
  }
  return result;
};
