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
  workload: string;
  namespace: string;
  serviceAccount: string;
  /** Whether this side has a mesh identity (captured by ztunnel, or a waypoint). */
  identity: boolean;
}

const CLUSTER = 'Kubernetes';

function principal(peer: Peer): string {
  return peer.identity
    ? `spiffe://cluster.local/ns/${peer.namespace}/sa/${peer.serviceAccount}`
    : 'unknown';
}

/** The standard Istio labels of a source -> destination service pair. */
export function istioLabels(options: {
  reporter: 'source' | 'destination' | 'waypoint';
  source: Peer;
  destination: Peer;
  service: { name: string; namespace: string };
  protocol: 'tcp' | 'http';
  mtls: boolean;
  responseFlags?: string;
}): Labels {
  const { reporter, source, destination, service, protocol, mtls } = options;
  return {
    reporter,
    source_workload: source.workload,
    source_workload_namespace: source.namespace,
    source_principal: principal(source),
    source_app: source.workload,
    source_version: 'v1',
    source_canonical_service: source.workload,
    source_canonical_revision: 'v1',
    source_cluster: CLUSTER,
    destination_service: `${service.name}.${service.namespace}.svc.cluster.local`,
    destination_service_name: service.name,
    destination_service_namespace: service.namespace,
    destination_workload: destination.workload,
    destination_workload_namespace: destination.namespace,
    destination_principal: principal(destination),
    destination_app: destination.workload,
    destination_version: 'v1',
    destination_canonical_service: destination.workload,
    destination_canonical_revision: 'v1',
    destination_cluster: CLUSTER,
    request_protocol: protocol,
    response_flags: options.responseFlags ?? '-',
    connection_security_policy: mtls ? 'mutual_tls' : 'unknown',
  };
}
