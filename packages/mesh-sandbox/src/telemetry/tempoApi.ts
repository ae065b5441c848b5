import { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendText } from '../http/serve';
import {
  SpanStore,
  StoredSpan,
  StoredTrace,
  traceDurationNs,
  traceStart,
} from './spanStore';
import {
  fetchesName,
  matchingSpans,
  parseTraceQl,
  returnedAttributes,
  TraceQlError,
  TraceQlQuery,
} from './traceql';

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

/**
 * A span of a search result as Tempo writes it (grafana/tempo v2.8.0
 * `pkg/traceql/engine.go` `asTraceSearchMetadata`): id, start, duration, `name`
 * only when the query fetched it, and only the attributes the query fetched.
 */
function searchSpan(query: TraceQlQuery, trace: StoredTrace, span: StoredSpan) {
  const fetched = returnedAttributes(query, trace, span);
  return {
    spanID: span.spanId,
    ...(fetchesName(query) ? { name: span.name } : {}),
    startTimeUnixNano: span.startNs.toString(),
    durationNanos: span.durationNs.toString(),
    ...(fetched.length > 0
      ? {
          attributes: fetched.map(({ key, value }) => ({
            key,
            value: { stringValue: value },
          })),
        }
      : {}),
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

/**
 * `GET /api/search`. Tempo "takes the first N results" it finds, not the newest
 * (docs/sources/tempo/api_docs, Search); with the hint `most_recent=true`
 * (pkg/traceql/engine.go `HintMostRecent`) it returns the newest. The sandbox
 * finds traces oldest first, and newest first with the hint.
 */
function search(spans: SpanStore, query: URLSearchParams) {
  const filter = parseTraceQl(query.get('q') ?? '{}');
  const mostRecent = filter.hints.most_recent === true;
  const limit = intParam(query, 'limit', 20);
  const spss = intParam(query, 'spss', 3);
  const nowS = Date.now() / 1000;
  const start =
    BigInt(Math.floor(intParam(query, 'start', 0))) * 1_000_000_000n;
  const end =
    BigInt(Math.ceil(intParam(query, 'end', nowS + 1))) * 1_000_000_000n;
  const traces = [];
  let inspected = 0;
  const candidates = mostRecent
    ? spans.newestFirst()
    : spans.newestFirst().reverse();
  for (const trace of candidates) {
    if (traces.length >= limit) break;
    const startNs = traceStart(trace);
    if (startNs < start || startNs > end) continue;
    inspected += 1;
    const matched = matchingSpans(filter, trace);
    if (matched.length === 0) continue;
    const root = trace.spans.find(s => !s.parentSpanId) ?? trace.spans[0];
    const spanSet = {
      spans: matched
        .slice(0, spss)
        .map(span => searchSpan(filter, trace, span)),
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
  // The query frontend's combiner keeps the first `limit` found and lists them
  // newest first (pkg/traceql/combine.go, anyCombiner/mostRecentCombiner Metadata)
  traces.sort((a, b) => {
    const x = BigInt(a.startTimeUnixNano);
    const y = BigInt(b.startTimeUnixNano);
    if (x === y) return 0;
    return x > y ? -1 : 1;
  });
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

/** A response of the Tempo API: JSON or plain text. */
type TempoResponse = { status: number; json?: unknown; text?: string };

function route(
  spans: SpanStore,
  path: string,
  query: URLSearchParams,
): TempoResponse {
  if (path === '/ready') return { status: 200, text: 'ready' };
  if (path === '/api/echo') return { status: 200, text: 'echo' };
  if (path === '/api/status/buildinfo') {
    return {
      status: 200,
      json: {
        version: TEMPO_VERSION,
        revision: 'mesh-sandbox',
        branch: 'HEAD',
        buildUser: 'mesh-sandbox',
        buildDate: '2026-01-01T00:00:00Z',
        goVersion: 'go1.24.0',
      },
    };
  }
  if (path === '/api/search')
    return { status: 200, json: search(spans, query) };
  const v1 = /^\/api\/traces\/([0-9a-fA-F]{1,32})$/.exec(path);
  const v2 = /^\/api\/v2\/traces\/([0-9a-fA-F]{1,32})$/.exec(path);
  const id = v1?.[1] ?? v2?.[1];
  if (id) {
    const trace = spans.get(id);
    if (!trace) return { status: 404, text: `trace not found: ${id}` };
    const batches = resourceSpans(trace);
    return {
      status: 200,
      json: v1 ? { batches } : { trace: { resourceSpans: batches } },
    };
  }
  if (/^\/api(\/v2)?\/traces\//.test(path)) {
    return {
      status: 400,
      text: 'invalid trace id: expected up to 32 hex characters',
    };
  }
  return { status: 404, text: '404 page not found' };
}

/**
 * The Tempo HTTP API subset of istio-ambient.md §6: search with TraceQL,
 * trace by id (v1 `batches` and v2 `trace.resourceSpans`), echo, ready and
 * buildinfo. `X-Scope-OrgID` is accepted and ignored (single tenant).
 */
export function tempoHandler(spans: SpanStore) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://tempo');
    let response: TempoResponse;
    if (req.method !== 'GET') {
      response = { status: 405, text: 'method not allowed' };
    } else {
      try {
        response = route(spans, url.pathname, url.searchParams);
      } catch (error) {
        if (!(error instanceof TraceQlError)) throw error;
        response = { status: 400, text: error.message };
      }
    }
    if (response.json !== undefined)
      sendJson(res, response.status, response.json);
    else sendText(res, response.status, response.text ?? '');
  };
}
