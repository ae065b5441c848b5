import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityTraceResponse,
  EntityTracesResponse,
  EntityTrafficGraphResponse,
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
import { componentEntity } from '../__testUtils__/fixtures';
import { istioPlugin } from '../plugin';

const ORDERS_RPS = 20;
const ORDERS_ERROR_RATIO = 0.05;
const WINDOW = '30s';
const WINDOW_MS = 30_000;

const entities = [
  componentEntity('orders', 'microservices'),
  componentEntity('frontend', 'microservices'),
  componentEntity('reports', 'reporting'),
];

describe('traffic graph and trace routes over the sandbox, a real Prometheus and the sandbox Tempo API', () => {
  let sandbox: Sandbox;
  let prometheus: RunningPrometheus;
  let dir: string;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  async function startBackend(
    result?: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
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
              tempo: [
                {
                  name: 'sandbox',
                  baseUrl: sandbox.tempoUrl,
                  grafanaUrl: 'https://grafana.example.com',
                  grafanaDatasourceUid: 'tempo',
                },
              ],
              cacheTtlSeconds: 0,
            },
          },
        }),
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.factory(result ? { result } : undefined),
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
            latencyMs: 30,
          },
          {
            source: { namespace: 'microservices', workload: 'orders' },
            destination: { namespace: 'reporting', service: 'reports' },
            rps: 3,
          },
        ],
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'istio-graph-'));
    writeFileSync(join(dir, 'kubeconfig'), sandbox.kubeconfig);
    prometheus = await startPrometheus({
      scrapeUrl: sandbox.metricsUrl,
      scrapeInterval: '1s',
    });
    const scrapingSince = Date.now();
    server = await startBackend();
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

  it('draws the callers of orders from the waypoint series and the service it calls, linked to the catalog', async () => {
    const response = await request(server)
      .get(`${path('orders', 'graph')}?window=${WINDOW}`)
      .set(user());
    expect(response.status).toBe(200);
    const [result] = (response.body as EntityTrafficGraphResponse).clusters;
    expect(result.error).toBeUndefined();
    const graph = result.data!;
    const frontend = graph.nodes.find(n => n.role === 'caller');
    expect(frontend).toMatchObject({
      name: 'frontend',
      namespace: 'microservices',
      entityRef: 'component:default/frontend',
    });
    // Behind the waypoint, the waypoint itself is never shown as a caller
    expect(
      graph.nodes.filter(n => n.role === 'caller').map(n => n.name),
    ).toEqual(['frontend']);
    const inbound = graph.edges.find(e => e.source === frontend!.id)!;
    expect(inbound.layer).toBe('L7');
    expect(Math.abs(inbound.rate - ORDERS_RPS) / ORDERS_RPS).toBeLessThan(0.1);
    expect(Math.abs(inbound.errorRatio! - ORDERS_ERROR_RATIO)).toBeLessThan(
      0.01,
    );
    expect(inbound.mtlsShare).toBeCloseTo(1, 2);

    const reports = graph.nodes.find(n => n.role === 'callee');
    expect(reports).toMatchObject({
      name: 'reports',
      namespace: 'reporting',
      entityRef: 'component:default/reports',
    });
    const outbound = graph.edges.find(e => e.target === reports!.id)!;
    expect(outbound.rate).toBeGreaterThan(0);
  });

  it('answers the spans of a listed trace from Tempo /api/v2/traces/{id}, with the Explore link', async () => {
    const list = await request(server)
      .get(`${path('orders', 'traces')}?kind=recent&limit=3`)
      .set(user());
    const listed = (list.body as EntityTracesResponse).clusters[0].data!;
    expect(listed.traces.length).toBeGreaterThan(0);
    const traceId = listed.traces[0].traceId;

    const response = await request(server)
      .get(path('orders', `traces/${traceId}`))
      .set(user());
    expect(response.status).toBe(200);
    const [result] = (response.body as EntityTraceResponse).clusters;
    expect(result.error).toBeUndefined();
    const trace = result.data!;
    expect(trace.traceId).toBe(traceId.toLowerCase());
    expect(trace.spans.length).toBeGreaterThan(0);
    for (const span of trace.spans) {
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(span.serviceName).not.toBe('unknown');
    }
    expect(trace.durationMs).toBeGreaterThan(0);
    expect(trace.link).toContain('https://grafana.example.com/explore?left=');
  });

  it('refuses a trace id that is not hex, and says when Tempo has no such trace', async () => {
    const bad = await request(server)
      .get(path('orders', 'traces/not-a-trace'))
      .set(user());
    expect(bad.status).toBe(400);

    const unknown = await request(server)
      .get(path('orders', 'traces/00000000000000000000000000abcdef'))
      .set(user());
    expect(unknown.status).toBe(200);
    expect(unknown.body.clusters[0].error).toMatchObject({
      name: 'NotFoundError',
    });
    expect(unknown.body.clusters[0].error.message).toContain(
      '00000000000000000000000000abcdef',
    );
  });

  it('needs istio.entity.read for the graph and the trace', async () => {
    const denied = await startBackend(AuthorizeResult.DENY);
    for (const rest of ['graph', 'traces/0af7651916cd43dd8448eb211c80319c']) {
      const response = await request(denied)
        .get(path('orders', rest))
        .set(user());
      expect(response.status).toBe(403);
      expect(response.body.error.message).toContain('istio.entity.read');
    }
  });
});
