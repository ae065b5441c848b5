import {
  KUBECONFIG_CONTEXTS,
  Sandbox,
  startSandbox,
} from '@ambient-mesh/mesh-sandbox';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { MeshReader } from '../reader/MeshReader';
import { MeshCache } from './MeshCache';

// Watch semantics followed: kubernetes/kubernetes 1.32
// staging/src/k8s.io/apiserver/pkg/storage/cacher (a watch from a compacted
// resourceVersion ends with an ERROR event carrying a 410 Expired Status) and
// client-node 1.4 src/cache.ts (ListWatch re-lists on 410).

const ORDERS = {
  namespace: 'microservices',
  labelSelector: 'backstage.io/kubernetes-id=orders',
};

function kubeConfig(sandbox: Sandbox, user: 'admin' | 'readonly'): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(sandbox.kubeconfig);
  kc.setCurrentContext(KUBECONFIG_CONTEXTS[user]);
  return kc;
}

async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

describe('MeshCache against the mesh sandbox', () => {
  let sandbox: Sandbox;
  let readonly: KubeConfig;
  let admin: KubeConfig;
  let cache: MeshCache;
  let synced = false;
  const kubeRequests = () =>
    sandbox.requestLog.count(e => e.server === 'kubernetes');

  beforeAll(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 50, tickMs: 1000 });
    readonly = kubeConfig(sandbox, 'readonly');
    admin = kubeConfig(sandbox, 'admin');
    cache = new MeshCache({ kubeConfigOf: () => readonly, retryMs: 50 });
    cache.watch('sandbox', ['microservices']);
    synced = await cache.whenSynced('sandbox', 20_000);
  }, 60_000);

  // Closing the sandbox ends every open watch (one per kind and namespace, the
  // traffic kinds' included), which takes longer than jest's default on a busy host
  afterAll(async () => {
    cache?.stop();
    await sandbox?.stop();
  }, 30_000);

  afterEach(() => sandbox.faults.clear());

  it('assembles the same snapshot as the direct read (readSnapshot)', async () => {
    expect(synced).toBe(true);
    // Controllers settle (waypoint Programmed, pods captured) before comparing
    const same = (a: unknown, b: unknown) => {
      try {
        expect(b).toEqual(a);
        return true;
      } catch {
        return false;
      }
    };
    let direct = await new MeshReader().readSnapshot(
      'sandbox',
      readonly,
      ORDERS,
    );
    for (
      let i = 0;
      i < 50 && !same(direct, cache.snapshot('sandbox', ORDERS));
      i++
    ) {
      await new Promise(resolve => setTimeout(resolve, 200));
      direct = await new MeshReader().readSnapshot('sandbox', readonly, ORDERS);
    }
    const cached = cache.snapshot('sandbox', ORDERS);
    expect(cached).toEqual(direct);
    expect(cached!.pods.length).toBeGreaterThan(0);
    expect(cached!.waypointGateways.length).toBeGreaterThan(0);
    expect(cached!.pods[0].metadata?.creationTimestamp).toBeInstanceOf(Date);
  }, 30_000);

  it('serves a view with no Kubernetes request once synced, and shows a namespace label change within 1 s', async () => {
    const core = admin.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'late' } } });
    cache.watch('sandbox', ['microservices', 'late']);
    await cache.whenSynced('sandbox', 10_000);
    const target = { namespace: 'late' };
    expect(cache.status('sandbox', target)?.enrollment.mode).toBe('none');

    const before = kubeRequests();
    await core.patchNamespace(
      {
        name: 'late',
        body: {
          metadata: { labels: { 'istio.io/dataplane-mode': 'ambient' } },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const afterWrite = kubeRequests();
    const status = await eventually(() => {
      const s = cache.status('sandbox', target);
      return s?.enrollment.mode === 'ambient' ? s : undefined;
    }, 1000);
    expect(status.enrollment.namespaceExists).toBe(true);
    // The only request is the PATCH itself: the views made none
    expect(afterWrite - before).toBe(1);
    expect(kubeRequests()).toBe(afterWrite);
  });

  it('shows a new waypoint and a new policy within 1 s without a Kubernetes request from the view', async () => {
    const custom = admin.makeApiClient(CustomObjectsApi);
    const core = admin.makeApiClient(CoreV1Api);
    await core.createNamespace({
      body: {
        metadata: {
          name: 'fresh',
          labels: { 'istio.io/dataplane-mode': 'ambient' },
        },
      },
    });
    cache.watch('sandbox', ['microservices', 'late', 'fresh']);
    await cache.whenSynced('sandbox', 10_000);
    const target = { namespace: 'fresh' };
    expect(cache.status('sandbox', target)?.waypoint.kind).toBe('none');

    // A waypoint as istioctl waypoint apply --enroll-namespace makes it
    // (istio/istio 1.28 istioctl/pkg/waypoint/waypoint.go)
    await custom.createNamespacedCustomObject({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      namespace: 'fresh',
      plural: 'gateways',
      body: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: {
          name: 'waypoint',
          namespace: 'fresh',
          labels: { 'istio.io/waypoint-for': 'service' },
        },
        spec: {
          gatewayClassName: 'istio-waypoint',
          listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
        },
      },
    });
    await core.patchNamespace(
      {
        name: 'fresh',
        body: { metadata: { labels: { 'istio.io/use-waypoint': 'waypoint' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const written = kubeRequests();
    const withWaypoint = await eventually(() => {
      const s = cache.status('sandbox', target);
      return s?.waypoint.kind === 'waypoint' ? s : undefined;
    }, 1000);
    expect(withWaypoint.waypoint).toMatchObject({
      kind: 'waypoint',
      name: 'waypoint',
      namespace: 'fresh',
    });

    // An allow-nothing policy (istio.io docs, security/authorization "allow-nothing")
    await custom.createNamespacedCustomObject({
      group: 'security.istio.io',
      version: 'v1',
      namespace: 'fresh',
      plural: 'authorizationpolicies',
      body: {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: 'allow-nothing', namespace: 'fresh' },
        spec: {},
      },
    });
    const policyWritten = kubeRequests();
    expect(policyWritten - written).toBe(1);
    const withPolicy = await eventually(() => {
      const s = cache.status('sandbox', target);
      return s?.policies.items.some(p => p.name === 'allow-nothing')
        ? s
        : undefined;
    }, 1000);
    expect(withPolicy.policies.items.map(p => p.name)).toContain(
      'allow-nothing',
    );
    expect(withPolicy.policies.defaultDeny).toBe(true);
    expect(kubeRequests()).toBe(policyWritten);
  });

  it('lists again after a watch fails with 410 Gone and shows what changed meanwhile', async () => {
    const core = admin.makeApiClient(CoreV1Api);
    // Watches come back slowly, so the change below lands while none is open
    sandbox.faults.add({
      server: 'kubernetes',
      method: 'GET',
      path: '/api/v1/namespaces',
      delayMs: 300,
    });
    const logStart = sandbox.requestLog.count();
    sandbox.closeWatches();
    await core.patchNamespace(
      {
        name: 'late',
        body: { metadata: { labels: { team: 'relisted' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    // Compaction: the watchers' resourceVersion is now too old
    sandbox.store.compact();
    const snapshot = await eventually(() => {
      const s = cache.snapshot('sandbox', { namespace: 'late' });
      return s?.namespaceObject?.metadata?.labels?.team === 'relisted'
        ? s
        : undefined;
    }, 10_000);
    expect(snapshot.namespaceObject?.metadata?.name).toBe('late');
    const requests = sandbox.requestLog.list().slice(logStart);
    const namespaceRequests = requests.filter(
      e => e.server === 'kubernetes' && e.path === '/api/v1/namespaces',
    );
    // The watch from the old resourceVersion, then a LIST, then a new watch
    expect(namespaceRequests.some(e => !e.query.includes('watch=true'))).toBe(
      true,
    );
    expect(
      namespaceRequests.filter(e => e.query.includes('watch=true')).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('answers undefined while a cache is not synced, so the view reads directly', async () => {
    sandbox.faults.add({
      server: 'kubernetes',
      method: 'GET',
      path: '*',
      delayMs: 1000,
    });
    const slow = new MeshCache({ kubeConfigOf: () => readonly });
    try {
      expect(slow.snapshot('sandbox', ORDERS)).toBeUndefined();
      expect(slow.status('sandbox', ORDERS)).toBeUndefined();
      expect(slow.stats()[0]).toMatchObject({ namespaces: 1 });
      expect(slow.stats()[0].syncing).toBeGreaterThan(0);
    } finally {
      slow.stop();
    }
  });

  it('keeps within its namespace bound and reports its size', () => {
    const small = new MeshCache({
      kubeConfigOf: () => readonly,
      maxNamespaces: 1,
    });
    try {
      small.watch('sandbox', ['microservices', 'late', 'fresh']);
      const [stats] = small.stats();
      expect(stats.namespaces).toBe(1);
      expect(stats.refused).toBe(2);
      expect(small.snapshot('sandbox', { namespace: 'fresh' })).toBeUndefined();
    } finally {
      small.stop();
    }
    const [stats] = cache.stats();
    expect(stats.objects).toBeGreaterThan(0);
    expect(stats.synced).toBe(stats.informers - stats.absent - stats.forbidden);

    // Namespaces no entity claims any more stay while views use them
    cache.watch('sandbox', ['microservices']);
    expect(cache.stats()[0].namespaces).toBe(3);
    cache.watch('sandbox', ['microservices'], 0);
    expect(cache.stats()[0].namespaces).toBe(1);
    expect(cache.stats()[0].informers).toBeLessThan(stats.informers);
  });
});
