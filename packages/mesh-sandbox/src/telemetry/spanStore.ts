/** One span, as the sandbox keeps it. */
export interface StoredSpan {
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: 'SPAN_KIND_SERVER' | 'SPAN_KIND_CLIENT';
  startNs: bigint;
  durationNs: bigint;
  /** String attributes, as Istio's proxies write them. */
  attributes: Record<string, string>;
  error: boolean;
}

/** One trace: the spans one waypoint emitted for a request. */
export interface StoredTrace {
  traceId: string;
  /** Resource attributes (service.name and friends). */
  resource: Record<string, string>;
  spans: StoredSpan[];
}

/** Start of a trace (its earliest span). */
export function traceStart(trace: StoredTrace): bigint {
  return trace.spans.reduce(
    (min, s) => (s.startNs < min ? s.startNs : min),
    trace.spans[0].startNs,
  );
}

/** Duration of a trace, from its earliest start to its latest end. */
export function traceDurationNs(trace: StoredTrace): bigint {
  const start = traceStart(trace);
  const end = trace.spans.reduce((max, s) => {
    const e = s.startNs + s.durationNs;
    return e > max ? e : max;
  }, start);
  return end - start;
}

/**
 * A ring buffer of traces: memory stays bounded however long the sandbox
 * runs; the oldest traces go first.
 */
export class SpanStore {
  private readonly traces: StoredTrace[] = [];
  private readonly byId = new Map<string, StoredTrace>();

  constructor(private readonly capacity = 5000) {}

  add(trace: StoredTrace): void {
    this.traces.push(trace);
    this.byId.set(trace.traceId, trace);
    while (this.traces.length > this.capacity) {
      const dropped = this.traces.shift()!;
      this.byId.delete(dropped.traceId);
    }
  }

  get(traceId: string): StoredTrace | undefined {
    return this.byId.get(traceId.toLowerCase().padStart(32, '0'));
  }

  /** Traces, newest first. */
  newestFirst(): StoredTrace[] {
    return [...this.traces].reverse();
  }

  get size(): number {
    return this.traces.length;
  }
}
