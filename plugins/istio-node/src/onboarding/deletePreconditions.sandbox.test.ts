import { startSandbox, Sandbox } from '@ambient-mesh/mesh-sandbox';
import { FIELD_MANAGER } from '@ambient-mesh/plugin-istio-common';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from './kubeClient';
import { allowNothingPolicy } from './objects';

jest.setTimeout(30_000);

/*
 * DELETE with DeleteOptions.preconditions (k8s.io/apimachinery
 * pkg/apis/meta/v1 types.go Preconditions; the API server answers 409
 * Conflict when the uid or resourceVersion no longer match).
 */
describe('deletes with preconditions', () => {
  let sandbox: Sandbox;
  let client: KubeClient;
  const ref = {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    name: 'allow-nothing',
    namespace: 'reporting',
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ tickMs: 1000 });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(sandbox.kubeconfig);
    client = new KubeClient(kubeConfig);
  });
  afterAll(() => sandbox?.stop());

  it('refuses to delete an object changed since the plan, deletes the planned one', async () => {
    const planned = await client.apply(
      allowNothingPolicy('reporting'),
      FIELD_MANAGER,
    );
    const { uid, resourceVersion } = planned.metadata as any;
    // Someone changes it after the plan was made
    const changed = await client.apply(
      {
        ...allowNothingPolicy('reporting'),
        metadata: {
          ...allowNothingPolicy('reporting').metadata,
          labels: { by: 'hand' },
        },
      },
      'kubectl',
    );
    await expect(
      client.delete(ref, { uid, resourceVersion }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/Precondition failed: ResourceVersion/),
    });
    await expect(client.delete(ref, { uid: 'another-uid' })).rejects.toThrow(
      /Precondition failed: UID/,
    );
    expect(await client.get(ref)).toBeDefined();
    await client.delete(ref, {
      uid,
      resourceVersion: (changed.metadata as any).resourceVersion,
    });
    expect(await client.get(ref)).toBeUndefined();
  });
});
