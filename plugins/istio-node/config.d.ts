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
     * GitOps: where the write actions' plans go when a template names no mode.
     */
    gitops?: {
      /**
       * `apply` changes the cluster; `gitops` renders the same objects as files
       * under istio/<cluster>/<namespace>/ in the scaffolder workspace, for a
       * pull request (templates then publish them). Default apply.
       * @visibility frontend
       */
      defaultMode?: 'apply' | 'gitops';
    };
    /**
     * Onboarding (scaffolder actions istio:*).
     */
    onboarding?: {
      /**
       * Namespaces the actions refuse to change (and the mesh view refuses to
       * read through entity annotations), in addition to every kube-*
       * namespace, istio-system, istio-cni and ztunnel.
       */
      protectedNamespaces?: string[];
      /**
       * The mesh's root namespace; policies there are mesh-wide and need
       * istio.mesh.admin. Default istio-system.
       */
      rootNamespace?: string;
      /**
       * How long to wait for a waypoint to be Programmed, in seconds; default 90.
       */
      waypointTimeoutSeconds?: number;
      /** Deadline of each Kubernetes request of an action, in seconds; default 30. */
      requestTimeoutSeconds?: number;
      /** Deadline of a whole action, in seconds; default 600. */
      deadlineSeconds?: number;
      /**
       * Where istio:mesh:provision may download the Gateway API CRDs from.
       * Nothing else is downloaded; an input may only pick one of these.
       */
      gatewayApiManifests?: {
        /**
         * Allowed URLs; `{version}` is replaced by the release tag, e.g.
         * https://mirror.example.com/gateway-api/{version}/standard-install.yaml.
         * Redirects are followed only to the same host.
         */
        urls?: string[];
        /** Download deadline in seconds; default 30. */
        timeoutSeconds?: number;
        /** Largest manifest accepted, in bytes; default 10485760. */
        maxBytes?: number;
      };
      /** JSON Web Key Set URLs given to istiod (RequestAuthentication jwksUri). */
      jwks?: {
        /**
         * Accept jwksUri on loopback, link-local or private addresses
         * (an issuer inside the cluster network); default false.
         */
        allowPrivateAddresses?: boolean;
      };
    };
  };
}
