import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  KUBECONFIG_CONTEXTS,
  resourceKey,
  Sandbox,
  startSandbox,
} from '@ambient-mesh/mesh-sandbox';
import {
  ConfigClusterClientFactory,
  MeshCache,
} from '@ambient-mesh/plugin-istio-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CachedLoader } from '../lib/CachedLoader';
import { KubernetesClusterMeshReader } from './KubernetesClusterMeshReader';
import { MeshService } from './MeshService';
import { MetricsService } from './MetricsService';
import { EntityTarget } from './targets';

const SCALE_NS = 'scale';

function target(name: string): EntityTarget {
  return {
    entityRef: `component:default/${name}`,
    labelSelector: `backstage.io/kubernetes-id=${name}`,
    namespace: SCALE_NS,
    serviceName: name,
  };
}

describe('MeshService with the watch-fed cluster cache', () => {
  let sandbox: Sandbox;
  let dir: string;
  let cache: MeshCache;
  let mesh: MeshService;
  // The views read with the read-only user; the cache watches as admin, so
  // the request log tells the two apart
  const viewRequests = () =>
    sandbox.requestLog.count(
      e => e.server === 'kubernetes' && e.user === 'sandbox-readonly',
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 50, tickMs: 1000 });
    dir = mkdtempSync(join(tmpdir(), 'istio-cache-'));
    writeFileSync(join(dir, 'kubeconfig'), sandbox.kubeconfig);
    // Set up through the sandbox's store (its controllers create the pods)
    sandbox.store.create(resourceKey('', 'namespaces'), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: SCALE_NS,
        labels: { 'istio.io/dataplane-mode': 'ambient' },
      },
    });
    for (const [name, replicas] of [
      ['small', 3],
      ['large', 60],
    ] as const) {
      sandbox.store.create(resourceKey('apps', 'deployments'), {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name,
          namespace: SCALE_NS,
          labels: { 'backstage.io/kubernetes-id': name },
        },
        spec: {
          replicas,
          selector: { matchLabels: { app: name } },
          template: {
            metadata: {
              labels: { app: name, 'backstage.io/kubernetes-id': name },
            },
            spec: { containers: [{ name, image: `example/${name}:1` }] },
          },
        },
      });
    }
    const clustersAs = (context: string) =>
      ConfigClusterClientFactory.fromConfig(
        new ConfigReader({
          istio: {
            localKubeconfig: {
              path: join(dir, 'kubeconfig'),
              context,
              name: 'sandbox',
            },
          },
        }),
      );
    const admin = clustersAs(KUBECONFIG_CONTEXTS.admin);
    const clusters = clustersAs(KUBECONFIG_CONTEXTS.readonly);
    // Hold the cache's namespace LIST so the first views come before sync
    sandbox.faults.add({
      server: 'kubernetes',
      method: 'GET',
      path: '/api/v1/namespaces',
      delayMs: 3000,
      times: 1,
    });
    cache = new MeshCache({
      kubeConfigOf: name => admin.getKubeConfig(name),
    });
    mesh = new MeshService({
      clusters,
      reader: new KubernetesClusterMeshReader(clusters, {
        requestTimeoutMs: 5000,
        cache,
      }),
      metrics: new MetricsService([], 1000, {
        errorRatio5xx: { degraded: 0.001, failure: 0.05 },
        errorRatio4xx: { degraded: 0.1, failure: 0.2 },
      }),
      loader: new CachedLoader(mockServices.cache.mock(), 0),
      kubernetesTimeoutMs: 5000,
    });
  }, 60_000);

  afterAll(async () => {
    cache?.stop();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads directly before sync, as many requests for 60 pods as for 3, and none per view after sync', async () => {
    const count = async (name: string) => {
      const before = viewRequests();
      const status = await mesh.clusterStatus(target(name), 'sandbox');
      return { requests: viewRequests() - before, status };
    };
    // The first view also reads the control-plane facts (kept for a TTL)
    await count('small');
    const small = await count('small');
    const large = await count('large');
    expect(cache.stats()[0].syncing).toBeGreaterThan(0);
    expect(small.requests).toBeGreaterThan(0);
    expect(large.requests).toBe(small.requests);
    expect(small.status.enrollment.pods).toHaveLength(3);
    expect(large.status.enrollment.pods).toHaveLength(60);

    expect(await cache.whenSynced('sandbox', 20_000)).toBe(true);
    const warm = await count('large');
    expect(warm.requests).toBe(0);
    expect(warm.status.enrollment.namespace).toBe(SCALE_NS);
    expect(warm.status.enrollment.pods.length).toBe(
      large.status.enrollment.pods.length,
    );
    expect((await count('small')).requests).toBe(0);
  }, 30_000);
});
