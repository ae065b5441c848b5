import type { KubeConfig } from '@kubernetes/client-node';

/**
 * What the plugins know about one configured cluster (no secrets).
 *
 * @public
 */
export interface ClusterSummary {
  /** The cluster's name, as written in config. */
  name: string;
  /** The API server URL. */
  url: string;
  /** A link to the cluster's dashboard, when configured. */
  dashboardUrl?: string;
}

/**
 * Gives access to the Kubernetes clusters the plugins may read and change.
 *
 * The default implementation reads the Kubernetes plugin's config; other
 * authentication methods can be plugged in by implementing this interface.
 *
 * @public
 */
export interface ClusterClientFactory {
  /** The clusters that can be used, in config order. */
  listClusters(): ClusterSummary[];
  /**
   * A KubeConfig whose current context points at the named cluster.
   * Without a name, the only configured cluster is used; an InputError
   * lists the names when there are several or none match.
   */
  getKubeConfig(clusterName?: string): KubeConfig;
}
