import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import { scaffolderModuleIstio } from './module';
import { getJson, writesIn } from './__testUtils__/sandboxActions';

jest.setTimeout(120_000);

const DEADLINE_SECONDS = 4;
const POLICIES =
  '/apis/security.istio.io/v1/namespaces/reporting/authorizationpolicies/*';

const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'onboard-reporting', namespace: 'default' },
  spec: {
    owner: 'platform-team',
    type: 'service',
    parameters: [],
    steps: [
      {
        id: 'onboard',
        name: 'onboard',
        action: 'istio:namespace:onboard',
        input: {
          namespace: 'reporting',
          waypoint: false,
          defaultPolicies: true,
        },
      },
    ],
  },
};

/*
 * A Kubernetes API that stops answering mid-onboarding (the sandbox holds
 * the PATCH of the AuthorizationPolicies for 10 minutes), through the
 * scaffolder's task API.
 */
describe('onboarding against a stalling Kubernetes API', () => {
  let sandbox: Sandbox;
  let server: any;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    sandbox = await startSandbox({ tickMs: 1000 });
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleIstio,
        catalogServiceMock.factory({ entities: [template as any] }),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'sandbox',
                      url: sandbox.kubernetesUrl,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: sandbox.tokens.admin,
                      caData: Buffer.from(sandbox.caCert).toString('base64'),
                    },
                  ],
                },
              ],
            },
            istio: {
              onboarding: {
                requestTimeoutSeconds: 60,
                deadlineSeconds: DEADLINE_SECONDS,
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    sandbox?.faults.clear();
    await stop?.();
    await sandbox?.stop();
  });

  async function startTask() {
    const res = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header())
      .send({ templateRef: 'template:default/onboard-reporting', values: {} });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body.id as string;
  }

  async function settle(id: string) {
    for (let i = 0; i < 600; i++) {
      const res = await request(server)
        .get(`/api/scaffolder/v2/tasks/${id}`)
        .set('Authorization', mockCredentials.user.header());
      if (['completed', 'failed', 'cancelled'].includes(res.body.status)) {
        const events = await request(server)
          .get(`/api/scaffolder/v2/tasks/${id}/events`)
          .set('Authorization', mockCredentials.user.header());
        const log = (events.body ?? [])
          .map((e: any) => e.body?.message ?? '')
          .join('\n');
        return { status: res.body.status as string, log };
      }
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error(`task ${id} did not end`);
  }

  async function untilStalled() {
    for (let i = 0; i < 100; i++) {
      if (sandbox.faults.list().some(f => f.hits > 0)) return;
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error('the onboarding never reached the stalled request');
  }

  it('ends with a timeout error within its deadline', async () => {
    sandbox.faults.add({
      server: 'kubernetes',
      method: 'PATCH',
      path: POLICIES,
      delayMs: 600_000,
    });
    const started = Date.now();
    const id = await startTask();
    await untilStalled();
    const { status, log } = await settle(id);
    const elapsed = Date.now() - started;
    expect(status).toBe('failed');
    expect(log).toMatch(
      /Could not apply AuthorizationPolicy reporting\/allow-callers: the action's deadline passed \(istio.onboarding.deadlineSeconds\)/,
    );
    expect(log).toMatch(/Applied: .*Namespace reporting/);
    // Well before the stalled request (10 minutes) would have answered
    expect(elapsed).toBeLessThan((DEADLINE_SECONDS + 20) * 1000);
  });

  it('stops when the task is cancelled (nothing after the stalled step is written), and a re-run completes the onboarding', async () => {
    sandbox.faults.clear();
    sandbox.faults.add({
      server: 'kubernetes',
      method: 'PATCH',
      path: POLICIES,
      delayMs: 600_000,
    });
    const id = await startTask();
    await untilStalled();
    const cancelled = await request(server)
      .post(`/api/scaffolder/v2/tasks/${id}/cancel`)
      .set('Authorization', mockCredentials.user.header());
    expect(cancelled.status).toBe(200);
    // The scaffolder (plugin-scaffolder-backend 4.2 StorageTaskBroker.cancel,
    // TaskWorker) records a cancelled event and aborts the step's signal;
    // the run then ends as failed with the step's error.
    const { status, log } = await settle(id);
    expect(status).toBe('failed');
    expect(log).toMatch(/Step onboard has been cancelled/);
    expect(log).toMatch(
      /Could not apply AuthorizationPolicy reporting\/allow-callers: the task was cancelled/,
    );
    expect(log).toMatch(/Not applied: .*allow-nothing/);
    const afterCancel = await getJson(
      sandbox,
      '/apis/security.istio.io/v1/namespaces/reporting/authorizationpolicies',
    );
    expect(afterCancel.items.map((p: any) => p.metadata.name)).not.toContain(
      'allow-nothing',
    );

    sandbox.faults.clear();
    sandbox.requestLog.clear();
    const rerun = await settle(await startTask());
    expect(rerun.status).toBe('completed');
    expect(writesIn(sandbox).length).toBeGreaterThan(0);
    const policies = await getJson(
      sandbox,
      '/apis/security.istio.io/v1/namespaces/reporting/authorizationpolicies',
    );
    expect(policies.items.map((p: any) => p.metadata.name).sort()).toEqual([
      'allow-callers',
      'allow-nothing',
    ]);
  });
});
