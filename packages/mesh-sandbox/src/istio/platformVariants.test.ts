import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
} from '@kubernetes/client-node';
import { startSandbox, Sandbox } from '../startSandbox';
import { eventually, failure, kubeConfigFor } from '../__testUtils__/clients';

jest.setTimeout(30000);

async function withSandbox<T>(
  options: Parameters<typeof startSandbox>[0],
  run: (sandbox: Sandbox) => Promise<T>,
): Promise<T> {
  const sandbox = await startSandbox({ tickMs: 1000, ...options });
  try {
    return await run(sandbox);
  } finally {
    await sandbox.stop();
  }
}

describe('istiod readiness with the Gateway API bundle (istio/istio#59443, #59387, PR #59309)', () => {
  it('the demo pairs Gateway API v1.5.0 with Istio 1.28.6, a patch that reads TLSRoute v1: istiod ready', async () => {
    await withSandbox({}, async sandbox => {
      const kc = kubeConfigFor(sandbox);
      const istiod = await kc
        .makeApiClient(AppsV1Api)
        .readNamespacedDeployment({
          name: 'istiod',
          namespace: 'istio-system',
        });
      expect(istiod.spec?.template.spec?.containers[0]).toMatchObject({
        name: 'discovery',
        image: 'docker.io/istio/pilot:1.28.6',
      });
      expect(istiod.status?.readyReplicas).toBe(1);
      // v1.5 standard: TLSRoute is served only as v1 (gateway-api v1.5.0 config/crd/standard).
      const tlsRoutes = await kc
        .makeApiClient(ApiextensionsV1Api)
        .readCustomResourceDefinition({
          name: 'tlsroutes.gateway.networking.k8s.io',
        });
      expect(
        tlsRoutes.spec.versions.filter(v => v.served).map(v => v.name),
      ).toEqual(['v1']);
      expect(
        tlsRoutes.metadata?.annotations?.[
          'gateway.networking.k8s.io/bundle-version'
        ],
      ).toBe('v1.5.0');
    });
  });

  it('istiod 1.28.0 with Gateway API v1.5.0 runs but never becomes ready (0/1), as upstream reports', async () => {
    await withSandbox({ istioVersion: '1.28.0' }, async sandbox => {
      const kc = kubeConfigFor(sandbox);
      const core = kc.makeApiClient(CoreV1Api);
      const pod = await eventually(async () => {
        const pods = await core.listNamespacedPod({
          namespace: 'istio-system',
          labelSelector: 'app=istiod',
        });
        const p = pods.items[0];
        return p?.status?.conditions?.some(
          c => c.type === 'Ready' && c.status === 'False',
        )
          ? p
          : undefined;
      }, 5000);
      expect(pod.status?.phase).toBe('Running');
      expect(pod.status?.containerStatuses?.[0]).toMatchObject({
        name: 'discovery',
        ready: false,
      });
      const istiod = await eventually(async () => {
        const d = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({
          name: 'istiod',
          namespace: 'istio-system',
        });
        return d.status?.readyReplicas === 0 ? d : undefined;
      }, 5000);
      expect(istiod.status?.unavailableReplicas).toBe(1);
    });
  });

  it('istiod 1.28.0 with Gateway API v1.4.0 (no TLSRoute in the standard channel) is ready', async () => {
    await withSandbox(
      { istioVersion: '1.28.0', gatewayApiVersion: 'v1.4.0' },
      async sandbox => {
        const kc = kubeConfigFor(sandbox);
        const istiod = await kc
          .makeApiClient(AppsV1Api)
          .readNamespacedDeployment({
            name: 'istiod',
            namespace: 'istio-system',
          });
        expect(istiod.status?.readyReplicas).toBe(1);
        const missing = await failure(
          kc.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({
            name: 'tlsroutes.gateway.networking.k8s.io',
          }),
        );
        expect(missing.code).toBe(404);
      },
    );
  });
});

describe('Sail Operator layout (istio-ecosystem/sail-operator api/v1 ztunnel_types.go, istiocni_types.go: default namespaces ztunnel, istio-cni)', () => {
  it('creates ztunnel in namespace ztunnel and istio-cni in istio-cni, owned by their CRs', async () => {
    await withSandbox({ layout: 'sail' }, async sandbox => {
      const apps = kubeConfigFor(sandbox).makeApiClient(AppsV1Api);
      const ztunnel = await eventually(
        () =>
          apps
            .readNamespacedDaemonSet({ name: 'ztunnel', namespace: 'ztunnel' })
            .catch(() => undefined),
        5000,
      );
      expect(ztunnel.metadata?.ownerReferences?.[0]).toMatchObject({
        apiVersion: 'sailoperator.io/v1',
        kind: 'ZTunnel',
      });
      expect(ztunnel.spec?.template.metadata?.labels?.app).toBe('ztunnel');
      const cni = await apps.readNamespacedDaemonSet({
        name: 'istio-cni-node',
        namespace: 'istio-cni',
      });
      expect(cni.metadata?.ownerReferences?.[0].kind).toBe('IstioCNI');
      const inIstioSystem = await apps.listNamespacedDaemonSet({
        namespace: 'istio-system',
      });
      expect(inIstioSystem.items.map(d => d.metadata?.name)).toEqual([]);
      const istiod = await eventually(
        () =>
          apps
            .readNamespacedDeployment({
              name: 'istiod',
              namespace: 'istio-system',
            })
            .then(d => (d.status?.readyReplicas === 1 ? d : undefined))
            .catch(() => undefined),
        5000,
      );
      expect(istiod.spec?.template.spec?.containers[0].image).toBe(
        'docker.io/istio/pilot:1.28.6',
      );
    });
  });

  it('serves ZTunnel only as v1alpha1 when asked to imitate Sail before 1.28', async () => {
    await withSandbox({ ztunnelApiVersion: 'v1alpha1' }, async sandbox => {
      const custom = kubeConfigFor(sandbox).makeApiClient(CustomObjectsApi);
      const list = (version: string) =>
        custom.listClusterCustomObject({
          group: 'sailoperator.io',
          version,
          plural: 'ztunnels',
        });
      await expect(list('v1alpha1')).resolves.toMatchObject({ items: [] });
      expect((await failure(list('v1'))).code).toBe(404);
    });
  });
});

describe('sidecar injection (istio/istio manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml)', () => {
  it.each([
    ['istio.io/rev=default alone injects', { 'istio.io/rev': 'default' }, true],
    [
      'istio.io/rev=default with istio-injection=disabled does not (istio-injection must be absent)',
      { 'istio.io/rev': 'default', 'istio-injection': 'disabled' },
      false,
    ],
    ['istio-injection=enabled injects', { 'istio-injection': 'enabled' }, true],
    [
      'istio.io/rev of a revision without istiod does not',
      { 'istio.io/rev': 'canary' },
      false,
    ],
  ])('%s', async (_name, labels, injected) => {
    await withSandbox({}, async sandbox => {
      const core = kubeConfigFor(sandbox).makeApiClient(CoreV1Api);
      await core.createNamespace({
        body: {
          metadata: {
            name: 'shop',
            labels: { 'istio.io/dataplane-mode': 'ambient', ...labels },
          },
        },
      });
      await core.createNamespacedPod({
        namespace: 'shop',
        body: {
          metadata: { name: 'web' },
          spec: { containers: [{ name: 'web', image: 'nginx' }] },
        },
      });
      const pod = await eventually(async () => {
        const p = await core.readNamespacedPod({
          name: 'web',
          namespace: 'shop',
        });
        return p.status?.phase === 'Running' ? p : undefined;
      }, 5000);
      // Let every controller settle before reading the result.
      await new Promise(resolve => setTimeout(resolve, 50));
      const latest = await core.readNamespacedPod({
        name: pod.metadata!.name!,
        namespace: 'shop',
      });
      expect(
        Boolean(latest.metadata?.annotations?.['sidecar.istio.io/status']),
      ).toBe(injected);
      expect(latest.spec?.containers.map(c => c.name)).toEqual(
        injected ? ['web', 'istio-proxy'] : ['web'],
      );
      // A pod with a sidecar is never captured by ztunnel.
      expect(
        latest.metadata?.annotations?.['ambient.istio.io/redirection'],
      ).toBe(injected ? undefined : 'enabled');
    });
  });
});
