export interface Config {
  /** Configuration of the Istio ambient mesh plugins. */
  istio?: {
    /**
     * Prometheus instances that scrape Istio metrics. The first one serving a
     * cluster is used, unless an entity names another one with the
     * `istio.ambient-mesh.io/prometheus` annotation.
     */
    prometheus?: Array<{
      /** A name entities can refer to. */
      name: string;
      /** Base URL of the Prometheus HTTP API, e.g. http://prometheus:9090 */
      baseUrl: string;
      /** The clusters this instance scrapes; all clusters when absent. */
      clusters?: string[];
      /**
       * Bearer token sent to Prometheus.
       * @visibility secret
       */
      bearerToken?: string;
      /** User name for basic authentication. */
      username?: string;
      /**
       * Password for basic authentication.
       * @visibility secret
       */
      password?: string;
    }>;
    /**
     * Grafana Tempo instances that receive the mesh's traces (through the
     * OpenTelemetry collector). Chosen like the Prometheus instances, with the
     * `istio.ambient-mesh.io/tempo` annotation.
     */
    tempo?: Array<{
      name: string;
      /** Base URL of the Tempo HTTP API, e.g. http://tempo:3200 */
      baseUrl: string;
      clusters?: string[];
      /** Tenant sent as X-Scope-OrgID to a multi-tenant Tempo. */
      orgId?: string;
      /**
       * Bearer token sent to Tempo.
       * @visibility secret
       */
      bearerToken?: string;
      /**
       * Grafana base URL; when set with datasourceUid, traces link to Grafana Explore.
       * @visibility frontend
       */
      grafanaUrl?: string;
      /** UID of the Tempo data source in Grafana. */
      grafanaDatasourceUid?: string;
    }>;
    /** How long each upstream may take before its section answers with a timeout. */
    timeouts?: {
      /** Kubernetes API calls of one mesh view, in milliseconds (default 5000). */
      kubernetesMs?: number;
      /** Prometheus queries, in milliseconds (default 5000). */
      prometheusMs?: number;
      /** Tempo searches, in milliseconds (default 5000). */
      tempoMs?: number;
    };
    /**
     * The watch-fed cluster cache: per cluster, informers keep the objects mesh
     * views read in the namespaces catalog entities claim (and the control-plane
     * namespaces), so a view needs no Kubernetes call once synced.
     */
    clusterCache?: {
      /** Watch clusters (default true); false reads Kubernetes on every view. */
      enabled?: boolean;
      /** Entity namespaces watched per cluster at most (default 500); others are read directly. */
      maxNamespaces?: number;
      /** Objects held per cluster before no namespace is added (default 100000). */
      maxObjects?: number;
      /** How often the namespaces entities claim are read from the catalog, in seconds (default 300). */
      namespaceRefreshSeconds?: number;
    };
    /**
     * How long a granted entity read (catalog read and istio.entity.read check)
     * is reused for the same caller token, in seconds (default 5; 0 checks on
     * every request).
     */
    accessCacheSeconds?: number;
    /** How long answers are cached, in seconds (default 15; 0 disables the cache). */
    cacheTtlSeconds?: number;
    /** Health thresholds (ratios between 0 and 1); Kiali's defaults when absent. */
    health?: {
      errorRatio5xx?: { degraded: number; failure: number };
      errorRatio4xx?: { degraded: number; failure: number };
    };
  };
}
