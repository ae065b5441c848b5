import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import { createMeshCheckAction } from './meshCheck';
import { createMeshProvisionAction } from './meshProvision';
import {
  actionContext,
  fetchApply,
  getJson,
  sandboxDeps,
  serveGatewayApiManifest,
  writesIn,
} from '../__testUtils__/sandboxActions';

jest.setTimeout(60_000);

const checkOf = (outputs: Record<string, any>, id: string) =>
  outputs.checks.find((c: any) => c.id === id);

describe('istio:mesh:check: istiod x Gateway API v1.5 (istio/istio#59387, #59443, PR #59309)', () => {
  let sandboxes: Sandbox[] = [];
  afterEach(async () => {
    await Promise.all(sandboxes.map(s => s.stop()));
    sandboxes = [];
  });
  const start = async (options: Parameters<typeof startSandbox>[0]) => {
    const sandbox = await startSandbox({ tickMs: 1000, ...options });
    sandboxes.push(sandbox);
    return sandbox;
  };

  it('fails istiod 1.28.0 with Gateway API v1.5.0 with both fixes, passes the demo (1.28.6)', async () => {
    const trapped = await start({ istioVersion: '1.28.0' });
    const check = createMeshCheckAction(sandboxDeps(trapped));
    const run = actionContext({});
    await check.handler(run.ctx);
    expect(run.outputs.ready).toBe(false);
    expect(checkOf(run.outputs, 'istiod-gateway-api-version')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(
        'istio-system/istiod runs Istio 1.28.0 (0 ready) with Gateway API v1.5.0',
      ),
      fix: expect.stringMatching(
        /Upgrade Istio to 1\.28\.6 or later.*Gateway API v1\.4 standard CRDs/,
      ),
    });
    expect(checkOf(run.outputs, 'istiod-ambient')).toMatchObject({
      status: 'fail',
      detail: 'istio-system/istiod has no ready replica',
    });

    const healthy = await start({});
    const ok = actionContext({});
    await createMeshCheckAction(sandboxDeps(healthy)).handler(ok.ctx);
    expect(checkOf(ok.outputs, 'istiod-gateway-api-version')).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(
        /^Istio 1\.28\.6 with Gateway API v1\.5\.0/,
      ),
    });
    expect(ok.outputs.ready).toBe(true);
  });

  it('finds ztunnel and istio-cni in the Sail namespaces (sail-operator api/v1 defaults)', async () => {
    const sail = await start({ layout: 'sail' });
    const run = actionContext({});
    await createMeshCheckAction(sandboxDeps(sail)).handler(run.ctx);
    expect(checkOf(run.outputs, 'ztunnel-ready')).toMatchObject({
      status: 'pass',
      detail: 'ztunnel/ztunnel: 1 of 1 pods ready',
    });
    expect(checkOf(run.outputs, 'istio-cni-ready')).toMatchObject({
      status: 'pass',
      detail: 'istio-cni/istio-cni-node: 1 of 1 pods ready',
    });
    expect(run.outputs.ready).toBe(true);
  });
});

describe('istio:mesh:check: meshConfig of a revisioned istiod (istio/istio manifests/charts/istio-control/istio-discovery/templates/configmap.yaml: ConfigMap istio-<rev>)', () => {
  let sandbox: Sandbox;
  afterEach(async () => {
    await sandbox.stop();
  });

  it('reads the tracing provider from ConfigMap istio-<rev>', async () => {
    sandbox = await startSandbox({ seed: false, tickMs: 1000 });
    const post = (path: string, body: object) =>
      fetchApply(sandbox, path, body, 'test');
    await post('/api/v1/namespaces/istio-system', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'istio-system' },
    });
    const labels = { app: 'istiod', 'istio.io/rev': 'canary' };
    await post(
      '/apis/apps/v1/namespaces/istio-system/deployments/istiod-canary',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'istiod-canary', namespace: 'istio-system', labels },
        spec: {
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: 'discovery',
                  image: 'docker.io/istio/pilot:1.28.6',
                  env: [{ name: 'PILOT_ENABLE_AMBIENT', value: 'true' }],
                },
              ],
            },
          },
        },
      },
    );
    await post('/api/v1/namespaces/istio-system/configmaps/istio-canary', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'istio-canary', namespace: 'istio-system' },
      data: {
        mesh: [
          'enableTracing: true',
          'extensionProviders:',
          '- name: otel-tracing',
          '  opentelemetry:',
          '    service: otel-collector.observability.svc.cluster.local',
          '    port: 4317',
          '',
        ].join('\n'),
      },
    });
    const run = actionContext({});
    await createMeshCheckAction(sandboxDeps(sandbox)).handler(run.ctx);
    expect(checkOf(run.outputs, 'tracing-provider')).toMatchObject({
      status: 'pass',
      detail:
        'otel-tracing -> otel-collector.observability.svc.cluster.local:4317, enableTracing true',
    });
  });
});

describe('istio:mesh:provision and the Sail Operator (sail-operator api/v1alpha1 and api/v1 ztunnel_types.go)', () => {
  let source: Sandbox;
  let target: Sandbox;
  let manifest: { url: string; close: () => Promise<unknown> };
  afterEach(async () => {
    await manifest.close();
    await Promise.all([source.stop(), target.stop()]);
  });

  it('writes ZTunnel v1alpha1 with profile when the cluster serves only v1alpha1 (Sail before 1.28); a second run makes 0 writes', async () => {
    // Sail 1.27 ships Istio up to 1.27.x (its Istio CRD's spec.version enum), and
    // those never become ready with Gateway API v1.5 (istio/istio#59443): v1.4
    source = await startSandbox({ tickMs: 1000, gatewayApiVersion: 'v1.4.0' });
    target = await startSandbox({
      gatewayApi: false,
      ztunnelApiVersion: 'v1alpha1',
      tickMs: 1000,
    });
    manifest = await serveGatewayApiManifest(source);
    const provision = createMeshProvisionAction({
      ...sandboxDeps(target),
      gatewayApiManifests: { urls: [manifest.url] },
    });
    const input = {
      gatewayApiVersion: 'v1.4.0',
      gatewayApiManifestUrl: manifest.url,
      istioVersion: 'v1.27.0',
    };
    await provision.handler(actionContext(input).ctx);
    const ztunnel = await getJson(
      target,
      '/apis/sailoperator.io/v1alpha1/ztunnels/default',
    );
    expect(ztunnel.spec).toMatchObject({
      namespace: 'ztunnel',
      profile: 'ambient',
      version: 'v1.27.0',
    });
    const cni = await getJson(
      target,
      '/apis/sailoperator.io/v1/istiocnis/default',
    );
    expect(cni.spec.namespace).toBe('istio-cni');
    const istio = await getJson(
      target,
      '/apis/sailoperator.io/v1/istios/default',
    );
    expect(istio.spec.values.pilot).toEqual({
      trustedZtunnelNamespace: 'ztunnel',
    });
    // The Sail imitation puts the DaemonSets where the CRs say.
    const ds = await getJson(
      target,
      '/apis/apps/v1/namespaces/ztunnel/daemonsets/ztunnel',
    );
    expect(ds.metadata.ownerReferences[0].kind).toBe('ZTunnel');

    target.requestLog.clear();
    const again = actionContext(input);
    await provision.handler(again.ctx);
    expect(writesIn(target)).toEqual([]);
    expect(again.outputs.summary).toMatch(/^unchanged/);
  });

  it('writes ZTunnel v1 without profile (Sail 1.28+); a second run makes 0 writes', async () => {
    source = await startSandbox({ tickMs: 1000 });
    target = await startSandbox({ gatewayApi: false, tickMs: 1000 });
    manifest = await serveGatewayApiManifest(source);
    const provision = createMeshProvisionAction({
      ...sandboxDeps(target),
      gatewayApiManifests: { urls: [manifest.url] },
    });
    const input = {
      gatewayApiVersion: 'v1.5.0',
      gatewayApiManifestUrl: manifest.url,
      istioVersion: 'v1.28.6',
    };
    await provision.handler(actionContext(input).ctx);
    const ztunnel = await getJson(
      target,
      '/apis/sailoperator.io/v1/ztunnels/default',
    );
    expect(ztunnel.spec).toEqual(
      expect.objectContaining({ namespace: 'ztunnel', version: 'v1.28.6' }),
    );
    expect(ztunnel.spec.profile).toBeUndefined();
    target.requestLog.clear();
    await provision.handler(actionContext(input).ctx);
    expect(writesIn(target)).toEqual([]);
  });

  it('refuses Istio 1.28.0 with the Gateway API v1.5.0 CRDs and changes nothing', async () => {
    source = await startSandbox({ tickMs: 1000 });
    target = await startSandbox({ gatewayApi: false, tickMs: 1000 });
    manifest = await serveGatewayApiManifest(source);
    const provision = createMeshProvisionAction({
      ...sandboxDeps(target),
      gatewayApiManifests: { urls: [manifest.url] },
    });
    target.requestLog.clear();
    await expect(
      provision.handler(
        actionContext({
          gatewayApiVersion: 'v1.5.0',
          gatewayApiManifestUrl: manifest.url,
          istioVersion: 'v1.28.0',
        }).ctx,
      ),
    ).rejects.toThrow(
      /Istio 1\.28\.0 never becomes ready with Gateway API v1\.5\.0.*nothing was changed/,
    );
    expect(writesIn(target)).toEqual([]);
  });
});
