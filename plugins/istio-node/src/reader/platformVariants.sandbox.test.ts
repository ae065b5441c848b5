import {
  KUBECONFIG_CONTEXTS,
  Sandbox,
  startSandbox,
} from '@ambient-mesh/mesh-sandbox';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { MeshCache } from '../cache/MeshCache';
import { MeshReader } from './MeshReader';

jest.setTimeout(60_000);

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

const ORDERS = {
  namespace: 'microservices',
  labelSelector: 'backstage.io/kubernetes-id=orders',
};

describe('the Service Mesh tab on the sandbox platform variants', () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
  });

  it('istiod 1.28.0 with Gateway API v1.5.0: fails with the fix (istio/istio#59443, #59387, PR #59309)', async () => {
    sandbox = await startSandbox({ istioVersion: '1.28.0', tickMs: 1000 });
    const status = await eventually(async () => {
      const s = await new MeshReader().readStatus(
        'sandbox',
        kubeConfig(sandbox!, 'readonly'),
        ORDERS,
      );
      return s.controlPlane.istiod.readyReplicas === 0 ? s : undefined;
    }, 10_000);
    expect(status.controlPlane.istiod).toMatchObject({
      present: true,
      version: '1.28.0',
      readyReplicas: 0,
    });
    expect(status.controlPlane.gatewayApi.bundleVersion).toBe('v1.5.0');
    const found = status.diagnostics.find(
      d => d.id === 'istiod-gateway-api-incompatible',
    );
    expect(found).toMatchObject({
      severity: 'error',
      title: 'istiod 1.28.0 cannot start with Gateway API v1.5.0',
    });
    expect((found?.fix as { command: string }).command).toContain(
      'helm upgrade istiod istio/istiod -n istio-system --version 1.28.6',
    );
  });

  it('the demo default (Istio 1.28.6, Gateway API v1.5.0) raises no such diagnostic', async () => {
    sandbox = await startSandbox({ tickMs: 1000 });
    const status = await new MeshReader().readStatus(
      'sandbox',
      kubeConfig(sandbox, 'readonly'),
      ORDERS,
    );
    expect(status.controlPlane.istiod).toMatchObject({
      version: '1.28.6',
      readyReplicas: 1,
    });
    expect(status.diagnostics.map(d => d.id)).not.toContain(
      'istiod-gateway-api-incompatible',
    );
  });

  it("Sail layout: ztunnel and istio-cni found in Sail's namespaces (sail-operator api/v1 defaults)", async () => {
    sandbox = await startSandbox({ layout: 'sail', tickMs: 1000 });
    const status = await eventually(async () => {
      const s = await new MeshReader().readStatus(
        'sandbox',
        kubeConfig(sandbox!, 'readonly'),
        ORDERS,
      );
      return s.controlPlane.ztunnel.allReady && s.controlPlane.istioCni.allReady
        ? s
        : undefined;
    }, 10_000);
    expect(status.controlPlane.ztunnel).toMatchObject({
      present: true,
      namespace: 'ztunnel',
    });
    expect(status.controlPlane.istioCni).toMatchObject({
      present: true,
      namespace: 'istio-cni',
      ambientEnabled: true,
    });
    const ids = status.diagnostics.map(d => d.id);
    expect(ids).not.toContain('ztunnel-missing');
    expect(ids).not.toContain('istio-cni-missing');
  });

  it('Sail layout through the watch-fed cache: the same ztunnel and istio-cni as the direct read (sail-operator api/v1 defaults)', async () => {
    sandbox = await startSandbox({ layout: 'sail', tickMs: 1000 });
    const readonly = kubeConfig(sandbox, 'readonly');
    const cache = new MeshCache({ kubeConfigOf: () => readonly, retryMs: 50 });
    try {
      cache.watch('sandbox', ['microservices']);
      expect(await cache.whenSynced('sandbox', 20_000)).toBe(true);
      const status = await eventually(async () => {
        const s = cache.status('sandbox', ORDERS);
        return s?.controlPlane.ztunnel.allReady &&
          s.controlPlane.istioCni.allReady
          ? s
          : undefined;
      }, 10_000);
      expect(status.controlPlane.ztunnel).toMatchObject({
        present: true,
        namespace: 'ztunnel',
      });
      expect(status.controlPlane.istioCni).toMatchObject({
        present: true,
        namespace: 'istio-cni',
      });
      const ids = status.diagnostics.map(d => d.id);
      expect(ids).not.toContain('ztunnel-missing');
      expect(ids).not.toContain('istio-cni-missing');
    } finally {
      cache.stop();
    }
  });

  it('istio.io/rev injects only while istio-injection is absent (mutatingwebhook.yaml)', async () => {
    sandbox = await startSandbox({ tickMs: 1000 });
    const admin = kubeConfig(sandbox, 'admin');
    const core = admin.makeApiClient(CoreV1Api);
    const apps = admin.makeApiClient(AppsV1Api);
    const deploy = async (ns: string, labels: Record<string, string>) => {
      await core.createNamespace({
        body: {
          metadata: {
            name: ns,
            labels: { 'istio.io/dataplane-mode': 'ambient', ...labels },
          },
        },
      });
      await apps.createNamespacedDeployment({
        namespace: ns,
        body: {
          metadata: {
            name: 'web',
            labels: { 'backstage.io/kubernetes-id': 'web' },
          },
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: 'web' } },
            template: {
              metadata: {
                labels: { app: 'web', 'backstage.io/kubernetes-id': 'web' },
              },
              spec: { containers: [{ name: 'web', image: 'example/web:1' }] },
            },
          },
        },
      });
    };
    await deploy('rev-only', { 'istio.io/rev': 'default' });
    await deploy('rev-disabled', {
      'istio.io/rev': 'default',
      'istio-injection': 'disabled',
    });
    const read = (namespace: string) =>
      eventually(async () => {
        const s = await new MeshReader().readStatus(
          'sandbox',
          kubeConfig(sandbox!, 'readonly'),
          { namespace, labelSelector: 'backstage.io/kubernetes-id=web' },
        );
        return s.enrollment.pods.length === 1 &&
          ['sidecar', 'captured'].includes(s.enrollment.pods[0].state)
          ? s
          : undefined;
      }, 10_000);
    const revOnly = await read('rev-only');
    expect(revOnly.enrollment.pods[0].state).toBe('sidecar');
    expect(revOnly.diagnostics.map(d => d.id)).toEqual(
      expect.arrayContaining([
        'revision-label-on-ambient-namespace',
        'pods-with-sidecar',
      ]),
    );
    const disabled = await read('rev-disabled');
    expect(disabled.enrollment.pods[0].state).toBe('captured');
    expect(disabled.diagnostics.map(d => d.id)).not.toContain(
      'revision-label-on-ambient-namespace',
    );
  });
});
