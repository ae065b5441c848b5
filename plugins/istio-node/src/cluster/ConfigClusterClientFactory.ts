import fs from 'node:fs';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';
import { KubeConfig } from '@kubernetes/client-node';
import {
  ClusterConnection,
  LocalKubeconfig,
  readClusterConnections,
  readLocalKubeconfig,
} from './clusterConfig';
import {
  defaultAuthStrategies,
  StrategyAuthenticator,
  strategyUser,
} from './kubernetesAuth';
import { ClusterClientFactory, ClusterSummary } from './types';

/**
 * Options of {@link ConfigClusterClientFactory.fromConfig}.
 *
 * @public
 */
export interface ConfigClusterClientFactoryOptions {
  /** Logs token refreshes of the Azure strategy. */
  logger?: LoggerService;
  /** Strategies by `authProvider`, added to (or replacing) the Kubernetes plugin's. */
  authStrategies?: Record<string, AuthenticationStrategy>;
}

const silentLogger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return silentLogger;
  },
};

type ClusterSource =
  | { kind: 'connection'; connection: ClusterConnection }
  | { kind: 'kubeconfig'; local: LocalKubeconfig };

/**
 * Clusters from the Kubernetes plugin's config (`kubernetes.clusterLocatorMethods`
 * of type `config`) and, for development, `istio.localKubeconfig`.
 *
 * Each config cluster is authenticated by the Kubernetes plugin's strategy for its
 * `authProvider` (`@backstage/plugin-kubernetes-backend`'s AuthenticationStrategy
 * classes), asked on every request; strategies can be added or replaced.
 *
 * The kubeconfig file is read when a cluster is used, not at startup, so the
 * backend starts before the file exists and follows it when it is rewritten.
 *
 * @public
 */
export class ConfigClusterClientFactory implements ClusterClientFactory {
  /** Reads the clusters from the root config. */
  static fromConfig(
    config: Config,
    options: ConfigClusterClientFactoryOptions = {},
  ): ConfigClusterClientFactory {
    return new ConfigClusterClientFactory(
      readClusterConnections(config),
      readLocalKubeconfig(config),
      {
        authStrategies: {
          ...defaultAuthStrategies({
            config,
            logger: options.logger ?? silentLogger,
          }),
          ...options.authStrategies,
        },
      },
    );
  }

  private readonly sources: ClusterSource[];
  private readonly strategies: Record<string, AuthenticationStrategy>;
  private cached?: { mtimeMs: number; kubeConfig: KubeConfig };

  /**
   * Without `authStrategies`, config clusters are reached with their
   * `serviceAccountToken` only.
   */
  constructor(
    connections: ClusterConnection[],
    local?: LocalKubeconfig,
    options: { authStrategies?: Record<string, AuthenticationStrategy> } = {},
  ) {
    this.strategies = options.authStrategies ?? {};
    for (const connection of connections) {
      const strategy = this.strategies[connection.authProvider];
      const errors = strategy?.validateCluster(connection.authMetadata ?? {});
      if (errors?.length) {
        throw new InputError(
          `Invalid cluster '${
            connection.name
          }' in kubernetes.clusterLocatorMethods: ${errors
            .map(e => e.message)
            .join(', ')}`,
        );
      }
    }
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
    const { connection } = source;
    const strategy = this.strategies[connection.authProvider];
    if (strategy) {
      return strategyKubeConfig(connection, strategy);
    }
    if (connection.authProvider === 'serviceAccount') {
      return connectionKubeConfig(connection);
    }
    throw new InputError(
      `Cluster "${connection.name}" uses authProvider "${
        connection.authProvider
      }", which has no authentication strategy; known: ${
        Object.keys(this.strategies).sort().join(', ') || 'serviceAccount'
      }. Add one with istioClusterAccessExtensionPoint (and istioScaffolderClusterAccessExtensionPoint for the istio:* actions)`,
    );
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

/**
 * A KubeConfig for one configured cluster whose requests are authenticated by an
 * AuthenticationStrategy of the Kubernetes plugin.
 */
function strategyKubeConfig(
  connection: ClusterConnection,
  strategy: AuthenticationStrategy,
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
    users: [strategyUser(connection.name)],
    contexts: [
      {
        name: connection.name,
        cluster: connection.name,
        user: connection.name,
      },
    ],
    currentContext: connection.name,
  });
  kubeConfig.addAuthenticator(
    new StrategyAuthenticator(
      strategy,
      {
        name: connection.name,
        url: connection.url,
        authMetadata: connection.authMetadata ?? {
          'kubernetes.io/auth-provider': connection.authProvider,
          ...(connection.serviceAccountToken
            ? { serviceAccountToken: connection.serviceAccountToken }
            : {}),
        },
        skipTLSVerify: connection.skipTLSVerify,
        caData: connection.caData,
        caFile: connection.caFile,
      },
      connection.authProvider,
    ),
  );
  return kubeConfig;
}
