import path from 'node:path';
import { ConfigSources, FileConfigSource } from '@backstage/config-loader';

const PRODUCTION = path.resolve(
  __dirname,
  '../../../app-config.production.yaml',
);

const ENV: Record<string, string> = {
  APP_BASE_URL: 'https://portal.example.com',
  POSTGRES_HOST: 'db.internal',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'backstage',
  POSTGRES_PASSWORD: 'secret',
  K8S_CLUSTER_NAME: 'prod-eu',
  K8S_CLUSTER_URL: 'https://api.prod-eu.example.com:6443',
  K8S_CLUSTER_TOKEN: 'token',
  K8S_CLUSTER_CA_DATA: 'Y2E=',
  ISTIO_PROMETHEUS_URL: 'https://prometheus.example.com',
  ISTIO_TEMPO_URL: 'https://tempo.example.com',
};

/** The production config as the backend loads it (--config app-config.production.yaml). */
async function load(env: Record<string, string | undefined>) {
  const source = FileConfigSource.create({
    path: PRODUCTION,
    substitutionFunc: async name => env[name],
  });
  const config = await ConfigSources.toConfig(source);
  config.close();
  return config;
}

describe('app-config.production.yaml', () => {
  it('inherits nothing of the development setup', async () => {
    const config = await load(ENV);
    expect(config.getOptional('istio.localKubeconfig')).toBeUndefined();
    expect(config.getOptional('auth.providers.guest')).toBeUndefined();
    const text = JSON.stringify(config.get());
    expect(text).not.toMatch(/localhost|127\.0\.0\.1|\.sandbox|mesh-sandbox/);
    expect(
      config.getConfigArray('istio.prometheus')[0].getString('baseUrl'),
    ).toBe('https://prometheus.example.com');
  });

  it('makes the pull-request (gitops) mode the default of the write actions', async () => {
    const config = await load(ENV);
    expect(config.getString('istio.gitops.defaultMode')).toBe('gitops');
  });

  it.each([
    ['ISTIO_PROMETHEUS_URL', 'istio.prometheus[0].baseUrl'],
    ['APP_BASE_URL', 'backend.baseUrl'],
    ['K8S_CLUSTER_URL', 'kubernetes.clusterLocatorMethods[0].clusters[0].url'],
  ])('a missing %s stops the start, naming %s', async (variable, key) => {
    const config = await load({ ...ENV, [variable]: undefined });
    const read = () => {
      if (key.startsWith('istio.prometheus')) {
        return config
          .getConfigArray('istio.prometheus')[0]
          .getString('baseUrl');
      }
      if (key.startsWith('kubernetes')) {
        return config
          .getConfigArray('kubernetes.clusterLocatorMethods')[0]
          .getConfigArray('clusters')[0]
          .getString('url');
      }
      return config.getString(key);
    };
    expect(read).toThrow(`Missing required config value at '${key}'`);
  });
});
