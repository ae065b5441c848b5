import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleIstio } from './module';

describe('scaffolderModuleIstio', () => {
  it('registers the seven istio:* actions, each supporting dry run', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...added: TemplateAction<any, any, any>[]) =>
              actions.push(...added),
          },
        ],
      ],
      features: [
        scaffolderModuleIstio,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'prod',
                      url: 'https://127.0.0.1:6443',
                      authProvider: 'serviceAccount',
                      serviceAccountToken: 'token',
                    },
                  ],
                },
              ],
            },
            istio: { onboarding: { protectedNamespaces: ['payments'] } },
          },
        }),
      ],
    });
    expect(actions.map(a => a.id)).toEqual([
      'istio:mesh:check',
      'istio:mesh:provision',
      'istio:namespace:onboard',
      'istio:waypoint:apply',
      'istio:policy:apply',
      'istio:namespace:offboard',
      'istio:manifests:apply',
    ]);
    expect(actions.every(a => a.supportsDryRun)).toBe(true);
    expect(actions.every(a => (a.examples?.length ?? 0) > 0)).toBe(true);
    const onboard = actions.find(a => a.id === 'istio:namespace:onboard')!;
    expect(
      (onboard.schema?.input as any)?.properties?.namespace?.description,
    ).toBe('The namespace to enroll in ambient mode');
  });
});
