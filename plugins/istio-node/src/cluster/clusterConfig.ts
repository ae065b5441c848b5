import { Config } from '@backstage/config';

/**
 * One cluster as read from config, with its credentials.
 *
 * @public
 */
export interface ClusterConnection {
  name: string;
  url: string;
  /**
   * The Kubernetes plugin's authProvider: `serviceAccount`, `aws`, `azure`,
   * `googleServiceAccount`, `localKubectlProxy`, ... or one added through
   * `istioClusterAccessExtensionPoint`.
   */
  authProvider: string;
  /**
   * The cluster's auth metadata as the Kubernetes plugin reads it: `authMetadata`, and
   * `assumeRole`, `externalId`, `oidcTokenProvider`, `serviceAccountToken` under their
   * `kubernetes.io/...` keys; given to the auth strategy.
   */
  authMetadata?: Record<string, string>;
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

// The keys of the Kubernetes plugin's auth metadata
// (plugins/kubernetes-common/src/constants.ts, backstage v1.57.0)
const AUTH_PROVIDER = 'kubernetes.io/auth-provider';
const METADATA_KEYS: Record<string, string> = {
  assumeRole: 'kubernetes.io/aws-assume-role',
  externalId: 'kubernetes.io/aws-external-id',
  oidcTokenProvider: 'kubernetes.io/oidc-token-provider',
  serviceAccountToken: 'serviceAccountToken',
};

/**
 * A cluster's auth metadata as the Kubernetes plugin's ConfigClusterLocator builds it
 * (plugins/kubernetes-backend/src/cluster-locator/ConfigClusterLocator.ts, v1.57.0).
 */
function readAuthMetadata(
  cluster: Config,
  authProvider: string,
  block: Record<string, string> | undefined,
): Record<string, string> {
  const metadata: Record<string, string> = { [AUTH_PROVIDER]: authProvider };
  for (const [key, metadataKey] of Object.entries(METADATA_KEYS)) {
    const value = cluster.getOptionalString(key);
    if (value) metadata[metadataKey] = value;
  }
  return { ...metadata, ...block };
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
      const block = cluster.getOptional<Record<string, string>>('authMetadata');
      const authProvider =
        block?.[AUTH_PROVIDER] ??
        cluster.getOptionalString('authProvider') ??
        'serviceAccount';
      const token = cluster.getOptionalString('serviceAccountToken');
      clusters.push({
        name: cluster.getString('name'),
        url: cluster.getString('url'),
        authProvider,
        authMetadata: readAuthMetadata(cluster, authProvider, block),
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
