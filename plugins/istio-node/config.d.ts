export interface Config {
  /**
   * Istio ambient mesh plugins. Clusters are read from the Kubernetes
   * plugin's `kubernetes.clusterLocatorMethods` (type `config`).
   */
  istio?: {
    /**
     * A kubeconfig file used as one more cluster, for development.
     */
    localKubeconfig?: {
      /** Path of the kubeconfig file. */
      path: string;
      /** Context to use; default: the file's current context. */
      context?: string;
      /** Name under which the cluster is listed; default: the context name. */
      name?: string;
    };
    /**
     * Onboarding (scaffolder actions istio:*).
     */
    onboarding?: {
      /**
       * Namespaces the actions refuse to change, in addition to kube-system,
       * kube-public, kube-node-lease and istio-system.
       */
      protectedNamespaces?: string[];
      /**
       * How long to wait for a waypoint to be Programmed, in seconds; default 90.
       */
      waypointTimeoutSeconds?: number;
    };
  };
}
