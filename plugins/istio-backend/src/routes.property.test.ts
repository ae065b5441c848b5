import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import { componentEntity } from './__testUtils__/fixtures';
import { istioPlugin } from './plugin';

jest.setTimeout(300_000);

/** A local HTTP listener counting the requests it gets. */
async function listen(answer: (url: string) => unknown) {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits += 1;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(answer(req.url ?? '')));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () => new Promise(r => server.close(r)),
  };
}

/*
 * Hostile path parts and query parameters (windows, ranges, kinds, limits)
 * against the read routes, with entities whose annotations name URLs,
 * unknown or other clusters' instances and protected namespaces.
 */
describe('the read routes under hostile input', () => {
  let sandbox: Sandbox;
  let dir: string;
  let trap: Awaited<ReturnType<typeof listen>>;
  let prometheus: Awaited<ReturnType<typeof listen>>;
  let tempo: Awaited<ReturnType<typeof listen>>;
  let server: any;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    sandbox = await startSandbox({ tickMs: 5000 });
    dir = mkdtempSync(join(tmpdir(), 'istio-routes-'));
    writeFileSync(join(dir, 'kubeconfig'), sandbox.kubeconfig);
    trap = await listen(() => ({}));
    prometheus = await listen(() => ({
      status: 'success',
      data: { resultType: 'vector', result: [] },
    }));
    tempo = await listen(() => ({ traces: [] }));
    const entities = [
      componentEntity('orders', 'microservices'),
      componentEntity('by-url', 'microservices', {
        'istio.ambient-mesh.io/prometheus': `${trap.url}/`,
        'istio.ambient-mesh.io/tempo': `${trap.url}/`,
      }),
      componentEntity('other-cluster', 'microservices', {
        'istio.ambient-mesh.io/prometheus': 'eu',
      }),
      componentEntity('protected', 'kube-system'),
      componentEntity('root', 'istio-system'),
      componentEntity('selector', 'microservices', {
        'backstage.io/kubernetes-label-selector': 'app in (orders),x!=y',
        'backstage.io/kubernetes-cluster': `${trap.url}`,
      }),
    ];
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
              prometheus: [
                {
                  name: 'local',
                  baseUrl: prometheus.url,
                  clusters: ['sandbox'],
                },
                { name: 'eu', baseUrl: `${trap.url}/eu`, clusters: ['eu'] },
              ],
              tempo: [{ name: 'local', baseUrl: tempo.url }],
              cacheTtlSeconds: 0,
            },
          },
        }),
        catalogServiceMock.factory({ entities }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    await Promise.all([trap?.close(), prometheus?.close(), tempo?.close()]);
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const hostile = () =>
    fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        '999999d',
        '0s',
        '1s',
        '29s',
        '30s',
        '60m',
        '1h',
        '3600s',
        '61m',
        '7d',
        '8d',
        '10081m',
        '5m)',
        '5m"}[1h]',
        '-5m',
        '1e3s',
        '%00',
        '../',
        'recent',
        'slow',
        '100',
        '101',
        '0',
      ),
    );
  /** Strings naming hosts: the trap's URL and address, and others. */
  const hostName = () =>
    fc.constantFrom(
      trap.url,
      `${trap.url}/api/v2/traces/1`,
      trap.url.replace('http://', ''),
      `//${trap.url.replace('http://', '')}`,
      'https://169.254.169.254/latest/meta-data/',
      'http://localhost:9090',
    );
  const value = () =>
    fc.oneof(
      { weight: 4, arbitrary: hostile() },
      hostName(),
      // Repeated parameters (?x=1&x=2) arrive as arrays
      fc.array(hostile(), { minLength: 2, maxLength: 2 }),
    );
  const queryOf = (keys: string[]) =>
    fc.dictionary(fc.constantFrom(...keys), value(), { maxKeys: 4 });
  const entityRoute = () =>
    fc.record({
      route: fc.constant('entity'),
      // Mostly a real entity, so that the views past the checks are reached
      kind: fc.oneof(
        { weight: 3, arbitrary: fc.constant('component') },
        hostile(),
      ),
      namespace: fc.oneof(
        { weight: 3, arbitrary: fc.constant('default') },
        hostile(),
      ),
      name: fc.oneof(
        {
          weight: 3,
          arbitrary: fc.constantFrom(
            'orders',
            'by-url',
            'other-cluster',
            'protected',
            'root',
            'selector',
          ),
        },
        hostile(),
      ),
      view: fc.constantFrom('mesh', 'metrics', 'traces', 'graph', 'trace'),
      traceId: fc.oneof(
        {
          weight: 2,
          arbitrary: fc.constantFrom(
            '4bf92f3577b34da6a3ce929d0e0e4736',
            'ABCDEF0123',
            '0',
          ),
        },
        fc.constantFrom(
          'a'.repeat(33),
          '4bf92f35 77b3',
          '4bf92f3577b34da6a3ce929d0e0e4736/../../x',
          '..',
        ),
        hostile(),
        hostName(),
      ),
      query: fc.oneof(
        fc.constant({}),
        queryOf(['window', 'range', 'kind', 'limit', 'step', 'x']),
      ),
    });
  const fleetRoute = () =>
    fc.record({
      route: fc.constant('fleet'),
      query: queryOf([
        'cursor',
        'limit',
        'owner',
        'system',
        'cluster',
        'grade',
        'window',
        'x',
      ]),
    });
  const namespacesRoute = () =>
    fc.record({
      route: fc.constant('namespaces'),
      query: fc.dictionary(
        fc.constantFrom('cluster', 'x'),
        fc.oneof(fc.constantFrom('sandbox', 'eu', ''), value()),
        { maxKeys: 2 },
      ),
    });
  /** Every read route: the entity views, the fleet and the namespaces. */
  const requests = () =>
    fc.oneof(
      { weight: 6, arbitrary: entityRoute() },
      { weight: 2, arbitrary: fleetRoute() },
      { weight: 1, arbitrary: namespacesRoute() },
    );
  function pathOf(r: any): string {
    if (r.route === 'fleet') return '/api/istio/v1/fleet';
    if (r.route === 'namespaces') return '/api/istio/v1/namespaces';
    const view =
      r.view === 'trace' ? `traces/${encodeURIComponent(r.traceId)}` : r.view;
    return `/api/istio/v1/entities/${encodeURIComponent(
      r.kind,
    )}/${encodeURIComponent(r.namespace)}/${encodeURIComponent(
      r.name,
    )}/${view}`;
  }
  const routeName = (r: any) => (r.route === 'entity' ? r.view : r.route);

  it('answers 200 or a 4xx to 3,000 generated requests to every read route, and calls no host an entity or a user names', async () => {
    const statuses = new Map<number, number>();
    const byRoute = new Map<string, Record<number, number>>();
    await fc.assert(
      fc.asyncProperty(requests(), async r => {
        const res = await request(server)
          .get(pathOf(r))
          .query(r.query)
          .set('Authorization', mockCredentials.user.header());
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const counts = byRoute.get(routeName(r)) ?? {};
        counts[res.status] = (counts[res.status] ?? 0) + 1;
        byRoute.set(routeName(r), counts);
        expect(res.status).toBeLessThan(500);
        // Unmatched paths (e.g. empty segments) are the router's bare 404
        if (
          res.status >= 400 &&
          res.status !== 404 &&
          typeof res.body.error?.message !== 'string'
        ) {
          throw new Error(`HTTP ${res.status} without an error message`);
        }
        expect(JSON.stringify(res.body ?? {})).not.toMatch(
          /mesh-sandbox-[a-z]+-token/,
        );
      }),
      { numRuns: 3000, seed: 20261202 },
    );
    // eslint-disable-next-line no-console
    console.log(Object.fromEntries(statuses), Object.fromEntries(byRoute), {
      prometheus: prometheus.hits(),
      tempo: tempo.hits(),
    });
    expect(trap.hits()).toBe(0);
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
    // Every route is reached, and answers at least once
    for (const name of [
      'mesh',
      'metrics',
      'traces',
      'graph',
      'trace',
      'fleet',
      'namespaces',
    ]) {
      expect(byRoute.get(name)?.[200]).toBeGreaterThan(0);
    }
  });

  it.each([
    ['window', { window: '999999d' }],
    ['window', { window: '29s' }],
    ['range', { range: '8d' }],
  ])('refuses a %s out of bounds with 400', async (field, query) => {
    const res = await request(server)
      .get('/api/istio/v1/entities/component/default/orders/metrics')
      .query(query)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(new RegExp(`'${field}'`));
  });

  it("refuses entity annotations naming a URL, another cluster's instance or a protected namespace", async () => {
    const get = (name: string, view: string) =>
      request(server)
        .get(`/api/istio/v1/entities/component/default/${name}/${view}`)
        .set('Authorization', mockCredentials.user.header());
    const byUrl = await get('by-url', 'metrics');
    expect(JSON.stringify(byUrl.body)).toMatch(/not configured/);
    const other = await get('other-cluster', 'metrics');
    expect(JSON.stringify(other.body)).toMatch(
      /does not serve cluster sandbox/,
    );
    const protectedNs = await get('protected', 'mesh');
    expect(protectedNs.status).toBe(400);
    expect(protectedNs.body.error.message).toMatch(
      /protected namespace 'kube-system'/,
    );
    expect(trap.hits()).toBe(0);
  });
});
