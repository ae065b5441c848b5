/**
 * Where metrics come from: the waypoint (`reporter="waypoint"`, L7 requests) or
 * ztunnel (`reporter="destination"`, L4 connections).
 *
 * @public
 */
export type MetricsSource = 'waypoint' | 'ztunnel';

/** Health grade of a service, with Kiali-like thresholds. @public */
export type HealthGrade =
  | 'healthy'
  | 'degraded'
  | 'failure'
  | 'no-traffic'
  | 'unknown';

/** One point of a range query: unix time in seconds and a value (null for a gap). @public */
export interface SeriesPoint {
  t: number;
  v: number | null;
}

/** L7 golden signals over the window (null when Prometheus has no sample). @public */
export interface GoldenSignals {
  /** Requests per second. */
  rps: number | null;
  /** Share (0..1) of responses with a 5xx code. */
  errorRatio5xx: number | null;
  /** Share (0..1) of responses with a 4xx code. */
  errorRatio4xx: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** L4 signals from ztunnel over the window. @public */
export interface L4Signals {
  connectionsPerSecond: number | null;
  receivedBytesPerSecond: number | null;
  sentBytesPerSecond: number | null;
  /** Share (0..1) of inbound connections that used mTLS. */
  mtlsShare: number | null;
  /** Connections per second closed with `response_flags="DENY"`. */
  deniedPerSecond: number | null;
}

/** Traffic to the entity from one source workload. @public */
export interface TrafficBySource {
  sourceWorkload: string;
  sourceNamespace: string;
  /** Requests per second (L7) or connections per second (L4). */
  value: number;
}

/** Series for sparklines, over the requested range and step. @public */
export interface MetricSeries {
  rps?: SeriesPoint[];
  errorRatio5xx?: SeriesPoint[];
  p95Ms?: SeriesPoint[];
  connectionsPerSecond?: SeriesPoint[];
  errorRatio4xx?: SeriesPoint[];
  p50Ms?: SeriesPoint[];
  p99Ms?: SeriesPoint[];
  receivedBytesPerSecond?: SeriesPoint[];
  sentBytesPerSecond?: SeriesPoint[];
  mtlsShare?: SeriesPoint[];
}

/** Metrics of one entity in one cluster. @public */
export interface ClusterMetrics {
  cluster: string;
  source: MetricsSource;
  /** `L7` when the source is the waypoint, `L4` for ztunnel. */
  layer: 'L7' | 'L4';
  /** Rate window, e.g. `5m`. */
  window: string;
  /** Range of the series in seconds, and their step in seconds. */
  rangeSeconds: number;
  stepSeconds: number;
  /** Present when the source is the waypoint. */
  golden?: GoldenSignals;
  l4: L4Signals;
  series: MetricSeries;
  traffic: TrafficBySource[];
  health: HealthGrade;
}
