import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import { FIELD_MANAGER } from '@ambient-mesh/plugin-istio-common';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from './kubeClient';
import { waypointGateway } from './objects';
import { waitForWaypoint } from './waitForWaypoint';

jest.setTimeout(30_000);

const ref = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  name: 'waypoint',
  namespace: 'reporting',
};

describe('waitForWaypoint against the sandbox', () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.stop();
  });

  async function start(waypointDelayMs: number) {
    sandbox = await startSandbox({ waypointDelayMs, tickMs: 1000 });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(sandbox.kubeconfig);
    const client = new KubeClient(kubeConfig);
    await client.apply(
      waypointGateway('reporting', 'waypoint', 'service'),
      FIELD_MANAGER,
    );
    sandbox.requestLog.clear();
    return kubeConfig;
  }

  it('returns the Gateway once Programmed, through one watch', async () => {
    const kubeConfig = await start(500);
    const gateway = await waitForWaypoint(kubeConfig, ref, {
      timeoutMs: 10_000,
    });
    expect(gateway.status.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Programmed', status: 'True' }),
      ]),
    );
    // A watch is logged when its response ends (the abort above).
    const deadline = Date.now() + 2_000;
    while (
      sandbox!.requestLog.count(e => e.server === 'kubernetes') === 0 &&
      Date.now() < deadline
    ) {
      await new Promise(r => setTimeout(r, 50));
    }
    const requests = sandbox!.requestLog.list(e => e.server === 'kubernetes');
    expect(requests.length).toBeGreaterThanOrEqual(1);
    expect(requests.every(e => /(^|&)watch=(true|1)/.test(e.query))).toBe(true);
  });

  it('times out quoting the conditions the Gateway reports', async () => {
    const kubeConfig = await start(60_000);
    const error = await waitForWaypoint(kubeConfig, ref, {
      timeoutMs: 1_000,
    }).catch(e => e);
    expect(error.message).toMatch(
      /^Gateway reporting\/waypoint was not Programmed within 1s; its conditions: .*Programmed=(False|Unknown).*\. Check istiod's logs/,
    );
  });

  // Kubernetes answers a watch whose resourceVersion is too old with 410
  // Gone (apimachinery staging/src/k8s.io/apimachinery/pkg/api/errors,
  // StatusReasonExpired); client-go's reflector relists and watches again.
  it.each([
    ['410 Gone', 410],
    ['503 Service Unavailable', 503],
  ])(
    'reconnects after a %s and still sees the Gateway Programmed',
    async (_what, status) => {
      const kubeConfig = await start(300);
      sandbox!.faults.add({
        server: 'kubernetes',
        method: 'GET',
        path: '/apis/gateway.networking.k8s.io/v1/namespaces/reporting/gateways',
        status,
        times: 2,
      });
      const gateway = await waitForWaypoint(kubeConfig, ref, {
        timeoutMs: 10_000,
      });
      expect(
        gateway.status.conditions.find((c: any) => c.type === 'Programmed')
          ?.status,
      ).toBe('True');
      const failed = sandbox!.requestLog.count(
        e => e.server === 'kubernetes' && e.status === status,
      );
      expect(failed).toBe(2);
    },
  );
});
