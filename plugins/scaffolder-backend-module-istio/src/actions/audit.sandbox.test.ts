import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import { createNamespaceOnboardAction } from './namespaceOnboard';
import { createNamespaceOffboardAction } from './namespaceOffboard';
import { actionContext, sandboxDeps } from '../__testUtils__/sandboxActions';

jest.setTimeout(60_000);

/** An auditor recording the events (Backstage's AuditorService contract). */
function recordingAuditor() {
  const events: Array<{ options: any; outcome?: any }> = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async (options: any) => {
      const event: { options: any; outcome?: any } = { options };
      events.push(event);
      return {
        success: async (o?: any) => {
          event.outcome = { success: o?.meta ?? {} };
        },
        fail: async (o: any) => {
          event.outcome = { fail: o.error.message };
        },
      };
    },
  });
  return { auditor, events };
}

describe('audit events of the write actions', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ tickMs: 1000 });
  });
  afterAll(() => sandbox?.stop());

  it('records who changed which cluster and namespace, and what changed', async () => {
    const { auditor, events } = recordingAuditor();
    const deps = { ...sandboxDeps(sandbox), auditor };
    const input = { namespace: 'reporting', defaultPolicies: false };
    await createNamespaceOnboardAction(deps).handler(
      actionContext(input, true).ctx,
    );
    await createNamespaceOnboardAction(deps).handler(actionContext(input).ctx);
    await createNamespaceOffboardAction(deps).handler(
      actionContext({ namespace: 'reporting' }).ctx,
    );
    expect(events.map(e => e.options)).toEqual([
      expect.objectContaining({
        eventId: 'mesh-change',
        severityLevel: 'low',
        meta: {
          action: 'istio:namespace:onboard',
          actor: 'user:default/mock',
          cluster: 'sandbox',
          namespace: 'reporting',
          dryRun: true,
          mode: 'apply',
        },
      }),
      expect.objectContaining({
        severityLevel: 'medium',
        meta: expect.objectContaining({ dryRun: false }),
      }),
      expect.objectContaining({
        meta: expect.objectContaining({ action: 'istio:namespace:offboard' }),
      }),
    ]);
    expect(events[1].outcome.success.changes).toEqual([
      expect.objectContaining({
        kind: 'Namespace',
        name: 'reporting',
        result: 'updated',
        planned: false,
      }),
    ]);
  });

  it('records a refusal as a failed event', async () => {
    const { auditor, events } = recordingAuditor();
    const deps = {
      ...sandboxDeps(sandbox, { result: AuthorizeResult.DENY }),
      auditor,
    };
    await expect(
      createNamespaceOnboardAction(deps).handler(
        actionContext({ namespace: 'reporting' }).ctx,
      ),
    ).rejects.toThrow(/istio\.mesh\.admin/);
    expect(events).toHaveLength(1);
    expect(events[0].outcome.fail).toMatch(/claimed by no catalog entity/);
  });
});
