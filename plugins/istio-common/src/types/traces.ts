/** Which traces to list: the most recent, the slowest, or those with a 5xx status. @public */
export type TraceQueryKind = 'recent' | 'slow' | 'errors';

/** One trace found by a Tempo search. @public */
export interface TraceSummary {
  traceId: string;
  rootServiceName: string;
  rootTraceName: string;
  /** Start time, ISO 8601. */
  start: string;
  durationMs: number;
  /** HTTP status code of the matched span, when known (strings, as Istio emits them). */
  statusCode?: string;
  /** `http.method` of the matched span, when the search selected it. */
  method?: string;
  /** `http.route`, else the path of `http.url`, of the matched span, when selected. */
  route?: string;
  /** True when a matched span has a 5xx code or an error status. */
  error: boolean;
  /** A link to the trace in Grafana Explore, when configured. */
  link?: string;
}

/** Traces of one entity in one cluster. @public */
export interface ClusterTraces {
  cluster: string;
  kind: TraceQueryKind;
  /** The `resource.service.name` values searched (both Istio naming schemes). */
  serviceNames: string[];
  /** The TraceQL query sent to Tempo. */
  query: string;
  traces: TraceSummary[];
  /**
   * Set when Istio cannot have spans for the entity: only waypoints emit spans, ztunnel
   * emits none.
   */
  noSpansReason?: 'no-waypoint';
}
