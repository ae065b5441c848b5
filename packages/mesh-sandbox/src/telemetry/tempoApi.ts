import { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendText } from '../http/serve';
import {
  SpanStore,
  StoredSpan,
  StoredTrace,
  traceDurationNs,
  traceStart,
} from './spanStore';
import { matchingSpans, parseTraceQl, TraceQlError } from './traceql';

/** The Tempo version the sandbox reports in buildinfo. */
export const TEMPO_VERSION = '2.8.0';

function b64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

function attributes(values: Record<string, string>) {
  return Object.entries(values).map(([key, value]) => ({
    key,
    value: { stringValue: value },
  }));
}

function otlpSpan(traceId: string, span: StoredSpan) {
  return {
    traceId: b64(traceId),
    spanId: b64(span.spanId),
    ...(span.parentSpanId ? { parentSpanId: b64(span.parentSpanId) } : {}),
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: span.startNs.toString(),
    endTimeUnixNano: (span.startNs + span.durationNs).toString(),
    attributes: attributes(span.attributes),
    status: span.error ? { code: 'STATUS_CODE_ERROR' } : {},
  };
}

function resourceSpans(trace: StoredTrace) {
  return [
    {
      resource: { attributes: attributes(trace.resource) },
      scopeSpans: [
        {
          scope: { name: 'envoy' },
          spans: trace.spans.map(span => otlpSpan(trace.traceId, span)),
        },
      ],
    },
  ];
}

function searchSpan(span: StoredSpan) {
  return {
    spanID: span.spanId,
    name: span.name,
    startTimeUnixNano: span.startNs.toString(),
    durationNanos: span.durationNs.toString(),
    attributes: attributes(span.attributes),
  };
}

function intParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new TraceQlError(
      `invalid ${name} "${raw}": expected a non-negative number`,
    );
  }
  return value;
}

/** `GET /api/search` */
function search(spans: SpanStore, query: URLSearchParams) {
  const filter = parseTraceQl(query.get('q') ?? '{}');
  const limit = intParam(query, 'limit', 20);
  const spss = intParam(query, 'spss', 3);
  const nowS = Date.now() / 1000;
  const start =
    BigInt(Math.floor(intParam(query, 'start', 0))) * 1_000_000_000n;
  const end =
    BigInt(Math.ceil(intParam(query, 'end', nowS + 1))) * 1_000_000_000n;
  const traces = [];
  let inspected = 0;
  for (const trace of spans.newestFirst()) {
    if (traces.length >= limit) break;
    const startNs = traceStart(trace);
    if (startNs < start || startNs > end) continue;
    inspected += 1;
    const matched = matchingSpans(filter, trace);
    if (matched.length === 0) continue;
    const root = trace.spans.find(s => !s.parentSpanId) ?? trace.spans[0];
    const spanSet = {
      spans: matched.slice(0, spss).map(searchSpan),
      matched: matched.length,
    };
    traces.push({
      traceID: trace.traceId,
      rootServiceName:
        trace.resource['service.name'] ?? '<root span not yet received>',
      rootTraceName: root.name,
      startTimeUnixNano: startNs.toString(),
      durationMs: Math.max(1, Math.round(Number(traceDurationNs(trace)) / 1e6)),
      spanSet,
      spanSets: [spanSet],
    });
  }
  return {
    traces,
    metrics: {
      inspectedTraces: inspected,
      inspectedBytes: String(inspected * 1200),
      completedJobs: 1,
      totalJobs: 1,
    },
  };
}

/**
 * The Tempo HTTP API subset of istio-ambient.md §6: search with TraceQL,
 * trace by id (v1 `batches` and v2 `trace.resourceSpans`), echo, ready and
 * buildinfo. `X-Scope-OrgID` is accepted and ignored (single tenant).
 */
export function tempoHandler(spans: SpanStore) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://tempo');
    const path = url.pathname;
    if (req.method !== 'GET') {
      sendText(res, 405, 'method not allowed');
      return;
    }
    try {
      if (path === '/ready') return sendText(res, 200, 'ready');
      if (path === '/api/echo') return sendText(res, 200, 'echo');
      if (path === '/api/status/buildinfo') {
        return sendJson(res, 200, {
          version: TEMPO_VERSION,
          revision: 'mesh-sandbox',
          branch: 'HEAD',
          buildUser: 'mesh-sandbox',
          buildDate: '2026-01-01T00:00:00Z',
          goVersion: 'go1.24.0',
        });
      }
      if (path === '/api/search')
        return sendJson(res, 200, search(spans, url.searchParams));
      const v1 = /^\/api\/traces\/([0-9a-fA-F]{1,32})$/.exec(path);
      const v2 = /^\/api\/v2\/traces\/([0-9a-fA-F]{1,32})$/.exec(path);
      const id = v1?.[1] ?? v2?.[1];
      if (id) {
        const trace = spans.get(id);
        if (!trace) return sendText(res, 404, `trace not found: ${id}`);
        return sendJson(
          res,
          200,
          v1
            ? { batches: resourceSpans(trace) }
            : { trace: { resourceSpans: resourceSpans(trace) } },
        );
      }
      if (/^\/api(\/v2)?\/traces\//.test(path)) {
        return sendText(
          res,
          400,
          'invalid trace id: expected up to 32 hex characters',
        );
      }
      return sendText(res, 404, '404 page not found');
    } catch (error) {
      if (error instanceof TraceQlError)
        return sendText(res, 400, error.message);
      throw error;
    }
  };
}
