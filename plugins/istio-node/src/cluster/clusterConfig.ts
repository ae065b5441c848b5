import { Config } from '@backstage/config';

/**
 * One cluster as read from config, with its credentials.
 *
 * @public
 */
export interface ClusterConnection {
  name: string;
  url: string;
  /** The Kubernetes plugin's authProvider; only `serviceAccount` is supported. */
  authProvider: string;
  /** Bearer token of a service account. */
  serviceAccountToken?: string;
  /** Base64-encoded PEM certificate authority. */
  caData?: string;
  /** Path of a PEM certificate authority file. */
  caFile?: string;
  skipTLSVerify?: boolean;
  dashboardUrl?: string;
}

/**
 * A kubeconfig file to use during development.
 *
 * @public
 */
export interface LocalKubeconfig {
  /** Path of the kubeconfig file. */
  path: string;
  /** Context to use (default: the file's current context). */
  context?: string;
  /** Name under which the cluster is listed (default: the context name). */
  name?: string;
}

/**
 * Reads the clusters of `kubernetes.clusterLocatorMethods` entries of type
 * `config` (other locator types are ignored).
 *
 * @public
 */
export function readClusterConnections(config: Config): ClusterConnection[] {
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  const clusters: ClusterConnection[] = [];
  for (const method of methods) {
    if (method.getString('type') !== 'config') {
      continue;
    }
    for (const cluster of method.getOptionalConfigArray('clusters') ?? []) {
      const authProvider =
        cluster.getOptionalString('authProvider') ?? 'serviceAccount';
      const token = cluster.getOptionalString('serviceAccountToken');
      clusters.push({
        name: cluster.getString('name'),
        url: cluster.getString('url'),
        authProvider,
        serviceAccountToken:
          authProvider === 'serviceAccount' ? token : undefined,
        caData: cluster.getOptionalString('caData'),
        caFile: cluster.getOptionalString('caFile'),
        skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify'),
        dashboardUrl: cluster.getOptionalString('dashboardUrl'),
      });
    }
  }
  return clusters;
}

/**
 * Reads `istio.localKubeconfig`, when present.
 *
 * @public
 */
export function readLocalKubeconfig(
  config: Config,
): LocalKubeconfig | undefined {
  const local = config.getOptionalConfig('istio.localKubeconfig');
  if (!local) {
    return undefined;
  }
  return {
    path: local.getString('path'),
    context: local.getOptionalString('context'),
    name: local.getOptionalString('name'),
  };
}
