import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SpanStore, StoredTrace } from './spanStore';
import { tempoHandler } from './tempoApi';

const FQDN = 'orders.microservices.svc.cluster.local';

function trace(index: number, code: string): StoredTrace {
  const hex = index.toString(16).padStart(2, '0');
  return {
    traceId: hex.repeat(16),
    resource: { 'service.name': FQDN, 'k8s.namespace.name': 'microservices' },
    spans: [
      {
        spanId: hex.repeat(8),
        name: `${FQDN}:8080/api/orders`,
        kind: 'SPAN_KIND_CLIENT',
        startNs: BigInt(1_700_000_000 + index) * 1_000_000_000n,
        durationNs: 20_000_000n,
        attributes: {
          'http.method': 'GET',
          'http.status_code': code,
          'http.url': `http://${FQDN}:8080/api/orders`,
          upstream_cluster: `inbound-vip|8080|http|${FQDN}`,
        },
        error: code.startsWith('5'),
      },
    ],
  };
}

describe('the sandbox Tempo search (grafana/tempo v2.8.0 api_docs, pkg/traceql/engine.go, combine.go)', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const spans = new SpanStore();
    for (let i = 1; i <= 10; i += 1) spans.add(trace(i, i % 2 ? '503' : '200'));
    server = createServer(tempoHandler(spans));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });

  async function search(q: string, limit = 20) {
    const params = new URLSearchParams({
      q,
      limit: String(limit),
      start: '1600000000',
      end: '1800000000',
    });
    const response = await fetch(`${base}/api/search?${params}`);
    expect(response.status).toBe(200);
    return (await response.json()) as {
      traces: Array<{
        traceID: string;
        startTimeUnixNano: string;
        spanSets: Array<{
          spans: Array<{
            name?: string;
            attributes?: Array<{ key: string; value: { stringValue: string } }>;
          }>;
          matched: number;
        }>;
      }>;
    };
  }

  const keysOf = (body: Awaited<ReturnType<typeof search>>) =>
    body.traces.map(t =>
      (t.spanSets[0].spans[0].attributes ?? []).map(a => a.key).sort(),
    );

  // engine.go asTraceSearchMetadata: span attributes are those the query fetched
  it('returns only the attributes the query references, unscoped (pkg/traceql/engine.go)', async () => {
    const body = await search(`{ resource.service.name = "${FQDN}" }`);
    expect(body.traces.length).toBeGreaterThan(0);
    expect(new Set(keysOf(body).map(k => k.join()))).toEqual(
      new Set(['service.name']),
    );
    expect(body.traces[0].spanSets[0].spans[0].name).toBeUndefined();
  });

  it('adds the attributes named by select() (pkg/traceql/expr.y selectOperation)', async () => {
    const body = await search(
      `{ span.http.status_code =~ "5.." } | select(span.http.method, span.http.url)`,
    );
    expect(body.traces.length).toBe(5);
    for (const keys of keysOf(body)) {
      expect(keys).toEqual(['http.method', 'http.status_code', 'http.url']);
    }
  });

  // api_docs: "takes the first N results"; combine.go keeps the first `limit` found
  // unless most_recent, and lists them newest first
  it('keeps the first traces found unless with (most_recent=true)', async () => {
    const first = await search('{ span.http.method = "GET" }', 3);
    const newest = await search(
      '{ span.http.method = "GET" } with (most_recent=true)',
      3,
    );
    const seconds = (body: Awaited<ReturnType<typeof search>>) =>
      body.traces.map(t =>
        Number(BigInt(t.startTimeUnixNano) / 1_000_000_000n),
      );
    expect(seconds(newest)).toEqual([
      1_700_000_010, 1_700_000_009, 1_700_000_008,
    ]);
    expect(seconds(first)).toEqual([
      1_700_000_003, 1_700_000_002, 1_700_000_001,
    ]);
  });

  it('evaluates && and || left to right and accepts parentheses (pkg/traceql/expr.y)', async () => {
    const flat = await search(
      `{ span.http.status_code = "200" || span.http.status_code = "503" && span.http.method = "POST" }`,
    );
    expect(flat.traces).toEqual([]);
    const grouped = await search(
      `{ span.http.status_code = "200" || (span.http.status_code = "503" && span.http.method = "POST") }`,
    );
    expect(grouped.traces).toHaveLength(5);
  });
});
