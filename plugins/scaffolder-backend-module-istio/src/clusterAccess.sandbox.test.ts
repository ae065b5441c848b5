import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import type { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';
import { istioScaffolderClusterAccessExtensionPoint } from '@ambient-mesh/plugin-istio-node';
import { Sandbox, startSandbox } from '@ambient-mesh/mesh-sandbox';
import { actionContext } from './__testUtils__/sandboxActions';
import { scaffolderModuleIstio } from './module';

jest.setTimeout(60_000);

describe('istio:* actions with cluster access added by a scaffolder module', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 0, tickMs: 1000 });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('reaches a cluster whose authProvider only an added strategy knows', async () => {
    const asked: string[] = [];
    // An authProvider of the adopter's own, as the Kubernetes plugin's
    // kubernetesAuthStrategyExtensionPoint takes them (AuthenticationStrategy of
    // @backstage/plugin-kubernetes-node, backstage v1.57.0)
    const vault: AuthenticationStrategy = {
      async getCredential(cluster) {
        asked.push(cluster.name);
        return { type: 'bearer token', token: sandbox.tokens.readonly };
      },
      validateCluster: () => [],
      presentAuthMetadata: () => ({}),
    };
    const vaultModule = createBackendModule({
      pluginId: 'scaffolder',
      moduleId: 'acme-vault',
      register(reg) {
        reg.registerInit({
          deps: { clusterAccess: istioScaffolderClusterAccessExtensionPoint },
          async init({ clusterAccess }) {
            clusterAccess.addAuthStrategy('vault', vault);
          },
        });
      },
    });
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...added: any[]) => actions.push(...added) },
        ],
      ],
      features: [
        scaffolderModuleIstio,
        vaultModule,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'vaulted',
                      url: sandbox.kubernetesUrl,
                      authProvider: 'vault',
                      caData: Buffer.from(sandbox.caCert).toString('base64'),
                    },
                  ],
                },
              ],
            },
          },
        }),
      ],
    });
    const check = actions.find(a => a.id === 'istio:mesh:check')!;
    const run = actionContext({});
    await check.handler(run.ctx);
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set(['vaulted']));
    expect(run.outputs.ready).toBe(true);
  });
});
