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
  ])('%s matches: %s', (query, expected) => {
    expect(matchingSpans(parseTraceQl(query), trace).length > 0).toBe(expected);
  });

  it.each([
    '{ a = "b" } && { c = "d" }',
    '{ (a = "b") }',
    '{ duration > fast }',
    '{ = }',
  ])('rejects %s', query => {
    expect(() => parseTraceQl(query)).toThrow(TraceQlError);
  });
});
