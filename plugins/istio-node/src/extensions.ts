import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  SeriesPoint,
  TempoTraceByIdResponse,
} from '@ambient-mesh/plugin-istio-common';
import type { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';
import type { IstioDiagnosticRule, PrometheusTarget } from './assessment';
import type { ClusterClientFactory } from './cluster/types';

/**
 * Builds a {@link ClusterClientFactory} from the default one (the Kubernetes plugin's
 * cluster config with every auth strategy).
 *
 * @public
 */
export type ClusterClientFactoryFactory = (opts: {
  getDefault: () => ClusterClientFactory;
}) => ClusterClientFactory;

/**
 * The interface for {@link istioClusterAccessExtensionPoint} and
 * {@link istioScaffolderClusterAccessExtensionPoint}.
 *
 * @public
 */
export interface IstioClusterAccessExtensionPoint {
  /**
   * Authenticates the clusters whose `authProvider` is `key`, like the Kubernetes
   * plugin's `kubernetesAuthStrategyExtensionPoint` (the same strategies fit both).
   */
  addAuthStrategy(key: string, strategy: AuthenticationStrategy): void;
  /** Replaces how clusters are listed and reached. */
  setClusterClientFactory(
    factory: ClusterClientFactory | ClusterClientFactoryFactory,
  ): void;
}

/**
 * Cluster access of the istio backend plugin (the mesh view).
 *
 * @public
 */
export const istioClusterAccessExtensionPoint =
  createExtensionPoint<IstioClusterAccessExtensionPoint>({
    id: 'istio.cluster-access',
  });

/**
 * Cluster access of the istio:* scaffolder actions: the same interface, registered by
 * `@ambient-mesh/plugin-scaffolder-backend-module-istio` for modules of the scaffolder.
 *
 * @public
 */
export const istioScaffolderClusterAccessExtensionPoint =
  createExtensionPoint<IstioClusterAccessExtensionPoint>({
    id: 'istio.scaffolder.cluster-access',
  });

/**
 * The interface for {@link istioDiagnosticRulesExtensionPoint}.
 *
 * @public
 */
export interface IstioDiagnosticRulesExtensionPoint {
  /** Adds checks that run after the built-in ones, in every mesh answer. */
  addDiagnosticRules(...rules: IstioDiagnosticRule[]): void;
}

/**
 * Diagnostic rules of an adopter's own, shown on the Service Mesh tab with the others.
 *
 * @public
 */
export const istioDiagnosticRulesExtensionPoint =
  createExtensionPoint<IstioDiagnosticRulesExtensionPoint>({
    id: 'istio.diagnostic-rules',
  });

/**
 * One series of an instant PromQL query.
 *
 * @public
 */
export interface IstioMetricSample {
  labels: Record<string, string>;
  value: number | null;
}

/**
 * Something that answers PromQL over Istio's standard metrics: a Prometheus-compatible
 * store reached in a way the `istio.prometheus` config cannot express (a signing
 * proxy, a managed service's SDK...). Queries are built and escaped by the plugin.
 *
 * @public
 */
export interface IstioMetricsSource {
  /** Name that entities pick with `istio.ambient-mesh.io/prometheus`. */
  name: string;
  /** Clusters it holds metrics of; undefined means all. */
  clusters?: string[];
  /** An instant query: one sample per series. */
  query(promql: string): Promise<IstioMetricSample[]>;
  /** A range query (Unix seconds): the first series' points. */
  queryRange(
    promql: string,
    range: { start: number; end: number; step: number },
  ): Promise<SeriesPoint[]>;
  /**
   * The active scrape targets, as Prometheus' `/api/v1/targets?state=active` lists
   * them; optional, used to tell whether ztunnel and waypoints are scraped.
   */
  activeTargets?(): Promise<PrometheusTarget[]>;
}

/**
 * The interface for {@link istioMetricsSourcesExtensionPoint}.
 *
 * @public
 */
export interface IstioMetricsSourcesExtensionPoint {
  addMetricsSource(source: IstioMetricsSource): void;
}

/**
 * Metrics sources next to the configured Prometheus instances.
 *
 * @public
 */
export const istioMetricsSourcesExtensionPoint =
  createExtensionPoint<IstioMetricsSourcesExtensionPoint>({
    id: 'istio.metrics-sources',
  });

/**
 * One TraceQL search, as Tempo's `/api/search` takes it.
 *
 * @public
 */
export interface IstioTracesSearch {
  /** TraceQL, built and escaped by the plugin. */
  q: string;
  /** Unix seconds. */
  start: number;
  end: number;
  limit: number;
  /** Spans per span set. */
  spss?: number;
}

/**
 * A trace as Tempo's `/api/search` lists it.
 *
 * @public
 */
export interface IstioTracesSearchTrace {
  traceID: string;
  rootServiceName?: string;
  rootTraceName?: string;
  startTimeUnixNano?: string;
  durationMs?: number;
  spanSets?: Array<{
    spans?: Array<{
      spanID: string;
      startTimeUnixNano?: string;
      durationNanos?: string;
      attributes?: Array<{
        key: string;
        value: { stringValue?: string; intValue?: string };
      }>;
    }>;
    matched?: number;
  }>;
}

/**
 * Something that answers TraceQL searches in Tempo's shape.
 *
 * @public
 */
export interface IstioTracesSource {
  /** Name that entities pick with `istio.ambient-mesh.io/tempo`. */
  name: string;
  /** Clusters it holds traces of; undefined means all. */
  clusters?: string[];
  search(search: IstioTracesSearch): Promise<IstioTracesSearchTrace[]>;
  /**
   * One trace by id, in the shape of Tempo's `/api/v2/traces/{id}`; optional, needed
   * to open a trace's spans on the tab.
   */
  traceById?(traceId: string): Promise<TempoTraceByIdResponse>;
  /** A link to one trace in a viewer, if there is one. */
  traceLink?(traceId: string): string | undefined;
}

/**
 * The interface for {@link istioTracesSourcesExtensionPoint}.
 *
 * @public
 */
export interface IstioTracesSourcesExtensionPoint {
  addTracesSource(source: IstioTracesSource): void;
}

/**
 * Traces sources next to the configured Tempo instances.
 *
 * @public
 */
export const istioTracesSourcesExtensionPoint =
  createExtensionPoint<IstioTracesSourcesExtensionPoint>({
    id: 'istio.traces-sources',
  });
