import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { KubeConfig, CoreV1Api } from '@kubernetes/client-node';
import { createNamespaceOnboardAction } from './namespaceOnboard';
import { createNamespaceOffboardAction } from './namespaceOffboard';
import { createPolicyApplyAction } from './policyApply';
import {
  actionContext,
  fetchApply,
  getJson,
  sandboxDeps,
  writesIn,
} from '../__testUtils__/sandboxActions';

jest.setTimeout(60_000);

const onboardInput = {
  namespace: 'reporting',
  waypoint: true,
  defaultPolicies: true,
};

// The waypoint's allow goes in before the namespace is bound to the waypoint
const EXPECTED_OBJECTS = [
  'AuthorizationPolicy reporting/allow-waypoint',
  'Gateway reporting/waypoint',
  'Namespace reporting',
  'PeerAuthentication reporting/default',
  'AuthorizationPolicy reporting/allow-callers',
  'AuthorizationPolicy reporting/allow-nothing',
];

function names(
  objects: Array<{ kind: string; name: string; namespace: string }>,
) {
  return objects.map(
    o => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`,
  );
}

describe('istio:namespace:onboard against the sandbox', () => {
  let sandbox: Sandbox;

  beforeEach(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 300, tickMs: 1000 });
  });
  afterEach(async () => {
    await sandbox.stop();
  });

  function core() {
    const kc = new KubeConfig();
    kc.loadFromString(sandbox.kubeconfig);
    return kc.makeApiClient(CoreV1Api);
  }

  it('onboards reporting with a waypoint and default policies, then is idempotent', async () => {
    const action = createNamespaceOnboardAction(sandboxDeps(sandbox));
    const first = actionContext(onboardInput);
    await action.handler(first.ctx);

    expect(names(first.outputs.objects)).toEqual(EXPECTED_OBJECTS);
    expect(first.outputs.objects.map((o: any) => o.result)).toEqual([
      'created',
      'created',
      'updated',
      'created',
      'created',
      'created',
    ]);
    expect(first.outputs.waypoint).toBe('waypoint');
    expect(first.outputs.summary).toBe('5 created, 1 updated');
    expect(
      first
        .logLines()
        .some(l => /Running: create Gateway reporting\/waypoint/.test(l)),
    ).toBe(true);

    const ns = await core().readNamespace({ name: 'reporting' });
    expect(ns.metadata?.labels).toMatchObject({
      'istio.io/dataplane-mode': 'ambient',
      'istio.io/use-waypoint': 'waypoint',
    });
    const gateway = await getJson(
      sandbox,
      '/apis/gateway.networking.k8s.io/v1/namespaces/reporting/gateways/waypoint',
    );
    expect(gateway.spec.gatewayClassName).toBe('istio-waypoint');
    expect(gateway.status.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Programmed', status: 'True' }),
      ]),
    );
    const pods = await core().listNamespacedPod({ namespace: 'reporting' });
    const appPods = pods.items.filter(
      p => p.metadata?.labels?.app === 'reports',
    );
    expect(appPods.length).toBeGreaterThan(0);
    // istio-cni (simulated) captures the enrolled pods
    await waitFor(async () => {
      const now = await core().listNamespacedPod({ namespace: 'reporting' });
      return now.items
        .filter(p => p.metadata?.labels?.app === 'reports')
        .every(
          p =>
            p.metadata?.annotations?.['ambient.istio.io/redirection'] ===
            'enabled',
        );
    });

    // Second run: zero writes, "unchanged"
    sandbox.requestLog.clear();
    const second = actionContext(onboardInput);
    await action.handler(second.ctx);
    expect(writesIn(sandbox)).toEqual([]);
    expect(second.outputs.summary).toMatch(/^unchanged/);
    expect(
      second.outputs.objects.every((o: any) => o.result === 'unchanged'),
    ).toBe(true);
    expect(names(second.outputs.objects).sort()).toEqual(
      [...EXPECTED_OBJECTS].sort(),
    );
  });

  it('waits for the waypoint with a watch, not repeated GETs', async () => {
    const action = createNamespaceOnboardAction(sandboxDeps(sandbox));
    await action.handler(actionContext(onboardInput).ctx);
    const gatewayRequests = sandbox.requestLog.list(
      e =>
        e.server === 'kubernetes' &&
        e.path.startsWith(
          '/apis/gateway.networking.k8s.io/v1/namespaces/reporting/gateways',
        ),
    );
    const watches = gatewayRequests.filter(e =>
      /(^|&)watch=(true|1)/.test(e.query),
    );
    expect(watches.length).toBeGreaterThanOrEqual(1);
    expect(watches[0].query).toContain(
      'fieldSelector=metadata.name%3Dwaypoint',
    );
    const gets = gatewayRequests.filter(
      e => e.method === 'GET' && !/(^|&)watch=/.test(e.query),
    );
    expect(gets.length).toBeLessThanOrEqual(1);
  });

  it('plans in a dry run exactly what the real run then does, writing nothing', async () => {
    const action = createNamespaceOnboardAction(sandboxDeps(sandbox));
    sandbox.requestLog.clear();
    const dry = actionContext(onboardInput, true);
    await action.handler(dry.ctx);
    expect(writesIn(sandbox)).toEqual([]);
    expect(dry.checkpoints).toEqual([]);
    expect(dry.outputs.objects.every((o: any) => o.planned)).toBe(true);

    const real = actionContext(onboardInput);
    await action.handler(real.ctx);
    expect(real.checkpoints).toEqual(
      dry.outputs.plan.steps.map((s: any) => `istio:onboard:${s.key}`),
    );
    const applied = writesIn(sandbox).filter(e => e.method === 'PATCH');
    expect(applied).toHaveLength(
      dry.outputs.plan.steps.filter((s: any) => s.operation === 'apply').length,
    );
  });

  it('keeps what other field managers set, through onboarding and offboarding', async () => {
    const api = core();
    await fetchApply(
      sandbox,
      '/api/v1/namespaces/reporting',
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'reporting',
          labels: { team: 'finance' },
          annotations: { owner: 'alice' },
        },
      },
      'kubectl',
    );
    const deps = sandboxDeps(sandbox);
    await createNamespaceOnboardAction(deps).handler(
      actionContext(onboardInput).ctx,
    );
    await createPolicyApplyAction(deps).handler(
      actionContext({
        namespace: 'reporting',
        name: 'hand-made',
        rules: [{ fromNamespaces: ['ops'] }],
      }).ctx,
    );
    // The same policy taken over by another manager must survive offboarding
    await fetchApply(
      sandbox,
      '/apis/security.istio.io/v1/namespaces/reporting/authorizationpolicies/hand-made',
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: {
          name: 'hand-made',
          namespace: 'reporting',
          labels: { keep: 'yes' },
        },
      },
      'kubectl',
    );

    let ns = await api.readNamespace({ name: 'reporting' });
    expect(ns.metadata?.labels).toMatchObject({
      team: 'finance',
      'istio.io/dataplane-mode': 'ambient',
    });
    expect(ns.metadata?.annotations).toMatchObject({ owner: 'alice' });

    const off = actionContext({ namespace: 'reporting' });
    await createNamespaceOffboardAction(deps).handler(off.ctx);
    ns = await api.readNamespace({ name: 'reporting' });
    expect(ns.metadata?.labels?.team).toBe('finance');
    expect(ns.metadata?.annotations?.owner).toBe('alice');
    expect(ns.metadata?.labels?.['istio.io/dataplane-mode']).toBeUndefined();
    expect(ns.metadata?.labels?.['istio.io/use-waypoint']).toBeUndefined();
    expect(
      names(
        off.outputs.objects.filter((o: any) => o.result === 'deleted'),
      ).sort(),
    ).toEqual([
      'AuthorizationPolicy reporting/allow-callers',
      'AuthorizationPolicy reporting/allow-nothing',
      'AuthorizationPolicy reporting/allow-waypoint',
      'Gateway reporting/waypoint',
      'PeerAuthentication reporting/default',
    ]);
    const kept = await getJson(
      sandbox,
      '/apis/security.istio.io/v1/namespaces/reporting/authorizationpolicies/hand-made',
    );
    expect(kept.metadata.labels).toEqual({ keep: 'yes' });

    sandbox.requestLog.clear();
    const again = actionContext({ namespace: 'reporting' });
    await createNamespaceOffboardAction(deps).handler(again.ctx);
    expect(writesIn(sandbox)).toEqual([]);
    expect(again.outputs.summary).toMatch(/^unchanged/);
  });

  it('fails naming what was and was not applied when the Gateway write fails, and a rerun completes it', async () => {
    const action = createNamespaceOnboardAction(sandboxDeps(sandbox));
    sandbox.faults.add({
      server: 'kubernetes',
      method: 'PATCH',
      path: '/apis/gateway.networking.k8s.io/v1/namespaces/reporting/gateways/waypoint',
      status: 500,
      times: 1,
      message: 'injected failure',
    });
    const failed = actionContext(onboardInput);
    const error = await action.handler(failed.ctx).then(
      () => undefined,
      e => e,
    );
    expect(error?.message).toMatch(
      /Step 2 of \d+ failed \(create Gateway reporting\/waypoint\)/,
    );
    expect(error?.message).toMatch(
      /Applied: create AuthorizationPolicy reporting\/allow-waypoint\./,
    );
    expect(error?.message).toMatch(
      /Not applied: create Gateway reporting\/waypoint; wait for Gateway reporting\/waypoint; update Namespace reporting/,
    );
    expect(error?.message).toMatch(
      /Running the action again completes the plan/,
    );

    const rerun = actionContext(onboardInput);
    await action.handler(rerun.ctx);
    // allow-waypoint was applied by the failed run
    expect(rerun.outputs.summary).toBe('4 created, 1 updated');
    const gateways = await getJson(
      sandbox,
      '/apis/gateway.networking.k8s.io/v1/namespaces/reporting/gateways',
    );
    expect(gateways.items.map((g: any) => g.metadata.name)).toEqual([
      'waypoint',
    ]);
    const policies = await getJson(
      sandbox,
      '/apis/security.istio.io/v1/namespaces/reporting/authorizationpolicies',
    );
    expect(policies.items.map((p: any) => p.metadata.name).sort()).toEqual([
      'allow-callers',
      'allow-nothing',
      'allow-waypoint',
    ]);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a protected namespace',
      { namespace: 'istio-system' },
      /namespace: Namespace "istio-system" in cluster sandbox is protected.*choose an application namespace/,
    ],
    [
      'an invalid name',
      { namespace: 'Reporting_NS' },
      /Input "namespace" must be a DNS-1123 label.*e\.g\. "reporting"/,
    ],
  ])(
    'refuses %s before touching the cluster',
    async (_name, input, message) => {
      const action = createNamespaceOnboardAction(sandboxDeps(sandbox));
      sandbox.requestLog.clear();
      await expect(action.handler(actionContext(input).ctx)).rejects.toThrow(
        message,
      );
      expect(writesIn(sandbox)).toEqual([]);
    },
  );

  it('refuses L7 rules without a waypoint, naming the rule and the fix', async () => {
    const action = createPolicyApplyAction(sandboxDeps(sandbox));
    await expect(
      action.handler(
        actionContext({
          namespace: 'reporting',
          name: 'reads',
          rules: [{ fromNamespaces: ['frontend'], methods: ['GET'] }],
        }).ctx,
      ),
    ).rejects.toThrow(
      /Input "rules\[0\]" uses L7 fields \(methods\) but no waypoint is in the path.*Set "waypoint"/,
    );
  });

  it('refuses an unclaimed namespace to a user without istio.mesh.admin', async () => {
    const action = createNamespaceOnboardAction(
      sandboxDeps(sandbox, { result: AuthorizeResult.DENY }),
    );
    sandbox.requestLog.clear();
    await expect(
      action.handler(actionContext(onboardInput).ctx),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /claimed by no catalog entity.*istio\.mesh\.admin/,
      ),
    });
    expect(writesIn(sandbox)).toEqual([]);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}
