import { InputError } from '@backstage/errors';
import {
  LabelMatcher,
  labelEquals,
  labelMatchesPattern,
  metricSelector,
} from './labels';
import { validatePromWindow } from './window';

/** The service whose traffic graph is drawn. @public */
export interface TrafficGraphTarget {
  /** The Kubernetes Service name (`destination_service_name`). */
  service: string;
  /** Its namespace. */
  namespace: string;
  /**
   * The canonical service of the entity's own workloads (`source_canonical_service`,
   * Istio's `service.istio.io/canonical-name` or `app` label); the Service name
   * when absent.
   */
  canonicalService?: string;
}

/**
 * PromQL for the traffic graph. Each query is an instant vector grouped by the
 * labels that name the other end of an edge, and by
 * `connection_security_policy` where the mTLS share is read.
 *
 * @public
 */
export interface TrafficGraphQueries {
  /** Requests/s into the service, reported by the waypoint, by caller workload. */
  inboundRequests: string;
  /** The 5xx part of `inboundRequests`. */
  inboundErrors: string;
  /** Connections/s into the service by caller, as the destination ztunnel reports them. */
  inboundConnections: string;
  /** The same as the callers' ztunnels report them (`reporter="source"`). */
  inboundConnectionsBySource: string;
  /** Requests/s from the entity's workloads, reported by waypoints, by destination service. */
  outboundRequests: string;
  /** The 5xx part of `outboundRequests`. */
  outboundErrors: string;
  /** Connections/s from the entity's workloads, reported by their ztunnel, by destination service. */
  outboundConnections: string;
}

const REQUESTS = 'istio_requests_total';
const TCP_OPENED = 'istio_tcp_connections_opened_total';
const BY_CALLER = 'source_workload, source_workload_namespace';
const BY_CALLEE = 'destination_service_name, destination_service_namespace';
const SECURITY = 'connection_security_policy';

function required(value: string | undefined, field: string): string {
  if (!value) {
    throw new InputError(`${field} must not be empty`);
  }
  return value;
}

function sumBy(
  by: string,
  metric: string,
  matchers: readonly LabelMatcher[],
  window: string,
): string {
  return `sum by (${by}) (rate(${metricSelector(
    metric,
    matchers,
  )}[${window}]))`;
}

/**
 * The queries of the traffic graph: callers from the waypoint's L7 series
 * (`reporter="waypoint"`, whose `source_workload` is the real caller) or from
 * ztunnel; callees with the entity's workloads as source. Behind a waypoint
 * the destination ztunnel's `source_workload` is the waypoint itself
 * (istio-ambient.md §5), so `inboundConnectionsBySource` is the L4 fallback
 * that still names the callers. Every value is quoted and escaped.
 *
 * @public
 */
export function buildTrafficGraphQueries(
  target: TrafficGraphTarget,
  window: string,
): TrafficGraphQueries {
  const w = validatePromWindow(window);
  const service = required(target.service, 'service');
  const namespace = required(target.namespace, 'namespace');
  const canonical = target.canonicalService ?? service;
  const toService = [
    labelEquals('destination_service_name', service),
    labelEquals('destination_service_namespace', namespace),
  ];
  const fromEntity = [
    labelEquals('source_canonical_service', canonical),
    labelEquals('source_workload_namespace', namespace),
  ];
  const waypoint = labelEquals('reporter', 'waypoint');
  const errors = labelMatchesPattern('response_code', '5..');
  return {
    inboundRequests: sumBy(
      `${BY_CALLER}, ${SECURITY}`,
      REQUESTS,
      [waypoint, ...toService],
      w,
    ),
    inboundErrors: sumBy(
      BY_CALLER,
      REQUESTS,
      [waypoint, ...toService, errors],
      w,
    ),
    inboundConnections: sumBy(
      `${BY_CALLER}, ${SECURITY}`,
      TCP_OPENED,
      [labelEquals('reporter', 'destination'), ...toService],
      w,
    ),
    inboundConnectionsBySource: sumBy(
      `${BY_CALLER}, ${SECURITY}`,
      TCP_OPENED,
      [labelEquals('reporter', 'source'), ...toService],
      w,
    ),
    outboundRequests: sumBy(
      `${BY_CALLEE}, ${SECURITY}`,
      REQUESTS,
      [waypoint, ...fromEntity],
      w,
    ),
    outboundErrors: sumBy(
      BY_CALLEE,
      REQUESTS,
      [waypoint, ...fromEntity, errors],
      w,
    ),
    outboundConnections: sumBy(
      `${BY_CALLEE}, ${SECURITY}`,
      TCP_OPENED,
      [labelEquals('reporter', 'source'), ...fromEntity],
      w,
    ),
  };
}

/** One sample of a graph query: its labels and value. @public */
export interface GraphSample {
  labels: Record<string, string>;
  value: number | null;
}

/** Traffic to or from one peer, merged from the graph queries. @public */
export interface PeerTraffic {
  name: string;
  namespace: string;
  layer: 'L7' | 'L4';
  rate: number;
  errorRatio: number | null;
  mtlsShare: number | null;
}

function peerKey(name: string, namespace: string) {
  return `${namespace}/${name}`;
}

interface Totals {
  name: string;
  namespace: string;
  rate: number;
  mtls: number;
}

function totalsBy(
  samples: readonly GraphSample[],
  nameLabel: string,
  namespaceLabel: string,
): Map<string, Totals> {
  const totals = new Map<string, Totals>();
  for (const s of samples) {
    if (s.value === null || !(s.value > 0)) continue;
    const name = s.labels[nameLabel] ?? 'unknown';
    const namespace = s.labels[namespaceLabel] ?? 'unknown';
    const key = peerKey(name, namespace);
    const t = totals.get(key) ?? { name, namespace, rate: 0, mtls: 0 };
    t.rate += s.value;
    if (s.labels[SECURITY] === 'mutual_tls') t.mtls += s.value;
    totals.set(key, t);
  }
  return totals;
}

/**
 * Merges the L7 and L4 answers about the peers on one side: a peer with
 * requests gets an L7 edge (rate, 5xx ratio; mTLS share from ztunnel when it
 * reports the peer, else from the waypoint's label); a peer seen only by
 * ztunnel gets an L4 edge. Largest rate first.
 *
 * @public
 */
export function mergePeerTraffic(options: {
  side: 'inbound' | 'outbound';
  requests: readonly GraphSample[];
  errors: readonly GraphSample[];
  connections: readonly GraphSample[];
}): PeerTraffic[] {
  const [nameLabel, namespaceLabel] =
    options.side === 'inbound'
      ? ['source_workload', 'source_workload_namespace']
      : ['destination_service_name', 'destination_service_namespace'];
  const requests = totalsBy(options.requests, nameLabel, namespaceLabel);
  const errors = totalsBy(options.errors, nameLabel, namespaceLabel);
  const connections = totalsBy(options.connections, nameLabel, namespaceLabel);
  const peers: PeerTraffic[] = [];
  for (const [key, r] of requests) {
    const c = connections.get(key);
    const measured = c && c.rate > 0 ? c : r;
    peers.push({
      name: r.name,
      namespace: r.namespace,
      layer: 'L7',
      rate: r.rate,
      errorRatio: (errors.get(key)?.rate ?? 0) / r.rate,
      mtlsShare: measured.mtls / measured.rate,
    });
  }
  for (const [key, c] of connections) {
    if (requests.has(key)) continue;
    peers.push({
      name: c.name,
      namespace: c.namespace,
      layer: 'L4',
      rate: c.rate,
      errorRatio: null,
      mtlsShare: c.mtls / c.rate,
    });
  }
  return peers.sort((a, b) => b.rate - a.rate);
}
