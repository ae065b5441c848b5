import { ConfigReader } from '@backstage/config';
import {
  authHeaders,
  pickInstance,
  readIstioBackendConfig,
} from './istioConfig';

describe('readIstioBackendConfig', () => {
  it('has defaults when nothing is configured', () => {
    const config = readIstioBackendConfig(new ConfigReader({}));
    expect(config).toEqual({
      prometheus: [],
      tempo: [],
      timeouts: { kubernetesMs: 5000, prometheusMs: 5000, tempoMs: 5000 },
      cacheTtlMs: 15000,
      accessTtlMs: 5000,
      clusterCache: {
        enabled: true,
        maxNamespaces: 500,
        maxObjects: 100000,
        namespaceRefreshMs: 300000,
      },
      health: {
        errorRatio5xx: { degraded: 0, failure: 0.1 },
        errorRatio4xx: { degraded: 0.1, failure: 0.2 },
      },
    });
  });

  it('refuses a cluster cache bound that is not a positive whole number, naming it', () => {
    expect(() =>
      readIstioBackendConfig(
        new ConfigReader({ istio: { clusterCache: { maxNamespaces: 0 } } }),
      ),
    ).toThrow(
      /istio.clusterCache.maxNamespaces must be a positive whole number/,
    );
  });

  it('reads instances with their authentication', () => {
    const config = readIstioBackendConfig(
      new ConfigReader({
        istio: {
          prometheus: [
            { name: 'a', baseUrl: 'http://prom:9090/', bearerToken: 't' },
            {
              name: 'b',
              baseUrl: 'https://prom-b',
              clusters: ['eu'],
              username: 'u',
              password: 'p',
            },
          ],
          tempo: [
            {
              name: 't',
              baseUrl: 'http://tempo:3200',
              orgId: 'tenant-1',
              grafanaUrl: 'https://grafana/',
              grafanaDatasourceUid: 'tempo',
            },
          ],
          cacheTtlSeconds: 0,
        },
      }),
    );
    expect(config.prometheus).toEqual([
      {
        name: 'a',
        baseUrl: 'http://prom:9090',
        clusters: undefined,
        auth: { type: 'bearer', token: 't' },
      },
      {
        name: 'b',
        baseUrl: 'https://prom-b',
        clusters: ['eu'],
        auth: { type: 'basic', username: 'u', password: 'p' },
      },
    ]);
    expect(config.tempo[0]).toMatchObject({
      orgId: 'tenant-1',
      grafana: { url: 'https://grafana', datasourceUid: 'tempo' },
    });
    expect(config.cacheTtlMs).toBe(0);
  });

  it.each([
    [
      { prometheus: [{ name: 'a', baseUrl: 'file:///etc/passwd' }] },
      /istio.prometheus\[0\].baseUrl: use http or https/,
    ],
    [
      { prometheus: [{ name: 'a', baseUrl: 'not a url' }] },
      /istio.prometheus\[0\].baseUrl/,
    ],
    [
      {
        prometheus: [
          { name: 'a', baseUrl: 'http://x' },
          { name: 'a', baseUrl: 'http://y' },
        ],
      },
      /lists 'a' twice/,
    ],
    [
      { tempo: [{ name: 'a', baseUrl: 'http://x', username: 'u' }] },
      /istio.tempo\[0\] needs both username and password/,
    ],
    [{ timeouts: { prometheusMs: -1 } }, /istio.timeouts.prometheusMs/],
    [{ cacheTtlSeconds: -5 }, /istio.cacheTtlSeconds/],
  ])('refuses %j', (istio, message) => {
    expect(() => readIstioBackendConfig(new ConfigReader({ istio }))).toThrow(
      message,
    );
  });
});

describe('pickInstance', () => {
  const instances = [
    { name: 'eu', clusters: ['eu-1', 'eu-2'] },
    { name: 'global' },
  ];

  it('takes the first instance serving the cluster', () => {
    expect(pickInstance(instances, 'eu-2', undefined, 'Prometheus')?.name).toBe(
      'eu',
    );
    expect(pickInstance(instances, 'us-1', undefined, 'Prometheus')?.name).toBe(
      'global',
    );
  });

  it('takes the instance an entity names, and refuses unknown names', () => {
    expect(pickInstance(instances, 'eu-1', 'global', 'Prometheus')?.name).toBe(
      'global',
    );
    expect(() =>
      pickInstance(instances, 'eu-1', 'http://evil.example', 'Prometheus'),
    ).toThrow(
      /'http:\/\/evil.example', which is not configured; configured: eu, global/,
    );
  });
});

describe('authHeaders', () => {
  it('builds bearer and basic headers', () => {
    expect(authHeaders({ type: 'none' })).toEqual({});
    expect(authHeaders({ type: 'bearer', token: 'abc' })).toEqual({
      authorization: 'Bearer abc',
    });
    expect(
      authHeaders({ type: 'basic', username: 'u', password: 'p' }),
    ).toEqual({
      authorization: `Basic ${Buffer.from('u:p').toString('base64')}`,
    });
  });
});
