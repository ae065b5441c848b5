/**
 * @jest-environment node
 */
// A Node-only test: the sandbox (a devDependency) serves a Tempo-compatible search API.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { Sandbox, startSandbox } from '@ambient-mesh/mesh-sandbox';
import { buildTraceQuery, traceServiceNames } from './traceQueries';

interface SearchResponse {
  traces: Array<{
    traceID: string;
    spanSets: Array<{
      spans: Array<{
        attributes: Array<{ key: string; value: { stringValue?: string } }>;
      }>;
    }>;
  }>;
}

const FQDN = 'orders.microservices.svc.cluster.local';

describe('TraceQL builders against the sandbox Tempo API (Istio 1.24-1.27 span names)', () => {
  let sandbox: Sandbox;

  // Tempo returns only the attributes a query fetches (grafana/tempo v2.8.0
  // pkg/traceql/engine.go): to read upstream_cluster back, the test selects it too,
  // in a pipeline stage before the query hints (pkg/traceql/expr.y: root hints)
  function selectingUpstream(q: string): string {
    const hints = q.indexOf(' with (');
    const head = hints < 0 ? q : q.slice(0, hints);
    const tail = hints < 0 ? '' : q.slice(hints);
    return `${head} | select(span.upstream_cluster)${tail}`;
  }

  async function search(
    query: string,
  ): Promise<{ status: number; body: SearchResponse }> {
    const q = selectingUpstream(query);
    const url = new URL('/api/search', sandbox.tempoUrl);
    url.search = new URLSearchParams({ q, limit: '50', spss: '20' }).toString();
    const response = await fetch(url);
    return {
      status: response.status,
      body: response.ok ? await response.json() : undefined,
    };
  }

  function upstreamClusters(body: SearchResponse): string[] {
    return body.traces.flatMap(t =>
      t.spanSets.flatMap(s =>
        s.spans.flatMap(span =>
          span.attributes
            .filter(a => a.key === 'upstream_cluster')
            .map(a => a.value.stringValue ?? ''),
        ),
      ),
    );
  }

  const serviceNames = traceServiceNames({
    service: 'orders',
    namespace: 'microservices',
    waypoint: 'waypoint',
  });

  beforeAll(async () => {
    sandbox = await startSandbox({
      spanServiceName: 'waypoint',
      waypointDelayMs: 50,
      tickMs: 100,
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const all = await search(
        buildTraceQuery({ kind: 'recent', serviceNames }),
      );
      const clusters = all.body ? upstreamClusters(all.body) : [];
      // Wait for spans of orders and of another service behind the same waypoint.
      if (
        clusters.some(c => c.endsWith(`|${FQDN}`)) &&
        clusters.some(c => !c.endsWith(`|${FQDN}`))
      ) {
        break;
      }
      if (Date.now() > deadline)
        throw new Error('the sandbox produced no spans in 30 s');
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it.each(['recent', 'slow', 'errors'] as const)(
    'the %s query is accepted',
    async kind => {
      const { status } = await search(
        buildTraceQuery({
          kind,
          serviceNames,
          serviceFqdn: FQDN,
          minDurationMs: 1,
        }),
      );
      expect(status).toBe(200);
    },
  );

  it('without narrowing, the shared waypoint name matches other services too', async () => {
    const { body } = await search(
      buildTraceQuery({ kind: 'recent', serviceNames }),
    );
    expect(upstreamClusters(body).some(c => !c.endsWith(`|${FQDN}`))).toBe(
      true,
    );
  });

  it('with the service FQDN, only spans of that service match', async () => {
    const { body } = await search(
      buildTraceQuery({ kind: 'recent', serviceNames, serviceFqdn: FQDN }),
    );
    const clusters = upstreamClusters(body);
    expect(clusters.length).toBeGreaterThan(0);
    expect(clusters.filter(c => !c.endsWith(`|${FQDN}`))).toEqual([]);
  });

  // grafana/tempo v2.8.0 pkg/traceql/engine.go: spans carry only fetched attributes;
  // the recent query references no status code, so it must select it
  it('the recent query gets back the status code, method and URL the table shows', async () => {
    const url = new URL('/api/search', sandbox.tempoUrl);
    url.search = new URLSearchParams({
      q: buildTraceQuery({ kind: 'recent', serviceNames, serviceFqdn: FQDN }),
      limit: '5',
    }).toString();
    const body = (await (await fetch(url)).json()) as SearchResponse;
    expect(body.traces.length).toBeGreaterThan(0);
    for (const trace of body.traces) {
      const keys = trace.spanSets[0].spans[0].attributes.map(a => a.key);
      expect(keys).toEqual(
        expect.arrayContaining(['http.status_code', 'http.method', 'http.url']),
      );
    }
  });
});
