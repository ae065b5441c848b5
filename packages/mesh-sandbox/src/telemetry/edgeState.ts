import { ISTIO, KEYS } from '../controllers/keys';

const KEYS_GATEWAY_NAME = ISTIO.gatewayName;
import { ObjectStore } from '../kube/store';
import { KubeObject } from '../kube/types';
import { matchesLabels } from '../kube/selectors';
import { isCaptured } from '../istio/enrollment';
import { waypointBinding } from '../istio/waypointBinding';
import { Edge } from './trafficConfig';
import {
  authorize,
  AuthorizationVerdict,
  ztunnelPoliciesFor,
} from './authorization';
import { spiffeIdentity, WorkloadMeta, workloadMetaOf } from './workloadMeta';

/** How one edge's traffic flows right now, derived from the cluster state. */
export interface EdgeState {
  /** False when the client or the service has no pods: no traffic at all. */
  active: boolean;
  sourceCaptured: boolean;
  destinationCaptured: boolean;
  sourceServiceAccount: string;
  destinationServiceAccount: string;
  /** The waypoint the requests go through, if any (namespace/name). */
  waypoint?: { namespace: string; name: string };
  /** Plaintext into a STRICT destination: every connection is denied. */
  strictDenied: boolean;
  /** The calling workload as istiod describes it (controller name, canonical labels). */
  sourceMeta: WorkloadMeta;
  /** The called workload behind the Service (e.g. Deployment `productpage-v1`). */
  destinationMeta: WorkloadMeta;
  /** The waypoint's workload, when the requests go through one. */
  waypointMeta?: WorkloadMeta;
  /** The pod port the destination ztunnel sees (the Service's first targetPort). */
  destinationPort: number;
  /**
   * The destination ztunnel's AuthorizationPolicy verdict for the connecting peer
   * (the waypoint when there is one, else the caller).
   */
  authorization: AuthorizationVerdict;
}

function metaOrDefault(
  pods: KubeObject[],
  namespace: string,
  name: string,
): WorkloadMeta {
  return pods[0]
    ? workloadMetaOf(pods[0])
    : {
        workload: name,
        namespace,
        serviceAccount: name,
        canonicalName: name,
        canonicalRevision: 'latest',
      };
}

function targetPortOf(service: KubeObject | undefined, pod?: KubeObject) {
  const port = ((service?.spec as any)?.ports ?? [])[0] ?? {};
  const target = port.targetPort ?? port.port ?? 80;
  if (typeof target === 'number') return target;
  const named = ((pod?.spec as any)?.containers ?? [])
    .flatMap((c: any) => c.ports ?? [])
    .find((p: any) => p.name === target);
  return Number(named?.containerPort ?? port.port ?? 80);
}

function podsOf(
  store: ObjectStore,
  namespace: string,
  labels: Record<string, string>,
) {
  const requirements = Object.entries(labels).map(([key, value]) => ({
    key,
    op: 'eq' as const,
    value,
  }));
  return store
    .list(KEYS.pods, namespace)
    .filter(p => matchesLabels(requirements, p.metadata.labels))
    .filter(
      p => (p.status as { phase?: string } | undefined)?.phase === 'Running',
    );
}

function allCaptured(pods: KubeObject[]) {
  return pods.length > 0 && pods.every(isCaptured);
}

function labelOn(objects: Array<KubeObject | undefined>, key: string) {
  for (const object of objects) {
    const value = object?.metadata.labels?.[key];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** A PeerAuthentication mode that is set: UNSET (or absent) inherits from its parent. */
function setMode(mtls: { mode?: string } | undefined): string | undefined {
  const mode = mtls?.mode;
  return mode && mode !== 'UNSET' ? mode : undefined;
}

/**
 * The effective PeerAuthentication mode for a destination port (istio/api
 * security/v1beta1/peer_authentication.proto; ambient: istio/istio 1.28.0
 * pilot/pkg/serviceregistry/ambient/authorization.go
 * convertPeerAuthentication): a policy whose selector matches the pods beats
 * the namespace-wide one, which beats the mesh-wide one in istio-system; a
 * mode that is UNSET inherits from the next. The selected policy's
 * `portLevelMtls` entry for the pod port ztunnel sees (a workload port, not
 * the Service's) overrides its mode on that port, outside the root namespace.
 */
export function effectiveMtlsMode(
  store: ObjectStore,
  namespace: string,
  podLabels: Record<string, string>,
  port?: number,
): string {
  const root = 'istio-system';
  const policies = store.list(KEYS.peerAuthentications, namespace);
  const selected = policies.find(p => {
    const match = (p.spec as any)?.selector?.matchLabels as
      | Record<string, string>
      | undefined;
    return match && Object.entries(match).every(([k, v]) => podLabels[k] === v);
  });
  const namespaceWide = policies.find(p => !(p.spec as any)?.selector);
  const meshWide = store
    .list(KEYS.peerAuthentications, root)
    .find(p => !(p.spec as any)?.selector);
  const portLevel =
    selected && namespace !== root && port !== undefined
      ? (selected.spec as any)?.portLevelMtls?.[String(port)]
      : undefined;
  return (
    setMode(portLevel) ??
    setMode((selected?.spec as any)?.mtls) ??
    setMode((namespaceWide?.spec as any)?.mtls) ??
    setMode((meshWide?.spec as any)?.mtls) ??
    'PERMISSIVE'
  );
}

/** Works out how an edge's traffic flows from what is in the store. */
export function edgeState(store: ObjectStore, edge: Edge): EdgeState {
  const sourcePods = podsOf(store, edge.source.namespace, {
    app: edge.source.workload,
  });
  const service = store.get(
    KEYS.services,
    edge.destination.namespace,
    edge.destination.service,
  );
  const selector = ((service?.spec as any)?.selector ?? {}) as Record<
    string,
    string
  >;
  const destinationPods = service
    ? podsOf(store, edge.destination.namespace, selector)
    : [];
  const sourceCaptured = allCaptured(sourcePods);
  const destinationCaptured = allCaptured(destinationPods);
  const destinationNamespace = store.get(
    KEYS.namespaces,
    undefined,
    edge.destination.namespace,
  );
  const binding = service
    ? waypointBinding(service, destinationNamespace, (ns, name) =>
        store.get(KEYS.gateways, ns, name),
      )
    : undefined;
  const ingressUsesWaypoint =
    labelOn(
      [service, destinationNamespace],
      'istio.io/ingress-use-waypoint',
    ) === 'true';
  const viaWaypoint =
    Boolean(binding?.bound) &&
    destinationCaptured &&
    (sourceCaptured || (edge.ingress && ingressUsesWaypoint));
  const saOf = (pods: KubeObject[], fallback: string) =>
    ((pods[0]?.spec as any)?.serviceAccountName as string | undefined) ??
    fallback;
  const waypoint = viaWaypoint ? binding?.waypoint : undefined;
  const sourceMeta = metaOrDefault(
    sourcePods,
    edge.source.namespace,
    edge.source.workload,
  );
  const destinationMeta = metaOrDefault(
    destinationPods,
    edge.destination.namespace,
    edge.destination.service,
  );
  const waypointMeta = waypoint
    ? metaOrDefault(
        podsOf(store, waypoint.namespace, {
          [KEYS_GATEWAY_NAME]: waypoint.name,
        }),
        waypoint.namespace,
        waypoint.name,
      )
    : undefined;
  const destinationPort = targetPortOf(service, destinationPods[0]);
  const mode = destinationPods[0]
    ? effectiveMtlsMode(
        store,
        edge.destination.namespace,
        destinationPods[0].metadata.labels ?? {},
        destinationPort,
      )
    : 'PERMISSIVE';
  // The destination ztunnel knows the peer by its mTLS identity: the waypoint's
  // when there is one (ztunnel src/proxy/inbound.rs), the caller's when captured
  const peer = waypointMeta ?? (sourceCaptured ? sourceMeta : undefined);
  const authorization: AuthorizationVerdict = destinationCaptured
    ? authorize(
        ztunnelPoliciesFor(
          store,
          edge.destination.namespace,
          destinationPods[0]?.metadata.labels ?? {},
        ),
        {
          sourceIdentity: peer ? spiffeIdentity(peer) : undefined,
          sourceIp: (waypointMeta ?? sourceMeta).ip,
          destinationIp: destinationMeta.ip,
          destinationPort,
        },
      )
    : { allowed: true };
  return {
    active: sourcePods.length > 0 && destinationPods.length > 0,
    sourceCaptured,
    destinationCaptured,
    sourceServiceAccount: saOf(sourcePods, edge.source.workload),
    destinationServiceAccount: saOf(destinationPods, edge.destination.service),
    waypoint,
    strictDenied: mode === 'STRICT' && destinationCaptured && !sourceCaptured,
    sourceMeta,
    destinationMeta,
    waypointMeta,
    destinationPort,
    authorization,
  };
}
