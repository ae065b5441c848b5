import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import {
  ClusterConnection,
  LocalKubeconfig,
  readClusterConnections,
  readLocalKubeconfig,
} from './clusterConfig';
import { ClusterClientFactory, ClusterSummary } from './types';

type ClusterSource =
  | { kind: 'connection'; connection: ClusterConnection }
  | { kind: 'kubeconfig'; name: string; url: string; kubeConfig: KubeConfig };

/**
 * Clusters from the Kubernetes plugin's config (`kubernetes.clusterLocatorMethods`
 * of type `config`) and, for development, `istio.localKubeconfig`.
 *
 * @public
 */
export class ConfigClusterClientFactory implements ClusterClientFactory {
  /** Reads the clusters from the root config. */
  static fromConfig(config: Config): ConfigClusterClientFactory {
    return new ConfigClusterClientFactory(
      readClusterConnections(config),
      readLocalKubeconfig(config),
    );
  }

  private readonly sources: ClusterSource[];

  constructor(connections: ClusterConnection[], local?: LocalKubeconfig) {
    this.sources = connections.map(connection => ({
      kind: 'connection' as const,
      connection,
    }));
    if (local) {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromFile(local.path);
      if (local.context) {
        kubeConfig.setCurrentContext(local.context);
      }
      const cluster = kubeConfig.getCurrentCluster();
      if (!cluster) {
        throw new InputError(
          `istio.localKubeconfig: ${local.path} has no current context; set istio.localKubeconfig.context`,
        );
      }
      this.sources.push({
        kind: 'kubeconfig',
        name: local.name ?? kubeConfig.getCurrentContext(),
        url: cluster.server,
        kubeConfig,
      });
    }
  }

  listClusters(): ClusterSummary[] {
    return this.sources.map(source =>
      source.kind === 'connection'
        ? {
            name: source.connection.name,
            url: source.connection.url,
            dashboardUrl: source.connection.dashboardUrl,
          }
        : { name: source.name, url: source.url },
    );
  }

  getKubeConfig(clusterName?: string): KubeConfig {
    const source = this.pick(clusterName);
    if (source.kind === 'kubeconfig') {
      return source.kubeConfig;
    }
    if (source.connection.authProvider !== 'serviceAccount') {
      throw new InputError(
        `Cluster "${source.connection.name}" uses authProvider "${source.connection.authProvider}", which the Istio plugins do not support; give it authProvider serviceAccount with a serviceAccountToken, or use istio.localKubeconfig`,
      );
    }
    return connectionKubeConfig(source.connection);
  }

  private pick(clusterName?: string): ClusterSource {
    const names = this.sources.map(nameOf);
    if (names.length === 0) {
      throw new InputError(
        'No cluster is configured: add one under kubernetes.clusterLocatorMethods (type config) or istio.localKubeconfig',
      );
    }
    if (!clusterName) {
      if (this.sources.length === 1) {
        return this.sources[0];
      }
      throw new InputError(
        `Several clusters are configured; set the input "cluster" to one of: ${names.join(
          ', ',
        )}`,
      );
    }
    const found = this.sources.find(source => nameOf(source) === clusterName);
    if (!found) {
      throw new InputError(
        `Unknown cluster "${clusterName}" in input "cluster"; configured clusters: ${names.join(
          ', ',
        )}`,
      );
    }
    return found;
  }
}

function nameOf(source: ClusterSource): string {
  return source.kind === 'connection' ? source.connection.name : source.name;
}

/** A KubeConfig for one configured cluster and its service account token. */
export function connectionKubeConfig(
  connection: ClusterConnection,
): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: connection.name,
        server: connection.url,
        caData: connection.caData,
        caFile: connection.caFile,
        skipTLSVerify: connection.skipTLSVerify ?? false,
      },
    ],
    users: [{ name: connection.name, token: connection.serviceAccountToken }],
    contexts: [
      {
        name: connection.name,
        cluster: connection.name,
        user: connection.name,
      },
    ],
    currentContext: connection.name,
  });
  return kubeConfig;
}
