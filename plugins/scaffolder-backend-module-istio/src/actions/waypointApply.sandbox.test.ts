import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import { createNamespaceOnboardAction } from './namespaceOnboard';
import { createNamespaceOffboardAction } from './namespaceOffboard';
import { createWaypointApplyAction } from './waypointApply';
import {
  actionContext,
  getJson,
  sandboxDeps,
  writesIn,
} from '../__testUtils__/sandboxActions';

jest.setTimeout(60_000);

describe('istio:waypoint:apply against the sandbox', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 200, tickMs: 1000 });
  });
  afterEach(async () => {
    await sandbox.stop();
  });

  it('adds a waypoint to an enrolled namespace without dropping its enrollment', async () => {
    const deps = sandboxDeps(sandbox);
    await createNamespaceOnboardAction(deps).handler(
      actionContext({ namespace: 'reporting', defaultPolicies: false }).ctx,
    );
    const run = actionContext({
      namespace: 'reporting',
      enrollNamespace: true,
    });
    await createWaypointApplyAction(deps).handler(run.ctx);
    expect(run.outputs.plan.steps.map((s: any) => s.key)).toEqual([
      'apply:gateway:reporting:waypoint',
      'wait:gateway:reporting:waypoint',
      'apply:namespace::reporting',
    ]);
    const ns = await getJson(sandbox, '/api/v1/namespaces/reporting');
    expect(ns.metadata.labels).toMatchObject({
      'istio.io/dataplane-mode': 'ambient',
      'istio.io/use-waypoint': 'waypoint',
    });

    sandbox.requestLog.clear();
    const again = actionContext({
      namespace: 'reporting',
      enrollNamespace: true,
    });
    await createWaypointApplyAction(deps).handler(again.ctx);
    expect(writesIn(sandbox)).toEqual([]);
    expect(again.outputs.summary).toMatch(/^unchanged/);
  });

  it('binds one Service, refuses to re-point it without overwrite, and offboarding unbinds it', async () => {
    const deps = sandboxDeps(sandbox);
    const action = createWaypointApplyAction(deps);
    await action.handler(
      actionContext({
        namespace: 'reporting',
        name: 'reports-waypoint',
        service: 'reports',
      }).ctx,
    );
    let service = await getJson(
      sandbox,
      '/api/v1/namespaces/reporting/services/reports',
    );
    expect(service.metadata.labels['istio.io/use-waypoint']).toBe(
      'reports-waypoint',
    );

    await expect(
      action.handler(
        actionContext({
          namespace: 'reporting',
          name: 'other',
          service: 'reports',
        }).ctx,
      ),
    ).rejects.toThrow(
      /Service reporting\/reports already uses waypoint "reports-waypoint".*set overwrite: true/,
    );

    const off = actionContext({ namespace: 'reporting' });
    await createNamespaceOffboardAction(deps).handler(off.ctx);
    service = await getJson(
      sandbox,
      '/api/v1/namespaces/reporting/services/reports',
    );
    expect(service.metadata.labels['istio.io/use-waypoint']).toBeUndefined();
    expect(service.spec.ports.length).toBeGreaterThan(0);
    const gateways = await getJson(
      sandbox,
      '/apis/gateway.networking.k8s.io/v1/namespaces/reporting/gateways',
    );
    expect(gateways.items).toEqual([]);
  });
});
