import { ConfigReader } from '@backstage/config';
import type { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';
import {
  SANDBOX_TOKENS,
  Sandbox,
  startSandbox,
} from '@ambient-mesh/mesh-sandbox';
import { CoreV1Api } from '@kubernetes/client-node';
import { ConfigClusterClientFactory } from './ConfigClusterClientFactory';

jest.setTimeout(30_000);

// The clusters' authProvider keys and metadata are those of the Kubernetes plugin's
// config (plugins/kubernetes-backend/config.d.ts and src/auth/*Strategy.ts, backstage
// v1.57.0); every request goes over HTTPS to the sandbox's API server, which answers
// 401 to a request without a known bearer token, as kube-apiserver does
// (kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/filters/authentication.go).
describe("cluster auth through the Kubernetes plugin's strategies, against the sandbox", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ tickMs: 1000 });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  function factory(
    cluster: Record<string, unknown>,
    authStrategies?: Record<string, AuthenticationStrategy>,
  ) {
    return ConfigClusterClientFactory.fromConfig(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'sandbox',
                  url: sandbox.kubernetesUrl,
                  caData: Buffer.from(sandbox.caCert).toString('base64'),
                  ...cluster,
                },
              ],
            },
          ],
        },
      }),
      { authStrategies },
    );
  }

  const listNamespaces = (f: ConfigClusterClientFactory) =>
    f
      .getKubeConfig('sandbox')
      .makeApiClient(CoreV1Api)
      .listNamespace()
      .then(list => list.items.map(n => n.metadata?.name));

  it('reads with serviceAccount and its token', async () => {
    const f = factory({
      authProvider: 'serviceAccount',
      serviceAccountToken: SANDBOX_TOKENS.readonly,
    });
    await expect(listNamespaces(f)).resolves.toContain('microservices');
  });

  it('sends no credentials with localKubectlProxy (AnonymousStrategy): the server refuses', async () => {
    const f = factory({ authProvider: 'localKubectlProxy' });
    await expect(listNamespaces(f)).rejects.toMatchObject({ code: 401 });
  });

  it('says that oidc needs the signed-in user token, which server-side reads do not have', async () => {
    const f = factory({ authProvider: 'oidc', oidcTokenProvider: 'okta' });
    await expect(listNamespaces(f)).rejects.toThrow(
      'Cluster "sandbox" uses authProvider "oidc", which authenticates with the signed-in user\'s own token',
    );
  });

  it('uses a strategy added under a new authProvider, asked on every request', async () => {
    const seen: string[] = [];
    const vault: AuthenticationStrategy = {
      async getCredential(cluster) {
        seen.push(`${cluster.name} ${cluster.authMetadata.vaultRole}`);
        return { type: 'bearer token', token: SANDBOX_TOKENS.admin };
      },
      validateCluster: metadata =>
        metadata.vaultRole ? [] : [new Error('vaultRole is required')],
      presentAuthMetadata: () => ({}),
    };
    const f = factory(
      { authProvider: 'vault', authMetadata: { vaultRole: 'mesh-reader' } },
      { vault },
    );
    await listNamespaces(f);
    await expect(listNamespaces(f)).resolves.toContain('istio-system');
    expect(seen).toEqual(['sandbox mesh-reader', 'sandbox mesh-reader']);
    expect(() => factory({ authProvider: 'vault' }, { vault })).toThrow(
      "Invalid cluster 'sandbox' in kubernetes.clusterLocatorMethods: vaultRole is required",
    );
  });

  it('names the missing strategy of an unknown authProvider', () => {
    expect(() =>
      factory({ authProvider: 'pinniped' }).getKubeConfig('sandbox'),
    ).toThrow(
      /Cluster "sandbox" uses authProvider "pinniped", which has no authentication strategy; known: aks, aws, azure, google, googleServiceAccount, localKubectlProxy, oidc, serviceAccount/,
    );
  });
});
