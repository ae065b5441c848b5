import {
  ConfiguredMtls,
  gradingMode,
  PeerAuthenticationMode,
  PortMtls,
} from '@ambient-mesh/plugin-istio-common';
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { labelsOf, matchesLabels, oldestFirst } from './objects';
import type { PeerAuthenticationObject } from './snapshot';

function modeOf(value: string | undefined): PeerAuthenticationMode {
  return value === 'STRICT' || value === 'PERMISSIVE' || value === 'DISABLE'
    ? value
    : 'UNSET';
}

/** Weakest first: a pod accepting plaintext weakens the whole entity. */
const STRENGTH: Record<PeerAuthenticationMode, number> = {
  DISABLE: 0,
  UNSET: 1,
  PERMISSIVE: 2,
  STRICT: 3,
};

function hasSelector(p: PeerAuthenticationObject): boolean {
  return Boolean(
    p.spec?.selector?.matchLabels &&
      Object.keys(p.spec.selector.matchLabels).length > 0,
  );
}

function refOf(p: PeerAuthenticationObject, namespace: string) {
  return {
    name: p.metadata.name,
    namespace: p.metadata.namespace ?? namespace,
  };
}

/**
 * The effective PeerAuthentication of one pod (by its labels). Precedence: a policy
 * whose `selector` matches the pod, then the namespace-wide policy, then the mesh-wide
 * policy of the root namespace. A level whose mode is UNSET inherits from the next one.
 * When several policies compete at one level, the oldest wins (as in Istio).
 *
 * `portLevelMtls` counts only on a workload (selector) policy outside the root namespace,
 * also when its own mode is UNSET; an UNSET port inherits the pod's mode. This follows
 * istio/istio pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go
 * convertPeerAuthentication (1.28.0) and pkg/config/validation/validation.go
 * ("mesh/namespace peer authentication cannot have port level mTLS").
 */
export function effectivePeerAuthentication(
  podLabels: Record<string, string>,
  namespace: string,
  rootNamespace: string,
  policies: readonly PeerAuthenticationObject[],
): ConfiguredMtls {
  const sorted = oldestFirst(policies);
  const inNamespace = sorted.filter(p => p.metadata.namespace === namespace);
  const workload = inNamespace.find(
    p =>
      hasSelector(p) && matchesLabels(p.spec?.selector?.matchLabels, podLabels),
  );
  const namespaceWide = inNamespace.find(p => !hasSelector(p));
  const meshWide = sorted.find(
    p => p.metadata.namespace === rootNamespace && !hasSelector(p),
  );

  const levels: Array<
    [ConfiguredMtls['source'], PeerAuthenticationObject | undefined]
  > = [
    ['workload', workload],
    ['namespace', namespace === rootNamespace ? meshWide : namespaceWide],
    ['mesh', meshWide],
  ];
  let result: ConfiguredMtls = { mode: 'UNSET', source: 'default' };
  for (const [source, policy] of levels) {
    const mode = modeOf(policy?.spec?.mtls?.mode);
    if (policy && mode !== 'UNSET') {
      result = {
        mode,
        source: source === 'namespace' && policy === meshWide ? 'mesh' : source,
        resource: refOf(policy, namespace),
      };
      break;
    }
  }
  const portLevel =
    workload && namespace !== rootNamespace
      ? workload.spec?.portLevelMtls
      : undefined;
  if (!portLevel || Object.keys(portLevel).length === 0) return result;
  const inherited = result.mode;
  return {
    ...result,
    portLevel: Object.fromEntries(
      Object.entries(portLevel).map(([port, v]) => {
        const mode = modeOf(v?.mode);
        return [port, mode === 'UNSET' ? inherited : mode];
      }),
    ),
    ...(result.resource?.name !== workload!.metadata.name ||
    result.resource?.namespace !== (workload!.metadata.namespace ?? namespace)
      ? { portLevelResource: refOf(workload!, namespace) }
      : {}),
  };
}

/** The workload port a Service port reaches on a pod (named targetPorts resolved by the pod's containers). */
function targetPortOf(
  servicePort: { port: number; targetPort?: number | string },
  pod: V1Pod | undefined,
): number | string {
  const target = servicePort.targetPort;
  if (target === undefined || target === '') return servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number.parseInt(target, 10);
  const named = (pod?.spec?.containers ?? [])
    .flatMap(c => c.ports ?? [])
    .find(p => p.name === target);
  return named ? named.containerPort : target;
}

function servesPod(service: V1Service, pod: V1Pod | undefined): boolean {
  if (!pod) return true;
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  return matchesLabels(selector, labelsOf(pod));
}

/**
 * The mode on each workload port of one pod: the ports its Services reach, and those its
 * `portLevelMtls` names. ztunnel matches port-level rules against the connection's
 * destination port on the pod (istio/ztunnel src/rbac.rs `destination_ports`, compared with
 * `conn.dst.port()`, which src/proxy/inbound.rs sets to the pod's target port; 1.28.0).
 */
export function portModes(
  configured: ConfiguredMtls,
  pod: V1Pod | undefined,
  services: readonly V1Service[],
): PortMtls[] {
  const byPort = new Map<string, PortMtls>();
  const modeAt = (port: number | string): PeerAuthenticationMode =>
    configured.portLevel?.[String(port)] ?? configured.mode;
  for (const service of services) {
    if (!servesPod(service, pod)) continue;
    for (const sp of service.spec?.ports ?? []) {
      if ((sp.protocol ?? 'TCP') !== 'TCP') continue;
      const target = targetPortOf(sp, pod);
      const key = String(target);
      const entry = byPort.get(key) ?? {
        targetPort: target,
        servicePorts: [],
        mode: modeAt(target),
      };
      entry.servicePorts.push(`${service.metadata?.name}:${sp.port}`);
      byPort.set(key, entry);
    }
  }
  for (const port of Object.keys(configured.portLevel ?? {})) {
    if (!byPort.has(port)) {
      byPort.set(port, {
        targetPort: Number.parseInt(port, 10),
        servicePorts: [],
        mode: modeAt(port),
      });
    }
  }
  return [...byPort.values()].sort((a, b) =>
    String(a.targetPort).localeCompare(String(b.targetPort), undefined, {
      numeric: true,
    }),
  );
}

/**
 * The effective PeerAuthentication of an entity: evaluated per pod and per workload port,
 * the weakest pod wins (without pods, the namespace and mesh levels decide).
 */
export function entityPeerAuthentication(
  pods: readonly V1Pod[],
  services: readonly V1Service[],
  namespace: string,
  rootNamespace: string,
  policies: readonly PeerAuthenticationObject[],
): ConfiguredMtls {
  const targets: Array<V1Pod | undefined> =
    pods.length > 0 ? [...pods] : [undefined];
  const results = targets.map(pod => {
    const configured = effectivePeerAuthentication(
      labelsOf(pod),
      namespace,
      rootNamespace,
      policies,
    );
    const ports = portModes(configured, pod, services);
    return ports.length > 0 ? { ...configured, ports } : configured;
  });
  const weight = (c: ConfiguredMtls) =>
    STRENGTH[gradingMode(c)] * 10 + STRENGTH[c.mode];
  return results.reduce((weakest, r) =>
    weight(r) < weight(weakest) ? r : weakest,
  );
}
