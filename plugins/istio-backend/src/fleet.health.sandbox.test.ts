import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { FleetResponse } from '@ambient-mesh/plugin-istio-common';
import {
  RunningPrometheus,
  Sandbox,
  startPrometheus,
  startSandbox,
} from '@ambient-mesh/mesh-sandbox';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { componentEntity } from './__testUtils__/fixtures';
import { istioPlugin } from './plugin';

const WINDOW = '30s';
const WINDOW_MS = 30_000;
const ORDERS_ERROR_RATIO = 0.05;

// 50 components: two demo services and 48 with no workload in the cluster
const entities = [
  componentEntity('orders', 'microservices'),
  componentEntity('frontend', 'microservices'),
  ...Array.from({ length: 48 }, (_, i) =>
    componentEntity(`svc-${String(i).padStart(2, '0')}`, 'microservices'),
  ),
];

/**
 * A pass-through to the real Prometheus that keeps every PromQL query it
 * forwards (instant queries are POSTed as a form, PrometheusClient.post).
 */
function countingProxy(target: string) {
  const queries: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.startsWith('/api/v1/query')) {
        const q = new URLSearchParams(body.toString('utf8')).get('query');
        if (q) queries.push(q);
      }
      const headers = { ...req.headers };
      delete headers.host;
      const upstream = httpRequest(
        new URL(req.url ?? '/', target),
        { method: req.method, headers },
        up => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  return { server, queries };
}

describe('GET /v1/fleet health column over the sandbox and a real Prometheus', () => {
  let sandbox: Sandbox;
  let prometheus: RunningPrometheus;
  let proxy: ReturnType<typeof countingProxy>;
  let proxyServer: Server;
  let dir: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    sandbox = await startSandbox({
      waypointDelayMs: 0,
      traffic: {
        samplingPercent: 0,
        edges: [
          {
            source: { namespace: 'microservices', workload: 'frontend' },
            destination: { namespace: 'microservices', service: 'orders' },
            rps: 20,
            errorRatio: ORDERS_ERROR_RATIO,
            latencyMs: 30,
          },
        ],
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'istio-fleet-health-'));
    writeFileSync(join(dir, 'kubeconfig'), sandbox.kubeconfig);
    prometheus = await startPrometheus({
      scrapeUrl: sandbox.metricsUrl,
      scrapeInterval: '1s',
    });
    const scrapingSince = Date.now();
    proxy = countingProxy(prometheus.url);
    proxyServer = proxy.server;
    await new Promise<void>(resolve =>
      proxyServer.listen(0, '127.0.0.1', resolve),
    );
    const { port } = proxyServer.address() as AddressInfo;
    backend = await startTestBackend({
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
              prometheus: [
                { name: 'local', baseUrl: `http://127.0.0.1:${port}` },
              ],
              cacheTtlSeconds: 0,
            },
          },
        }),
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.factory(),
      ],
    });
    const wait = WINDOW_MS + 5_000 - (Date.now() - scrapingSince);
    await new Promise(resolve => setTimeout(resolve, Math.max(0, wait)));
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    proxyServer?.closeAllConnections();
    await new Promise(resolve => proxyServer?.close(resolve));
    await prometheus?.stop();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  const user = () => ({ Authorization: mockCredentials.user.header() });
  const fleet = () =>
    request(backend.server)
      .get(`/api/istio/v1/fleet?limit=50&window=${WINDOW}`)
      .set(user());

  it('answers for 50 entities in one request, their health read in one PromQL query, the cluster read from the watch-fed cache', async () => {
    const cacheStats = async () => {
      const stats = await request(backend.server)
        .get('/api/istio/cluster-cache')
        .set(user());
      return stats.body.clusters?.[0] ?? {};
    };
    // The cache watches the namespace the catalog's entities claim (the
    // catalog's CATALOG_FILTER_EXISTS filter), before any view asks for it
    let claimed = 0;
    for (let i = 0; i < 60 && claimed === 0; i++) {
      claimed = (await cacheStats()).namespaces ?? 0;
      if (claimed === 0) await new Promise(r => setTimeout(r, 500));
    }
    expect(claimed).toBe(1);
    // Measure once those informers have listed
    let ready = false;
    for (let i = 0; i < 240 && !ready; i++) {
      const warm = await fleet();
      expect(warm.status).toBe(200);
      ready = (await cacheStats()).syncing === 0;
      if (!ready) await new Promise(r => setTimeout(r, 250));
    }
    expect(ready).toBe(true);

    const since = Date.now();
    proxy.queries.length = 0;
    const res = await fleet();
    expect(res.status).toBe(200);
    const body = res.body as FleetResponse;
    expect(body.items).toHaveLength(50);
    expect(body.nextCursor).toBeUndefined();

    // One health query for the whole page, naming every entity's Service
    const healthQueries = proxy.queries.filter(q =>
      q.includes('response_code) (rate('),
    );
    expect({ items: body.items.slice(0, 2), healthQueries }).toMatchObject({
      healthQueries: [expect.any(String)],
    });
    for (const e of entities) {
      expect(healthQueries[0]).toContain(e.metadata.name);
    }
    // No per-entity Kubernetes read (watches excluded) while answering: only
    // the cluster's control plane config (istio-system), once per cluster
    const reads = sandbox.requestLog
      .list(
        e =>
          e.server === 'kubernetes' &&
          e.time >= since &&
          !/(^|&)watch=(true|1)/.test(e.query),
      )
      .map(e => `${e.method} ${e.path}?${e.query} (${e.user})`);
    expect(reads.filter(r => !r.includes('/namespaces/istio-system/'))).toEqual(
      [],
    );
    expect(reads.length).toBeLessThanOrEqual(2);
  }, 120_000);

  it('grades orders from its waypoint error ratio and leaves services no waypoint reports unknown', async () => {
    const res = await fleet();
    const body = res.body as FleetResponse;
    const cluster = (name: string) =>
      body.items.find(i => i.entityRef === `component:default/${name}`)!
        .clusters[0];
    const health = (name: string) => cluster(name).health;
    expect(cluster('orders')).toMatchObject({
      cluster: 'sandbox',
      namespace: 'microservices',
      health: { grade: expect.any(String) },
    });
    const orders = health('orders')!;
    // istio-common gradeHealth (Kiali's defaults): any 5xx is degraded, 10 % a failure
    expect(orders.grade).toBe('degraded');
    expect(orders.rps).toBeGreaterThan(10);
    expect(orders.errorRatio5xx).toBeGreaterThan(0);
    expect(orders.errorRatio5xx).toBeLessThan(0.1);
    expect(health('frontend')).toEqual({
      grade: 'unknown',
      rps: null,
      errorRatio5xx: null,
      errorRatio4xx: null,
    });
    expect(health('svc-07')?.grade).toBe('unknown');
  }, 30_000);
});
