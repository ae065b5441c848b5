import type {
  SpanAttribute,
  TraceDetail,
  TraceSpan,
} from '../types/traceDetail';

/** An OTLP attribute value as Tempo's JSON writes it (int64 as a string). @public */
export interface TempoAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: TempoAnyValue[] };
}

/** A key and value of OTLP JSON. @public */
export interface TempoKeyValue {
  key: string;
  value?: TempoAnyValue;
}

/** A span of Tempo's OTLP JSON: ids base64, times in nanoseconds as strings. @public */
export interface TempoOtlpSpan {
  traceId?: string;
  spanId: string;
  parentSpanId?: string;
  name?: string;
  kind?: string;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: TempoKeyValue[];
  status?: { code?: string; message?: string };
}

/** One resource's spans, as OTLP `ResourceSpans`. @public */
export interface TempoResourceSpans {
  resource?: { attributes?: TempoKeyValue[] };
  scopeSpans?: Array<{ scope?: { name?: string }; spans?: TempoOtlpSpan[] }>;
}

/**
 * The JSON body of Tempo's `GET /api/v2/traces/{id}`: tempopb
 * `TraceByIDResponse` (grafana/tempo pkg/tempopb/tempo.proto: `trace`,
 * `metrics`, `status`, `message`), whose `trace` holds `resourceSpans`.
 *
 * @public
 */
export interface TempoTraceByIdResponse {
  trace?: { resourceSpans?: TempoResourceSpans[] };
  status?: string;
  message?: string;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * An id of Tempo's JSON as lowercase hex. The protobuf JSON mapping writes
 * `bytes` fields in base64; an id that is already hex (16 or 32 hex
 * characters) is kept.
 *
 * @public
 */
export function otlpIdToHex(id: string): string {
  if (/^[0-9a-fA-F]{16}$|^[0-9a-fA-F]{32}$/.test(id)) return id.toLowerCase();
  let bits = 0;
  let buffer = 0;
  let hex = '';
  for (const ch of id.replace(/=+$/, '')) {
    // base64url too
    const v = B64.indexOf({ '-': '+', _: '/' }[ch] ?? ch);
    if (v < 0) return id;
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      hex += ((buffer >> bits) & 0xff).toString(16).padStart(2, '0');
    }
  }
  return hex;
}

function valueText(value: TempoAnyValue | undefined): string {
  if (!value) return '';
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return String(value.intValue);
  if (value.doubleValue !== undefined) return String(value.doubleValue);
  if (value.boolValue !== undefined) return String(value.boolValue);
  if (value.arrayValue) {
    return (value.arrayValue.values ?? []).map(valueText).join(', ');
  }
  return '';
}

function attributesOf(list: TempoKeyValue[] | undefined): SpanAttribute[] {
  return (list ?? []).map(a => ({ key: a.key, value: valueText(a.value) }));
}

function nanos(value: string | undefined): bigint {
  try {
    return BigInt(value ?? '0');
  } catch {
    return 0n;
  }
}

/** The spans of a Tempo v2 trace, flattened and ordered by start. @public */
export interface FlatTrace {
  spans: TraceSpan[];
  startUnixNano: bigint;
  durationMs: number;
  partial: boolean;
}

/**
 * Flattens Tempo's `/api/v2/traces/{id}` answer into spans ordered by start,
 * each with its service name (from its resource), kind without the
 * `SPAN_KIND_` prefix, duration in ms and an error flag (status
 * `STATUS_CODE_ERROR` or a 5xx `http.status_code` /
 * `http.response.status_code`).
 *
 * @public
 */
export function flattenTempoTrace(body: TempoTraceByIdResponse): FlatTrace {
  const spans: Array<TraceSpan & { start: bigint; end: bigint }> = [];
  for (const rs of body.trace?.resourceSpans ?? []) {
    const resource = attributesOf(rs.resource?.attributes);
    const serviceName =
      resource.find(a => a.key === 'service.name')?.value ?? 'unknown';
    for (const scope of rs.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        const start = nanos(span.startTimeUnixNano);
        const end = nanos(span.endTimeUnixNano);
        const attributes = attributesOf(span.attributes);
        const status = attributes.find(
          a =>
            a.key === 'http.status_code' ||
            a.key === 'http.response.status_code',
        )?.value;
        spans.push({
          spanId: otlpIdToHex(span.spanId),
          parentSpanId: span.parentSpanId
            ? otlpIdToHex(span.parentSpanId)
            : undefined,
          name: span.name ?? '',
          serviceName,
          kind: (span.kind ?? 'SPAN_KIND_UNSPECIFIED').replace(
            /^SPAN_KIND_/,
            '',
          ),
          startTimeUnixNano: start.toString(),
          durationMs: Number(end > start ? end - start : 0n) / 1e6,
          error:
            span.status?.code === 'STATUS_CODE_ERROR' ||
            (status !== undefined && /^5\d\d$/.test(status)),
          attributes,
          start,
          end,
        });
      }
    }
  }
  spans.sort((a, b) => Number(a.start - b.start));
  const first = spans.length > 0 ? spans[0].start : 0n;
  const last = spans.reduce((max, s) => (s.end > max ? s.end : max), first);
  return {
    spans: spans.map(({ start: _s, end: _e, ...rest }) => rest),
    startUnixNano: first,
    durationMs: Number(last - first) / 1e6,
    partial: body.status === 'PARTIAL',
  };
}

/**
 * The {@link TraceDetail} of Tempo's `/api/v2/traces/{id}` answer, or
 * undefined when the answer holds no span.
 *
 * @public
 */
export function traceDetailFromTempo(
  body: TempoTraceByIdResponse,
  options: { traceId: string; cluster: string; link?: string },
): TraceDetail | undefined {
  const flat = flattenTempoTrace(body);
  if (flat.spans.length === 0) return undefined;
  return {
    traceId: options.traceId.toLowerCase(),
    cluster: options.cluster,
    spans: flat.spans,
    start: new Date(Number(flat.startUnixNano / 1000000n)).toISOString(),
    durationMs: flat.durationMs,
    partial: flat.partial,
    link: options.link,
  };
}
