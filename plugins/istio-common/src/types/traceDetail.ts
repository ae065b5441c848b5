/** One attribute of a span, its value as text. @public */
export interface SpanAttribute {
  key: string;
  value: string;
}

/** One span of a trace, flattened from Tempo's OTLP JSON. @public */
export interface TraceSpan {
  /** Hex span id. */
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** `resource.service.name` of the span. */
  serviceName: string;
  /** OTLP kind without the prefix, e.g. `SERVER`, `CLIENT`. */
  kind: string;
  /** Start in unix nanoseconds, as a decimal string (beyond 2^53). */
  startTimeUnixNano: string;
  durationMs: number;
  /** True when the span's status is an error or its HTTP status is 5xx. */
  error: boolean;
  attributes: SpanAttribute[];
}

/** A whole trace, as Tempo's `/api/v2/traces/{id}` answers it, flattened. @public */
export interface TraceDetail {
  traceId: string;
  cluster: string;
  /** Spans ordered by start time. */
  spans: TraceSpan[];
  /** Start of the earliest span, ISO 8601. */
  start: string;
  durationMs: number;
  /** Tempo answers `PARTIAL` when not every block could be read. */
  partial: boolean;
  /** A link to the trace in Grafana Explore, when configured. */
  link?: string;
}
