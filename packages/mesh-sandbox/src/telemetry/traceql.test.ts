import { matchingSpans, parseTraceQl, TraceQlError } from './traceql';
import { StoredTrace } from './spanStore';

const trace: StoredTrace = {
  traceId: 'a'.repeat(32),
  resource: { 'service.name': 'waypoint.microservices' },
  spans: [
    {
      spanId: 'b'.repeat(16),
      name: 'orders.microservices.svc.cluster.local:8080/api/orders',
      kind: 'SPAN_KIND_CLIENT',
      startNs: 1_000_000_000n,
      durationNs: 150_000_000n,
      attributes: { 'http.status_code': '503', 'http.method': 'GET' },
      error: true,
    },
  ],
};

const matches = (query: string) =>
  matchingSpans(parseTraceQl(query), trace).length > 0;

describe('TraceQL subset', () => {
  it.each([
    ['{}', true],
    ['', true],
    ['{ resource.service.name = "waypoint.microservices" }', true],
    [
      '{ resource.service.name = "orders.microservices.svc.cluster.local" }',
      false,
    ],
    ['{ span.http.status_code =~ "5.." }', true],
    ['{ span.http.status_code !~ "5.." }', false],
    ['{ .http.method = "GET" && duration > 100ms }', true],
    ['{ duration >= 1s }', false],
    ['{ duration < 0.2s && status = error }', true],
    ['{ traceDuration > 149ms }', true],
    ['{ span.http.status_code = "200" || kind = client }', true],
    ['{ name =~ ".*/api/orders" }', true],
    ['{ (span.http.method = "GET") }', true],
    ['{ span.http.method = "GET" } | select(span.http.url)', true],
    ['{ span.http.method = "GET" } with (most_recent=true)', true],
  ])('%s matches: %s', (query, expected) => {
    expect(matches(query)).toBe(expected);
  });

  // grafana/tempo v2.8.0 pkg/traceql/expr.y: `%left AND OR` puts && and || on one
  // precedence level, associating to the left, so `a || b && c` is `(a || b) && c`
  it.each([
    // (true || true) && false -> false; with && binding tighter it would be true
    [
      '{ span.http.method = "GET" || span.http.method = "PUT" && span.http.status_code = "200" }',
      false,
    ],
    [
      '{ span.http.method = "GET" || (span.http.method = "PUT" && span.http.status_code = "200") }',
      true,
    ],
    // (false && x) || true -> true either way
    [
      '{ span.http.method = "PUT" && span.http.status_code = "503" || span.http.status_code = "503" }',
      true,
    ],
    // ((true && false) || true) && false -> false
    [
      '{ (span.http.method = "GET" && duration > 1s) || span.http.status_code = "503" && duration > 1s }',
      false,
    ],
  ])(
    'evaluates %s as Tempo does, left to right (pkg/traceql/expr.y %%left AND OR): %s',
    (query, expected) => {
      expect(matches(query)).toBe(expected);
    },
  );

  it('reads select() and the most_recent hint (pkg/traceql/expr.y selectOperation, hints)', () => {
    const query = parseTraceQl(
      '{ span.http.status_code =~ "5.." } | select(span.http.method, span.http.url) with (most_recent=true)',
    );
    expect(query.selected).toEqual(['span.http.method', 'span.http.url']);
    expect(query.hints).toEqual({ most_recent: true });
  });

  it.each([
    '{ a = "b" } && { c = "d" }',
    '{ (span.a = "b" }',
    '{ duration > fast }',
    '{ = }',
    '{ span.a = "b" } | by(span.a)',
    '{ span.a = "b" } | select()',
  ])('rejects %s', query => {
    expect(() => parseTraceQl(query)).toThrow(TraceQlError);
  });
});
