import {
  KUBECONFIG_CONTEXTS,
  Sandbox,
  startSandbox,
} from '@ambient-mesh/mesh-sandbox';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { MeshReader } from './MeshReader';
import { TRAFFIC_KINDS } from './readTrafficObjects';

function kubeConfig(sandbox: Sandbox, user: 'admin' | 'readonly'): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(sandbox.kubeconfig);
  kc.setCurrentContext(KUBECONFIG_CONTEXTS[user]);
  return kc;
}

async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

/** Objects per namespace: `count` HTTPRoutes, VirtualServices, DestinationRules and AuthorizationPolicies. */
async function createTraffic(
  admin: KubeConfig,
  ns: string,
  pods: number,
  count: number,
) {
  await admin.makeApiClient(CoreV1Api).createNamespace({
    body: {
      metadata: { name: ns, labels: { 'istio.io/dataplane-mode': 'ambient' } },
    },
  });
  await admin.makeApiClient(AppsV1Api).createNamespacedDeployment({
    namespace: ns,
    body: {
      metadata: {
        name: 'app',
        labels: { 'backstage.io/kubernetes-id': 'app' },
      },
      spec: {
        replicas: pods,
        selector: { matchLabels: { app: 'app' } },
        template: {
          metadata: {
            labels: { app: 'app', 'backstage.io/kubernetes-id': 'app' },
          },
          spec: { containers: [{ name: 'app', image: 'example/app:1' }] },
        },
      },
    },
  });
  await admin.makeApiClient(CoreV1Api).createNamespacedService({
    namespace: ns,
    body: {
      metadata: {
        name: 'app',
        labels: { 'backstage.io/kubernetes-id': 'app' },
      },
      spec: { selector: { app: 'app' }, ports: [{ name: 'http', port: 80 }] },
    },
  });
  const custom = admin.makeApiClient(CustomObjectsApi);
  for (let i = 0; i < count; i++) {
    await custom.createNamespacedCustomObject({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      namespace: ns,
      plural: 'httproutes',
      body: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: `route-${i}` },
        spec: {
          parentRefs: [{ group: '', kind: 'Service', name: 'app' }],
          rules: [{ backendRefs: [{ name: 'app', port: 80 }] }],
        },
      },
    });
    await custom.createNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      namespace: ns,
      plural: 'virtualservices',
      body: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: `vs-${i}` },
        spec: {
          hosts: ['app'],
          http: [{ route: [{ destination: { host: 'app' } }] }],
        },
      },
    });
    await custom.createNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      namespace: ns,
      plural: 'destinationrules',
      body: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: `dr-${i}` },
        spec: { host: 'app' },
      },
    });
    await custom.createNamespacedCustomObject({
      group: 'security.istio.io',
      version: 'v1',
      namespace: ns,
      plural: 'authorizationpolicies',
      body: {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: `ap-${i}` },
        spec: {
          selector: { matchLabels: { app: 'app' } },
          rules: [{ to: [{ operation: { ports: ['80'] } }] }],
        },
      },
    });
  }
}

describe('traffic objects against the mesh sandbox', () => {
  let sandbox: Sandbox;
  let readonly: KubeConfig;

  beforeAll(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 50, tickMs: 1000 });
    readonly = kubeConfig(sandbox, 'readonly');
    const admin = kubeConfig(sandbox, 'admin');
    await createTraffic(admin, 'traffic-small', 5, 1);
    await createTraffic(admin, 'traffic-large', 500, 50);
  }, 120_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('serves every kind the reader lists (the sandbox registers the CRDs)', async () => {
    const custom = readonly.makeApiClient(CustomObjectsApi);
    for (const kind of TRAFFIC_KINDS) {
      const list = (await custom.listClusterCustomObject({
        group: kind.group,
        version: kind.version,
        plural: kind.plural,
      })) as { items: unknown[] };
      expect([kind.plural, Array.isArray(list.items)]).toEqual([
        kind.plural,
        true,
      ]);
    }
  });

  it('makes the same number of Kubernetes requests for 5 pods and 1 route as for 500 pods and 50 routes and policies', async () => {
    const measure = async (ns: string, pods: number, routes: number) => {
      const target = {
        namespace: ns,
        labelSelector: 'backstage.io/kubernetes-id=app',
      };
      await eventually(async () => {
        const s = await new MeshReader().readSnapshot(
          'sandbox',
          readonly,
          target,
        );
        return (
          (s.pods.length === pods &&
            s.traffic!.httpRoutes.filter(r => r.metadata.namespace === ns)
              .length === routes) ||
          undefined
        );
      }, 60_000);
      sandbox.requestLog.clear();
      const snapshot = await new MeshReader().readSnapshot(
        'sandbox',
        readonly,
        target,
      );
      return {
        requests: sandbox.requestLog.count(e => e.server === 'kubernetes'),
        pods: snapshot.pods.length,
        routes: snapshot.traffic!.httpRoutes.filter(
          r => r.metadata.namespace === ns,
        ).length,
        policies: snapshot.authorizationPolicies.filter(
          p => p.metadata.namespace === ns,
        ).length,
        virtualServices: snapshot.traffic!.virtualServices.filter(
          v => v.metadata.namespace === ns,
        ).length,
      };
    };
    const small = await measure('traffic-small', 5, 1);
    const large = await measure('traffic-large', 500, 50);
    // eslint-disable-next-line no-console
    console.log(
      `kubernetes requests per view: ${small.requests} (5 pods, 1 route) and ${large.requests} (500 pods, 50 routes)`,
    );
    expect(small).toMatchObject({
      pods: 5,
      routes: 1,
      policies: 1,
      virtualServices: 1,
    });
    expect(large).toMatchObject({
      pods: 500,
      routes: 50,
      policies: 50,
      virtualServices: 50,
    });
    expect(large.requests).toBe(small.requests);
  }, 180_000);

  it('shows the demo problems of the seed with their fixes', async () => {
    const reader = new MeshReader();
    const reports = await reader.readStatus('sandbox', readonly, {
      namespace: 'reporting',
      labelSelector: 'backstage.io/kubernetes-id=reports',
    });
    const vs = reports.diagnostics.find(
      d => d.id === 'virtual-service-needs-waypoint',
    );
    expect(vs?.object).toMatchObject({
      kind: 'VirtualService',
      name: 'reports',
      namespace: 'reporting',
    });
    expect(vs?.fix).toMatchObject({
      kind: 'template',
      values: { namespace: 'reporting', waypoint: true },
    });
    expect(reports.traffic?.rules).toContainEqual(
      expect.objectContaining({
        kind: 'VirtualService',
        name: 'reports',
        enforcer: 'nobody',
        status: 'ignored',
      }),
    );

    const payments = await reader.readStatus('sandbox', readonly, {
      namespace: 'microservices',
      labelSelector: 'backstage.io/kubernetes-id=payments',
    });
    const route = payments.diagnostics.find(
      d => d.id === 'route-parent-not-found',
    );
    expect(route?.object).toMatchObject({
      kind: 'HTTPRoute',
      name: 'payments-canary',
      field: 'spec.parentRefs[0]',
    });
    expect(route?.fix?.kind).toBe('command');
    const selector = payments.diagnostics.find(
      d => d.id === 'policy-selector-matches-nothing',
    );
    expect(selector?.object).toMatchObject({
      kind: 'PeerAuthentication',
      name: 'orders-v0-strict',
    });
    expect(payments.diagnostics.map(d => d.id)).not.toContain(
      'telemetry-not-scraped',
    );
  }, 60_000);
});
