import {
  KUBECONFIG_CONTEXTS,
  Sandbox,
  startSandbox,
} from '@ambient-mesh/mesh-sandbox';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { findWorkloadNamespaces } from './workloadNamespaces';

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

// The Kubernetes plugin's documented minimum is `backstage.io/kubernetes-id` alone: its
// fetcher (plugins/kubernetes-backend/src/service/KubernetesFetcher.ts, backstage v1.57.0)
// lists each object type across all namespaces with the label selector
// `backstage.io/kubernetes-id=<id>`. GET /api/v1/pods?labelSelector= is the cluster-scoped
// list of Kubernetes' API (kubernetes/kubernetes api/openapi-spec, listCoreV1PodForAllNamespaces).
describe('findWorkloadNamespaces against the mesh sandbox', () => {
  let sandbox: Sandbox;
  let readonly: KubeConfig;

  beforeAll(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 50, tickMs: 1000 });
    readonly = kubeConfig(sandbox, 'readonly');
    const admin = kubeConfig(sandbox, 'admin');
    await admin
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: 'orders-canary' } } });
    await admin.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace: 'orders-canary',
      body: {
        metadata: {
          name: 'orders',
          labels: { 'backstage.io/kubernetes-id': 'orders' },
        },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'orders' } },
          template: {
            metadata: {
              labels: { app: 'orders', 'backstage.io/kubernetes-id': 'orders' },
            },
            spec: {
              containers: [{ name: 'orders', image: 'example/orders:2' }],
            },
          },
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('finds every namespace the labelled pods run in, with one cluster-wide list', async () => {
    const namespaces = await eventually(async () => {
      const found = await findWorkloadNamespaces('sandbox', readonly, {
        labelSelector: 'backstage.io/kubernetes-id=orders',
      });
      return found.length === 2 ? found : undefined;
    }, 15_000);
    expect(namespaces).toEqual(['microservices', 'orders-canary']);

    const before = sandbox.requestLog.count(e => e.server === 'kubernetes');
    await findWorkloadNamespaces('sandbox', readonly, {
      labelSelector: 'backstage.io/kubernetes-id=payments',
    });
    const calls = sandbox.requestLog
      .list(e => e.server === 'kubernetes')
      .slice(before);
    expect(calls.map(c => `${c.method} ${c.path}`)).toEqual([
      'GET /api/v1/pods',
    ]);
    expect(decodeURIComponent(calls[0].query)).toContain(
      'labelSelector=backstage.io/kubernetes-id=payments',
    );
  });

  it('answers no namespace for a label no pod carries', async () => {
    await expect(
      findWorkloadNamespaces('sandbox', readonly, {
        labelSelector: 'backstage.io/kubernetes-id=nothing-here',
      }),
    ).resolves.toEqual([]);
  });
});
