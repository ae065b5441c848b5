import fs from 'node:fs';
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
  | { kind: 'kubeconfig'; local: LocalKubeconfig };

/**
 * Clusters from the Kubernetes plugin's config (`kubernetes.clusterLocatorMethods`
 * of type `config`) and, for development, `istio.localKubeconfig`.
 *
 * The kubeconfig file is read when a cluster is used, not at startup, so the
 * backend starts before the file exists and follows it when it is rewritten.
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
  private cached?: { mtimeMs: number; kubeConfig: KubeConfig };

  constructor(connections: ClusterConnection[], local?: LocalKubeconfig) {
    this.sources = connections.map(connection => ({
      kind: 'connection' as const,
      connection,
    }));
    if (local) {
      this.sources.push({ kind: 'kubeconfig', local });
    }
  }

  listClusters(): ClusterSummary[] {
    return this.sources.map(source => {
      if (source.kind === 'connection') {
        return {
          name: source.connection.name,
          url: source.connection.url,
          dashboardUrl: source.connection.dashboardUrl,
        };
      }
      const kubeConfig = this.tryLoad(source.local);
      return {
        name: this.nameOf(source),
        url: kubeConfig?.getCurrentCluster()?.server ?? '',
      };
    });
  }

  getKubeConfig(clusterName?: string): KubeConfig {
    const source = this.pick(clusterName);
    if (source.kind === 'kubeconfig') {
      return this.load(source.local);
    }
    if (source.connection.authProvider !== 'serviceAccount') {
      throw new InputError(
        `Cluster "${source.connection.name}" uses authProvider "${source.connection.authProvider}", which the Istio plugins do not support; give it authProvider serviceAccount with a serviceAccountToken, or use istio.localKubeconfig`,
      );
    }
    return connectionKubeConfig(source.connection);
  }

  /** A local kubeconfig is named by config, else by its context. */
  private nameOf(source: ClusterSource): string {
    if (source.kind === 'connection') {
      return source.connection.name;
    }
    const { local } = source;
    return (
      local.name ??
      local.context ??
      this.tryLoad(local)?.getCurrentContext() ??
      'local'
    );
  }

  private tryLoad(local: LocalKubeconfig): KubeConfig | undefined {
    try {
      return this.load(local);
    } catch {
      return undefined;
    }
  }

  /** Reads the kubeconfig file again when it changed. */
  private load(local: LocalKubeconfig): KubeConfig {
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(local.path).mtimeMs;
    } catch (error) {
      // The message names the config key, not the file system path
      throw new InputError(
        `The file at istio.localKubeconfig.path cannot be read (${
          (error as NodeJS.ErrnoException).code ?? 'unreadable'
        }); fix the path or create the file`,
      );
    }
    if (this.cached?.mtimeMs === mtimeMs) {
      return this.cached.kubeConfig;
    }
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(local.path);
    if (local.context) {
      kubeConfig.setCurrentContext(local.context);
    }
    if (!kubeConfig.getCurrentCluster()) {
      throw new InputError(
        `istio.localKubeconfig: the file has no usable current context; set istio.localKubeconfig.context to one of: ${kubeConfig
          .getContexts()
          .map(c => c.name)
          .join(', ')}`,
      );
    }
    this.cached = { mtimeMs, kubeConfig };
    return kubeConfig;
  }

  private pick(clusterName?: string): ClusterSource {
    const names = this.sources.map(source => this.nameOf(source));
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
    const found = this.sources.find(
      source => this.nameOf(source) === clusterName,
    );
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
