import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityMeshResponse,
  EntityMetricsResponse,
  EntityTracesResponse,
} from '@ambient-mesh/plugin-istio-common';
import {
  RunningPrometheus,
  Sandbox,
  startPrometheus,
  startSandbox,
} from '@ambient-mesh/mesh-sandbox';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { bucketIndex, componentEntity } from './__testUtils__/fixtures';
import { istioPlugin } from './plugin';

// The seeded traffic the metrics are checked against
const ORDERS_RPS = 20;
const ORDERS_ERROR_RATIO = 0.05;
const ORDERS_MEDIAN_LATENCY_MS = 30;
// The sandbox draws latencies from a log-normal with sigma 0.5 around the
// median, so the true p95 is median * e^(0.5 * 1.645)
const ORDERS_TRUE_P95_MS = ORDERS_MEDIAN_LATENCY_MS * Math.exp(0.5 * 1.645);
// A window of 30 scrapes keeps the scrape-timing jitter of a loaded machine
// well inside the 10 % tolerance
// Some tests start a second backend; that alone can take seconds on a loaded machine
jest.setTimeout(30_000);

const WINDOW = '30s';
const WINDOW_MS = 30_000;

/** An entity set up as the Kubernetes plugin documents: `backstage.io/kubernetes-id` only. */
function idOnlyEntity(name: string) {
  const entity = componentEntity(name, 'unused');
  entity.metadata.name = `${name}-id-only`;
  delete entity.metadata.annotations!['backstage.io/kubernetes-namespace'];
  return entity;
}

const entities = [
  componentEntity('orders', 'microservices'),
  componentEntity('reports', 'reporting'),
  // Deployment productpage-v1 behind Service productpage (the sandbox's
  // bookinfo-like app, denied for microservices by a mixed L4/L7 DENY)
  componentEntity('productpage', 'bookinfo'),
  idOnlyEntity('orders'),
  idOnlyEntity('nowhere'),
];
const PRODUCTPAGE_FROM_FRONTEND_RPS = 4;
const PRODUCTPAGE_FROM_REPORTS_RPS = 2;

describe('istio backend over the sandbox and a real Prometheus', () => {
  let sandbox: Sandbox;
  let prometheus: RunningPrometheus;
  let dir: string;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  async function startBackend(
    overrides: { result?: AuthorizeResult.ALLOW | AuthorizeResult.DENY } = {},
    istio: Record<string, unknown> = {},
  ) {
    const backend = await startTestBackend({
      features: [
        istioPlugin,
        mockServices.rootConfig.factory({
          data: {
            istio: {
              localKubeconfig: {
                path: join(dir, 'kubeconfig'),
                context: 'sandbox-readonly',
                name: 'sandbox',
              },
              prometheus: [{ name: 'local', baseUrl: prometheus.url }],
              tempo: [{ name: 'sandbox', baseUrl: sandbox.tempoUrl }],
              cacheTtlSeconds: 0,
              ...istio,
            },
          },
        }),
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.factory(
          overrides.result ? { result: overrides.result } : undefined,
        ),
      ],
    });
    return backend.server;
  }

  beforeAll(async () => {
    sandbox = await startSandbox({
      waypointDelayMs: 0,
      traffic: {
        samplingPercent: 100,
        edges: [
          {
            source: { namespace: 'microservices', workload: 'frontend' },
            destination: { namespace: 'microservices', service: 'orders' },
            rps: ORDERS_RPS,
            errorRatio: ORDERS_ERROR_RATIO,
            latencyMs: ORDERS_MEDIAN_LATENCY_MS,
          },
          {
            source: { namespace: 'microservices', workload: 'orders' },
            destination: { namespace: 'reporting', service: 'reports' },
            rps: 3,
          },
          {
            source: { namespace: 'microservices', workload: 'frontend' },
            destination: { namespace: 'bookinfo', service: 'productpage' },
            rps: PRODUCTPAGE_FROM_FRONTEND_RPS,
          },
          {
            source: { namespace: 'reporting', workload: 'reports' },
            destination: { namespace: 'bookinfo', service: 'productpage' },
            rps: PRODUCTPAGE_FROM_REPORTS_RPS,
          },
        ],
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'istio-backend-'));
    writeFileSync(join(dir, 'kubeconfig'), sandbox.kubeconfig);
    prometheus = await startPrometheus({
      scrapeUrl: sandbox.metricsUrl,
      scrapeInterval: '1s',
    });
    const scrapingSince = Date.now();
    server = await startBackend();
    // A rate over the window needs the window's worth of samples, and a few more
    const wait = WINDOW_MS + 5_000 - (Date.now() - scrapingSince);
    await new Promise(resolve => setTimeout(resolve, Math.max(0, wait)));
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const user = () => ({ Authorization: mockCredentials.user.header() });
  const path = (name: string, rest: string) =>
    `/api/istio/v1/entities/component/default/${name}/${rest}`;

  it('answers health without a token, and 401 elsewhere', async () => {
    await request(server)
      .get('/api/istio/health')
      .expect(200, { status: 'ok' });
    const response = await request(server)
      .get(path('orders', 'mesh'))
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
  });

  it('refuses an entity the permission policy hides', async () => {
    const denied = await startBackend({ result: AuthorizeResult.DENY });
    const response = await request(denied)
      .get(path('orders', 'mesh'))
      .set(user());
    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain('istio.entity.read');
  });

  it('answers 404 for an unknown entity and 400 for a bad window', async () => {
    await request(server).get(path('nope', 'mesh')).set(user()).expect(404);
    const bad = await request(server)
      .get(`${path('orders', 'metrics')}?window=5m%22%7D`)
      .set(user());
    expect(bad.status).toBe(400);
  });

  it('reports golden signals close to the seeded traffic', async () => {
    const response = await request(server)
      .get(`${path('orders', 'metrics')}?window=${WINDOW}&range=5m`)
      .set(user());
    expect(response.status).toBe(200);
    const body = response.body as EntityMetricsResponse;
    const [result] = body.clusters;
    expect(result.error).toBeUndefined();
    const metrics = result.data!;

    expect(metrics.layer).toBe('L7');
    const golden = metrics.golden!;
    expect(Math.abs(golden.rps! - ORDERS_RPS) / ORDERS_RPS).toBeLessThan(0.1);
    expect(Math.abs(golden.errorRatio5xx! - ORDERS_ERROR_RATIO)).toBeLessThan(
      0.01,
    );
    expect(
      Math.abs(bucketIndex(golden.p95Ms!) - bucketIndex(ORDERS_TRUE_P95_MS)),
    ).toBeLessThanOrEqual(1);
    expect(metrics.traffic.map(t => t.sourceWorkload)).toEqual(['frontend']);
    expect(metrics.series.rps!.length).toBeGreaterThan(0);
  });

  // istio/ztunnel 1.28.0 src/proxy/metrics.rs: destination_workload is the
  // Deployment (productpage-v1), destination_service_name the Service; denied
  // connections are response_flags="DENY" on the destination side
  // (src/proxy/inbound.rs); callers come from reporter="source" plus the
  // plaintext callers only the destination sees
  it('reports L4 signals of a Service whose Deployment is named unlike it, with the connections its policy denies (ztunnel src/proxy/metrics.rs)', async () => {
    const response = await request(server)
      .get(`${path('productpage', 'metrics')}?window=${WINDOW}&range=5m`)
      .set(user());
    expect(response.status).toBe(200);
    const [result] = (response.body as EntityMetricsResponse).clusters;
    expect(result.error).toBeUndefined();
    const metrics = result.data!;
    expect(metrics.layer).toBe('L4');
    const total = PRODUCTPAGE_FROM_FRONTEND_RPS + PRODUCTPAGE_FROM_REPORTS_RPS;
    expect(
      Math.abs(metrics.l4.connectionsPerSecond! - total) / total,
    ).toBeLessThan(0.1);
    expect(
      Math.abs(metrics.l4.deniedPerSecond! - PRODUCTPAGE_FROM_FRONTEND_RPS) /
        PRODUCTPAGE_FROM_FRONTEND_RPS,
    ).toBeLessThan(0.1);
    expect(metrics.l4.mtlsShare!).toBeCloseTo(
      PRODUCTPAGE_FROM_FRONTEND_RPS / total,
      1,
    );
    expect(metrics.traffic.map(t => t.sourceWorkload).sort()).toEqual([
      'frontend',
      'reports',
    ]);
  });

  it('reports the mesh with an observed mTLS share of 1 when enrolled and 0 when not', async () => {
    const enrolled = await request(server)
      .get(path('orders', 'mesh'))
      .set(user());
    expect(enrolled.status).toBe(200);
    const orders = (enrolled.body as EntityMeshResponse).clusters[0].data!;
    expect(orders.enrollment.mode).toBe('ambient');
    expect(orders.enrollment.podCounts.captured).toBeGreaterThan(0);
    expect(orders.waypoint.kind).toBe('waypoint');
    expect(orders.mtls.observedShare).toBeCloseTo(1, 2);

    const notEnrolled = await request(server)
      .get(path('reports', 'mesh'))
      .set(user());
    const reports = (notEnrolled.body as EntityMeshResponse).clusters[0].data!;
    expect(reports.enrollment.mode).toBe('none');
    expect(reports.mtls.observedShare).toBe(0);
    expect(reports.diagnostics.map(d => d.id)).toContain(
      'namespace-not-enrolled',
    );
  });

  /**
   * The API queries Prometheus has answered so far, from its own live counter
   * `prometheus_http_requests_total` on /metrics (a PromQL read of the counter
   * would see only its last scrape).
   */
  async function prometheusQueries() {
    const text = await (await fetch(`${prometheus.url}/metrics`)).text();
    let total = 0;
    for (const line of text.split('\n')) {
      const match = line.match(
        /^prometheus_http_requests_total\{[^}]*handler="\/api\/v1\/(query|query_range)"[^}]*\} (\S+)$/,
      );
      if (match) total += Number(match[2]);
    }
    return total;
  }

  it('serves the observed mTLS of a second view from the cache, for any spelling of the same window', async () => {
    // startTestBackend stops the backend after the suite
    const cached = await startBackend({}, { cacheTtlSeconds: 300 });
    const before = await prometheusQueries();
    const first = await request(cached)
      .get(`${path('orders', 'mesh')}?window=1m`)
      .set(user());
    expect(first.status).toBe(200);
    const afterFirst = await prometheusQueries();
    // the first view asks Prometheus (observed mTLS and scrape targets)
    expect(afterFirst).toBeGreaterThan(before);
    for (const window of ['1m', '60s']) {
      const again = await request(cached)
        .get(`${path('orders', 'mesh')}?window=${window}`)
        .set(user());
      expect(again.status).toBe(200);
      expect(
        (again.body as EntityMeshResponse).clusters[0].data!.mtls.observedShare,
      ).toBe(
        (first.body as EntityMeshResponse).clusters[0].data!.mtls.observedShare,
      );
    }
    expect(await prometheusQueries()).toBe(afterFirst);
  });

  it('finds the namespace of an entity with only backstage.io/kubernetes-id from where its pods run', async () => {
    const mesh = await request(server)
      .get(path('orders-id-only', 'mesh'))
      .set(user());
    expect(mesh.status).toBe(200);
    const [result, ...others] = (mesh.body as EntityMeshResponse).clusters;
    expect(others).toEqual([]);
    expect(result.cluster).toBe('sandbox');
    expect(result.namespace).toBe('microservices');
    expect(result.data!.enrollment.mode).toBe('ambient');
    expect(result.data!.enrollment.podCounts.captured).toBeGreaterThan(0);

    const metrics = await request(server)
      .get(`${path('orders-id-only', 'metrics')}?window=${WINDOW}`)
      .set(user());
    const clusterMetrics = (metrics.body as EntityMetricsResponse).clusters;
    expect(clusterMetrics.map(c => [c.cluster, c.namespace])).toEqual([
      ['sandbox', 'microservices'],
    ]);
    expect(clusterMetrics[0].error).toBeUndefined();

    const none = await request(server)
      .get(path('nowhere-id-only', 'mesh'))
      .set(user());
    expect(none.status).toBe(200);
    const [missing] = (none.body as EntityMeshResponse).clusters;
    expect(missing.error).toMatchObject({ name: 'NotFoundError' });
    expect(missing.error!.message).toContain(
      'No pods labelled backstage.io/kubernetes-id=nowhere run in cluster sandbox',
    );
  });

  it('lists traces through the waypoint, and says why there are none without one', async () => {
    const response = await request(server)
      .get(`${path('orders', 'traces')}?kind=errors&limit=5`)
      .set(user());
    expect(response.status).toBe(200);
    const [result] = (response.body as EntityTracesResponse).clusters;
    expect(result.error).toBeUndefined();
    const orders = result.data!;
    expect(orders.traces.length).toBeGreaterThan(0);
    expect(orders.traces.length).toBeLessThanOrEqual(5);
    expect(orders.traces.every(t => t.statusCode?.startsWith('5'))).toBe(true);

    // The recent query references no status code: it selects the attributes the
    // table shows (grafana/tempo v2.8.0 pkg/traceql/engine.go)
    const recent = await request(server)
      .get(`${path('orders', 'traces')}?kind=recent&limit=5`)
      .set(user());
    const recentTraces = (recent.body as EntityTracesResponse).clusters[0].data!
      .traces;
    expect(recentTraces.length).toBeGreaterThan(0);
    for (const trace of recentTraces) {
      expect(trace.statusCode).toMatch(/^[2-5]\d\d$/);
      expect(trace.method).toMatch(/^(GET|POST)$/);
      expect(trace.path).toMatch(/^\//);
    }

    const none = await request(server)
      .get(path('reports', 'traces'))
      .set(user());
    const reports = (none.body as EntityTracesResponse).clusters[0].data!;
    expect(reports.noSpansReason).toBe('no-waypoint');
    expect(reports.traces).toEqual([]);
  });

  it('keeps the mesh data when Prometheus is unreachable', async () => {
    const blind = await startBackend(
      {},
      { prometheus: [{ name: 'gone', baseUrl: 'http://127.0.0.1:9' }] },
    );
    const response = await request(blind)
      .get(path('orders', 'mesh'))
      .set(user());
    expect(response.status).toBe(200);
    const orders = (response.body as EntityMeshResponse).clusters[0].data!;
    expect(orders.enrollment.mode).toBe('ambient');
    expect(orders.mtls.observedShare).toBeNull();
    expect(orders.mtls.observedError?.message).toContain("Prometheus 'gone'");

    const metrics = await request(blind)
      .get(path('orders', 'metrics'))
      .set(user());
    expect(metrics.status).toBe(200);
    expect(metrics.body.clusters[0].error.message).toContain(
      "Prometheus 'gone'",
    );
  });

  it('errs only in the traces section when Tempo is unreachable', async () => {
    const noTempo = await startBackend(
      {},
      { tempo: [{ name: 'gone', baseUrl: 'http://127.0.0.1:9' }] },
    );
    const traces = await request(noTempo)
      .get(path('orders', 'traces'))
      .set(user());
    expect(traces.status).toBe(200);
    expect(traces.body.clusters[0].error.message).toContain("Tempo 'gone'");

    const mesh = await request(noTempo).get(path('orders', 'mesh')).set(user());
    expect(mesh.body.clusters[0].data.enrollment.mode).toBe('ambient');
    const metrics = await request(noTempo)
      .get(path('orders', 'metrics'))
      .set(user());
    expect(metrics.body.clusters[0].data.layer).toBe('L7');
  });

  it('answers a slow Kubernetes within the deadline with a timeout error', async () => {
    const hurried = await startBackend(
      {},
      { timeouts: { kubernetesMs: 1000 } },
    );
    sandbox.faults.add({ server: 'kubernetes', path: '*', delayMs: 3000 });
    try {
      const started = Date.now();
      const response = await request(hurried)
        .get(path('orders', 'mesh'))
        .set(user());
      expect(Date.now() - started).toBeLessThan(2000);
      expect(response.status).toBe(200);
      expect(response.body.clusters[0].error.message).toMatch(
        /Kubernetes cluster 'sandbox' did not answer within 1000 ms/,
      );
    } finally {
      sandbox.faults.clear();
    }
  });
});
