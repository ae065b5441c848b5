import { ConfigReader } from '@backstage/config';
import { ConfigClusterClientFactory } from './ConfigClusterClientFactory';

function factory(clusters: object[]) {
  return ConfigClusterClientFactory.fromConfig(
    new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'catalog' },
          { type: 'config', clusters },
        ],
      },
    }),
  );
}

const a = {
  name: 'a',
  url: 'https://a.example:6443',
  authProvider: 'serviceAccount',
  serviceAccountToken: 'token-a',
  caData: 'Y2E=',
  dashboardUrl: 'https://dash',
};
const b = {
  name: 'b',
  url: 'https://b.example:6443',
  authProvider: 'serviceAccount',
  serviceAccountToken: 'token-b',
  skipTLSVerify: true,
};

describe('ConfigClusterClientFactory', () => {
  it('lists config clusters without secrets', () => {
    expect(factory([a, b]).listClusters()).toEqual([
      {
        name: 'a',
        url: 'https://a.example:6443',
        dashboardUrl: 'https://dash',
      },
      { name: 'b', url: 'https://b.example:6443', dashboardUrl: undefined },
    ]);
  });

  it('builds a KubeConfig with the token, CA and TLS settings of the named cluster', () => {
    const kc = factory([a, b]).getKubeConfig('b');
    expect(kc.getCurrentCluster()).toMatchObject({
      name: 'b',
      server: 'https://b.example:6443',
      skipTLSVerify: true,
    });
    expect(kc.getCurrentUser()?.token).toBeUndefined();
  });

  it("authenticates with the token through the Kubernetes plugin's serviceAccount strategy", async () => {
    const kc = factory([a, b]).getKubeConfig('b');
    const options: { headers?: Record<string, string> } = {};
    await kc.applyToHTTPSOptions(options);
    expect(options.headers?.Authorization).toBe('Bearer token-b');
  });

  it('refuses at startup a cluster its strategy finds invalid, naming it', () => {
    // OidcStrategy.validateCluster (plugins/kubernetes-backend/src/auth/OidcStrategy.ts,
    // backstage v1.57.0): an oidc cluster needs oidcTokenProvider
    expect(() =>
      factory([{ name: 'c', url: 'https://c.example', authProvider: 'oidc' }]),
    ).toThrow(
      "Invalid cluster 'c' in kubernetes.clusterLocatorMethods: Must specify a token provider for 'oidc' strategy",
    );
  });

  it('uses the only cluster by default', () => {
    expect(factory([a]).getKubeConfig().getCurrentCluster()).toMatchObject({
      server: 'https://a.example:6443',
      caData: 'Y2E=',
    });
  });

  it.each([
    [
      [a, b],
      undefined,
      /Several clusters are configured; set the input "cluster" to one of: a, b/,
    ],
    [
      [a, b],
      'c',
      /Unknown cluster "c" in input "cluster"; configured clusters: a, b/,
    ],
    [[], undefined, /No cluster is configured/],
  ])('refuses an ambiguous or unknown cluster', (clusters, name, message) => {
    expect(() =>
      factory(clusters as object[]).getKubeConfig(name as string | undefined),
    ).toThrow(message);
  });
});
