import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createMeshCheckAction } from './meshCheck';
import { createMeshProvisionAction } from './meshProvision';
import {
  actionContext,
  getJson,
  sandboxDeps,
  serveGatewayApiManifest,
  writesIn,
} from '../__testUtils__/sandboxActions';

jest.setTimeout(60_000);

describe('istio:mesh:check and istio:mesh:provision against the sandbox', () => {
  let source: Sandbox;
  let target: Sandbox;
  let manifest: { url: string; close: () => Promise<unknown> };

  beforeEach(async () => {
    // `source` has the Gateway API CRDs the provision downloads;
    // `target` is a cluster without them.
    source = await startSandbox({ tickMs: 1000 });
    target = await startSandbox({ gatewayApi: false, tickMs: 1000 });
    manifest = await serveGatewayApiManifest(source);
  });
  afterEach(async () => {
    await manifest.close();
    await Promise.all([source.stop(), target.stop()]);
  });

  it('reports the missing Gateway API CRDs with the fix, provisions them with the Sail resources, then passes', async () => {
    const check = createMeshCheckAction(sandboxDeps(target));
    const before = actionContext({});
    await check.handler(before.ctx);
    expect(before.outputs.ready).toBe(false);
    const gatewayApi = before.outputs.checks.find(
      (c: any) => c.id === 'gateway-api-crds',
    );
    expect(gatewayApi).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('istio:mesh:provision'),
    });
    await expect(
      check.handler(actionContext({ failOnError: true }).ctx),
    ).rejects.toThrow(
      /gateway-api-crds.*Fixes: gateway-api-crds: Install the Gateway API/,
    );

    const provision = createMeshProvisionAction({
      ...sandboxDeps(target),
      gatewayApiManifests: { urls: [manifest.url] },
    });
    const input = {
      gatewayApiVersion: 'v1.3.0',
      gatewayApiManifestUrl: manifest.url,
      samplingPercentage: 20,
    };
    const dry = actionContext(input, true);
    target.requestLog.clear();
    await provision.handler(dry.ctx);
    expect(writesIn(target)).toEqual([]);

    const run = actionContext(input);
    await provision.handler(run.ctx);
    const created = run.outputs.objects
      .filter((o: any) => o.result !== 'unchanged')
      .map((o: any) => `${o.kind}/${o.name}`);
    expect(created).toEqual(
      expect.arrayContaining([
        'CustomResourceDefinition/gateways.gateway.networking.k8s.io',
        'Istio/default',
        'IstioCNI/default',
        'ZTunnel/default',
        'Telemetry/mesh-default',
      ]),
    );
    expect(run.checkpoints).toEqual(
      dry.outputs.plan.steps.map((s: any) => `istio:onboard:${s.key}`),
    );
    const istio = await getJson(
      target,
      '/apis/sailoperator.io/v1/istios/default',
    );
    expect(istio.spec.profile).toBe('ambient');
    expect(istio.spec.values.meshConfig.extensionProviders).toEqual([
      {
        name: 'otel-tracing',
        opentelemetry: {
          service: 'otel-collector.observability.svc.cluster.local',
          port: 4317,
        },
      },
    ]);

    const after = actionContext({});
    await check.handler(after.ctx);
    expect(
      after.outputs.checks.find((c: any) => c.id === 'gateway-api-crds'),
    ).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('bundle-version'),
    });

    target.requestLog.clear();
    const again = actionContext(input);
    await provision.handler(again.ctx);
    expect(writesIn(target)).toEqual([]);
    expect(again.outputs.summary).toMatch(/^unchanged/);
  });

  it('refuses the check to a user without istio.mesh.admin', async () => {
    const check = createMeshCheckAction(
      sandboxDeps(target, { result: AuthorizeResult.DENY }),
    );
    await expect(check.handler(actionContext({}).ctx)).rejects.toThrow(
      /needs the permission istio\.mesh\.admin/,
    );
  });
});
