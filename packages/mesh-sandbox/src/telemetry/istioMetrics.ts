import { DURATION_BUCKETS_MS, Labels, MetricRegistry } from './metricRegistry';

/** Names of the Istio metrics the sandbox exposes (istio-ambient.md §5). */
export const METRICS = {
  tcpOpened: 'istio_tcp_connections_opened_total',
  tcpClosed: 'istio_tcp_connections_closed_total',
  tcpReceived: 'istio_tcp_received_bytes_total',
  tcpSent: 'istio_tcp_sent_bytes_total',
  requests: 'istio_requests_total',
  duration: 'istio_request_duration_milliseconds',
} as const;

/** A registry with the Istio metric families defined. */
export function istioRegistry(): MetricRegistry {
  const registry = new MetricRegistry();
  registry.counter(
    METRICS.tcpOpened,
    'Total number of TCP connections opened.',
  );
  registry.counter(
    METRICS.tcpClosed,
    'Total number of TCP connections closed.',
  );
  registry.counter(
    METRICS.tcpReceived,
    'Size of total bytes received during request in case of a TCP connection.',
  );
  registry.counter(
    METRICS.tcpSent,
    'Size of total bytes sent during response in case of a TCP connection.',
  );
  registry.counter(
    METRICS.requests,
    'Total number of requests handled by the proxy.',
  );
  registry.histogram(
    METRICS.duration,
    'Duration of requests in milliseconds.',
    DURATION_BUCKETS_MS,
  );
  return registry;
}

/** One side of a connection, for labels. */
export interface Peer {
  /** `workload_name`: the pod's controller (e.g. Deployment `productpage-v1`). */
  workload: string;
  namespace: string;
  serviceAccount: string;
  /** Canonical service and revision (`app`/`version` labels, or the workload name and "latest"). */
  canonicalName: string;
  canonicalRevision: string;
  /** Whether this side has a mesh identity (captured by ztunnel, or a waypoint). */
  identity: boolean;
}

/** Istio's default cluster id. */
const CLUSTER = 'Kubernetes';
/** ztunnel's `DefaultedUnknown` value. */
const UNKNOWN = 'unknown';

function principal(peer: Peer): string {
  return `spiffe://cluster.local/ns/${peer.namespace}/sa/${peer.serviceAccount}`;
}

/**
 * The labels of ztunnel's TCP metrics, in ztunnel's order (istio/ztunnel 1.28.0
 * `src/proxy/metrics.rs` `CommonTrafficLabels`, filled by `with_derived_source`,
 * `with_source`, `with_destination`, `with_destination_service`):
 * - `source_app`/`source_version` are the canonical name/revision, like
 *   `source_canonical_service`/`_revision`; the same for the destination;
 * - `source_principal` is the peer's mTLS identity (`derived_source.identity`),
 *   `unknown` for plaintext; `destination_principal` is the destination
 *   workload's identity, set whether or not the connection used mTLS;
 * - the destination ztunnel finds the source by the connection's source IP
 *   (`src/proxy/inbound.rs`): through a waypoint that is the waypoint;
 * - the source ztunnel reports as destination the workload it connects to
 *   (`src/proxy/outbound.rs` `actual_destination_workload`): the waypoint;
 * - the locality labels follow, `unknown` without topology labels;
 * - `response_flags` is `-` when the connection opens; the closed counter of a
 *   connection the destination's policy denied says `DENY`.
 */
export function ztunnelLabels(options: {
  reporter: 'source' | 'destination';
  source: Peer;
  destination: Peer;
  service: { name: string; namespace: string };
  mtls: boolean;
  responseFlags?: string;
}): Labels {
  const { reporter, source, destination, service, mtls } = options;
  const sourcePrincipal = mtls && source.identity ? principal(source) : UNKNOWN;
  return {
    reporter,
    source_workload: source.workload,
    source_canonical_service: source.canonicalName,
    source_canonical_revision: source.canonicalRevision,
    source_workload_namespace: source.namespace,
    source_principal: sourcePrincipal,
    source_app: source.canonicalName,
    source_version: source.canonicalRevision,
    source_cluster: CLUSTER,
    destination_service: `${service.name}.${service.namespace}.svc.cluster.local`,
    destination_service_namespace: service.namespace,
    destination_service_name: service.name,
    destination_workload: destination.workload,
    destination_canonical_service: destination.canonicalName,
    destination_canonical_revision: destination.canonicalRevision,
    destination_workload_namespace: destination.namespace,
    destination_principal: principal(destination),
    destination_app: destination.canonicalName,
    destination_version: destination.canonicalRevision,
    destination_cluster: CLUSTER,
    request_protocol: 'tcp',
    response_flags: options.responseFlags ?? '-',
    connection_security_policy: mtls ? 'mutual_tls' : 'unknown',
    source_region: UNKNOWN,
    source_zone: UNKNOWN,
    destination_region: UNKNOWN,
    destination_zone: UNKNOWN,
  };
}

/**
 * The standard Istio labels of a waypoint's (Envoy's) L7 series: the caller as
 * source (from its peer metadata), the backend workload as destination.
 */
export function istioLabels(options: {
  reporter: 'waypoint';
  source: Peer;
  destination: Peer;
  service: { name: string; namespace: string };
  protocol: 'http';
  mtls: boolean;
  responseFlags?: string;
}): Labels {
  const { reporter, source, destination, service, protocol, mtls } = options;
  return {
    reporter,
    source_workload: source.workload,
    source_workload_namespace: source.namespace,
    source_principal: source.identity ? principal(source) : UNKNOWN,
    source_app: source.canonicalName,
    source_version: source.canonicalRevision,
    source_canonical_service: source.canonicalName,
    source_canonical_revision: source.canonicalRevision,
    source_cluster: CLUSTER,
    destination_service: `${service.name}.${service.namespace}.svc.cluster.local`,
    destination_service_name: service.name,
    destination_service_namespace: service.namespace,
    destination_workload: destination.workload,
    destination_workload_namespace: destination.namespace,
    destination_principal: principal(destination),
    destination_app: destination.canonicalName,
    destination_version: destination.canonicalRevision,
    destination_canonical_service: destination.canonicalName,
    destination_canonical_revision: destination.canonicalRevision,
    destination_cluster: CLUSTER,
    request_protocol: protocol,
    response_flags: options.responseFlags ?? '-',
    connection_security_policy: mtls ? 'mutual_tls' : 'unknown',
  };
}
