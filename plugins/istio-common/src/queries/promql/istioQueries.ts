import { InputError } from '@backstage/errors';
import {
  LabelMatcher,
  labelEquals,
  labelMatchesPattern,
  labelNotEquals,
  labelOneOf,
  metricSelector,
} from './labels';
import { validatePromWindow } from './window';

/** A service behind a waypoint, as the waypoint reports it. @public */
export interface WaypointQueryTarget {
  /** `destination_service_name` (the Kubernetes Service name). */
  service: string;
  /** `destination_service_namespace`. */
  namespace: string;
}

/**
 * What ztunnel's series of a destination are selected by. ztunnel labels a
 * connection with the Service it was addressed to (`destination_service_name`,
 * `destination_service_namespace`) and with the pod's controller as
 * `destination_workload` (istio/ztunnel 1.28.0 `src/proxy/metrics.rs`; the name is
 * istiod's, `pkg/kube/util.go` `GetDeployMetaFromPod`: Deployment `productpage-v1`
 * behind Service `productpage`), so a Service name never selects by
 * `destination_workload`:
 * - with `service`: `destination_service_name` + `destination_service_namespace`;
 * - with `workloads` (names read from the cluster): `destination_workload` +
 *   `destination_workload_namespace`;
 * - with neither: every workload of the namespace.
 *
 * @public
 */
export interface ZtunnelQueryTarget {
  /** `destination_service_namespace` with `service`, else `destination_workload_namespace`. */
  namespace: string;
  /** The Kubernetes Service name (`destination_service_name`). */
  service?: string;
  /** `destination_workload` values (Deployment, StatefulSet or DaemonSet names, as read from the cluster). */
  workloads?: readonly string[];
  /**
   * Whose report to read: `destination` (default) is the destination's own
   * ztunnel; `source` is what the callers' ztunnels report, the only view of a
   * destination that no ztunnel captures.
   */
  reporter?: 'destination' | 'source';
}

/** PromQL for the L7 golden signals reported by a waypoint. @public */
export interface WaypointQueries {
  requestRate: string;
  errorRatio5xx: string;
  errorRatio4xx: string;
  latencyP50: string;
  latencyP95: string;
  latencyP99: string;
  /** Requests per second by `source_workload`, `source_workload_namespace`. */
  trafficBySource: string;
}

/** PromQL for the L4 signals reported by the destination ztunnel. @public */
export interface ZtunnelQueries {
  connectionRate: string;
  receivedBytesRate: string;
  sentBytesRate: string;
  /** Share of inbound connections with `connection_security_policy="mutual_tls"`. */
  mtlsShare: string;
  /** Connections per second closed with `response_flags="DENY"`. */
  deniedRate: string;
  /** Connections per second by `source_workload`, `source_workload_namespace`. */
  trafficBySource: string;
  /** Non-mTLS connections per second by source workload. */
  plaintextBySource: string;
  /**
   * Connections per second by caller as the callers' ztunnels report them
   * (`reporter="source"`). Behind a waypoint, every `reporter="destination"` series
   * names the waypoint as source (ztunnel `src/proxy/inbound.rs` looks the source up
   * by the connection's IP); the callers' own ztunnels still name the callers.
   */
  callersBySource: string;
}

const REQUESTS = 'istio_requests_total';
const DURATION_BUCKETS = 'istio_request_duration_milliseconds_bucket';
const TCP_OPENED = 'istio_tcp_connections_opened_total';
const TCP_CLOSED = 'istio_tcp_connections_closed_total';
const TCP_RECEIVED = 'istio_tcp_received_bytes_total';
const TCP_SENT = 'istio_tcp_sent_bytes_total';
const BY_SOURCE = 'sum by (source_workload, source_workload_namespace)';

function rate(
  metric: string,
  matchers: readonly LabelMatcher[],
  window: string,
): string {
  return `rate(${metricSelector(metric, matchers)}[${window}])`;
}

function sumRate(
  metric: string,
  matchers: readonly LabelMatcher[],
  window: string,
): string {
  return `sum(${rate(metric, matchers, window)})`;
}

function requireValue(value: string, field: string): string {
  if (value.length === 0) {
    throw new InputError(`${field} must not be empty`);
  }
  return value;
}

/**
 * `histogram_quantile(q, sum by (le) (rate(<buckets>[window])))` for a quantile between 0 and 1.
 *
 * @public
 */
export function latencyQuantileQuery(
  quantile: number,
  matchers: readonly LabelMatcher[],
  window: string,
): string {
  if (!(quantile > 0 && quantile < 1)) {
    throw new InputError(
      `Invalid quantile ${quantile}: use a number between 0 and 1, e.g. 0.95`,
    );
  }
  return `histogram_quantile(${quantile}, sum by (le) (${rate(
    DURATION_BUCKETS,
    matchers,
    validatePromWindow(window),
  )}))`;
}

/**
 * The L7 queries for a service served by a waypoint (`reporter="waypoint"`).
 *
 * @public
 */
export function buildWaypointQueries(
  target: WaypointQueryTarget,
  window: string,
): WaypointQueries {
  const w = validatePromWindow(window);
  const base = [
    labelEquals('reporter', 'waypoint'),
    labelEquals(
      'destination_service_name',
      requireValue(target.service, 'service'),
    ),
    labelEquals(
      'destination_service_namespace',
      requireValue(target.namespace, 'namespace'),
    ),
  ];
  const total = sumRate(REQUESTS, base, w);
  const ratio = (codePattern: string) =>
    `${sumRate(
      REQUESTS,
      [...base, labelMatchesPattern('response_code', codePattern)],
      w,
    )} / ${total}`;
  return {
    requestRate: total,
    errorRatio5xx: ratio('5..'),
    errorRatio4xx: ratio('4..'),
    latencyP50: latencyQuantileQuery(0.5, base, w),
    latencyP95: latencyQuantileQuery(0.95, base, w),
    latencyP99: latencyQuantileQuery(0.99, base, w),
    trafficBySource: `${BY_SOURCE} (${rate(REQUESTS, base, w)})`,
  };
}

/**
 * The L4 queries for workloads captured by ztunnel (`reporter="destination"`,
 * or `reporter="source"` for destinations that no ztunnel captures).
 *
 * @public
 */
export function buildZtunnelQueries(
  target: ZtunnelQueryTarget,
  window: string,
): ZtunnelQueries {
  const w = validatePromWindow(window);
  const namespace = requireValue(target.namespace, 'namespace');
  let selection: LabelMatcher[];
  if (target.service !== undefined) {
    selection = [
      labelEquals(
        'destination_service_name',
        requireValue(target.service, 'service'),
      ),
      labelEquals('destination_service_namespace', namespace),
    ];
  } else {
    selection = [
      labelEquals('destination_workload_namespace', namespace),
      ...(target.workloads
        ? [labelOneOf('destination_workload', target.workloads)]
        : []),
    ];
  }
  const base = [
    labelEquals('reporter', target.reporter ?? 'destination'),
    ...selection,
  ];
  const fromSources = [labelEquals('reporter', 'source'), ...selection];
  const opened = sumRate(TCP_OPENED, base, w);
  return {
    connectionRate: opened,
    receivedBytesRate: sumRate(TCP_RECEIVED, base, w),
    sentBytesRate: sumRate(TCP_SENT, base, w),
    mtlsShare: `${sumRate(
      TCP_OPENED,
      [...base, labelEquals('connection_security_policy', 'mutual_tls')],
      w,
    )} / ${opened}`,
    deniedRate: sumRate(
      TCP_CLOSED,
      [...base, labelEquals('response_flags', 'DENY')],
      w,
    ),
    trafficBySource: `${BY_SOURCE} (${rate(TCP_OPENED, base, w)})`,
    plaintextBySource: `${BY_SOURCE} (${rate(
      TCP_OPENED,
      [...base, labelNotEquals('connection_security_policy', 'mutual_tls')],
      w,
    )})`,
    callersBySource: `${BY_SOURCE} (${rate(TCP_OPENED, fromSources, w)})`,
  };
}
