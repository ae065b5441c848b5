import type { V1Namespace, V1Pod, V1Service } from '@kubernetes/client-node';
import type {
  CustomObject,
  GatewayObject,
  PolicyTargetReference,
  WorkloadSelector,
} from './snapshot';

/**
 * `networking.istio.io/v1` HTTP/TCP/TLS route destination.
 *
 * @public
 */
export interface RouteDestination {
  destination?: {
    host?: string;
    subset?: string;
    port?: { number?: number };
  };
  weight?: number;
}

/**
 * `networking.istio.io/v1` VirtualService spec (the parts the checks read).
 *
 * @public
 */
export interface VirtualServiceSpec {
  hosts?: string[];
  gateways?: string[];
  http?: Array<{
    name?: string;
    match?: Array<{ gateways?: string[]; [key: string]: unknown }>;
    route?: RouteDestination[];
    mirror?: RouteDestination['destination'];
    mirrors?: Array<{ destination?: RouteDestination['destination'] }>;
    [key: string]: unknown;
  }>;
  tcp?: Array<{
    match?: Array<{ gateways?: string[]; [key: string]: unknown }>;
    route?: RouteDestination[];
  }>;
  tls?: Array<{
    match?: Array<{ gateways?: string[]; [key: string]: unknown }>;
    route?: RouteDestination[];
  }>;
}

/**
 * A DestinationRule traffic policy (the parts Kiali's L7 classification reads).
 *
 * @public
 */
export interface TrafficPolicy {
  loadBalancer?: {
    simple?: string;
    consistentHash?: {
      httpHeaderName?: string;
      httpCookie?: unknown;
      [key: string]: unknown;
    };
  };
  connectionPool?: { tcp?: unknown; http?: unknown };
  outlierDetection?: unknown;
  tls?: unknown;
  [key: string]: unknown;
}

/**
 * `networking.istio.io/v1` DestinationRule spec.
 *
 * @public
 */
export interface DestinationRuleSpec {
  host?: string;
  trafficPolicy?: TrafficPolicy;
  subsets?: Array<{
    name: string;
    labels?: Record<string, string>;
    trafficPolicy?: TrafficPolicy;
  }>;
  exportTo?: string[];
}

/**
 * `networking.istio.io/v1` ServiceEntry spec.
 *
 * @public
 */
export interface ServiceEntrySpec {
  hosts?: string[];
  ports?: Array<{ number: number; protocol?: string; name?: string }>;
  resolution?: string;
  location?: string;
  workloadSelector?: { labels?: Record<string, string> };
  endpoints?: Array<{ address?: string; labels?: Record<string, string> }>;
  exportTo?: string[];
}

/**
 * `networking.istio.io/v1` Gateway spec (the Istio gateway, not Gateway API).
 *
 * @public
 */
export interface IstioGatewaySpec {
  selector?: Record<string, string>;
  servers?: Array<{
    port?: { number?: number; name?: string; protocol?: string };
    hosts?: string[];
  }>;
}

/**
 * A Gateway API parentRef / backendRef.
 *
 * @public
 */
export interface RouteReference {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  sectionName?: string;
}

/**
 * `gateway.networking.k8s.io/v1` HTTPRoute / GRPCRoute spec.
 *
 * @public
 */
export interface RouteSpec {
  parentRefs?: RouteReference[];
  hostnames?: string[];
  rules?: Array<{
    backendRefs?: Array<RouteReference & { weight?: number }>;
    [key: string]: unknown;
  }>;
}

/**
 * Route status: one entry per parent, with its conditions.
 *
 * @public
 */
export type RouteObject = CustomObject<RouteSpec> & {
  status?: {
    parents?: Array<{
      parentRef: RouteReference;
      controllerName?: string;
      conditions?: Array<{
        type: string;
        status: string;
        reason?: string;
        message?: string;
      }>;
    }>;
  };
};

/**
 * `gateway.networking.k8s.io/v1beta1` ReferenceGrant spec.
 *
 * @public
 */
export interface ReferenceGrantSpec {
  from?: Array<{ group?: string; kind?: string; namespace: string }>;
  to?: Array<{ group?: string; kind?: string; name?: string }>;
}

/**
 * `extensions.istio.io/v1alpha1` WasmPlugin spec.
 *
 * @public
 */
export interface WasmPluginSpec {
  selector?: WorkloadSelector;
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
  url?: string;
}

/**
 * `networking.istio.io/v1` Sidecar spec.
 *
 * @public
 */
export interface SidecarSpec {
  workloadSelector?: { labels?: Record<string, string> };
}

/**
 * `telemetry.istio.io/v1` Telemetry spec in full (tracing, metrics, accessLogging).
 *
 * @public
 */
export interface FullTelemetrySpec {
  selector?: WorkloadSelector;
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
  tracing?: Array<{
    providers?: Array<{ name: string }>;
    [k: string]: unknown;
  }>;
  metrics?: Array<{
    providers?: Array<{ name: string }>;
    overrides?: unknown[];
  }>;
  accessLogging?: Array<{
    providers?: Array<{ name: string }>;
    disabled?: boolean;
    filter?: unknown;
  }>;
}

/**
 * `monitoring.coreos.com/v1` ServiceMonitor / PodMonitor spec (the parts that select targets).
 *
 * @public
 */
export interface MonitorSpec {
  selector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { any?: boolean; matchNames?: string[] };
  endpoints?: Array<{ port?: string; path?: string }>;
  podMetricsEndpoints?: Array<{ port?: string; path?: string }>;
}

/** @public */
export type VirtualServiceObject = CustomObject<VirtualServiceSpec>;
/** @public */
export type DestinationRuleObject = CustomObject<DestinationRuleSpec>;
/** @public */
export type ServiceEntryObject = CustomObject<ServiceEntrySpec>;
/** @public */
export type IstioGatewayObject = CustomObject<IstioGatewaySpec>;
/** @public */
export type ReferenceGrantObject = CustomObject<ReferenceGrantSpec>;
/** @public */
export type WasmPluginObject = CustomObject<WasmPluginSpec>;
/** @public */
export type SidecarObject = CustomObject<SidecarSpec>;
/** @public */
export type FullTelemetryObject = CustomObject<FullTelemetrySpec>;
/** @public */
export type MonitorObject = CustomObject<MonitorSpec>;

/**
 * What Prometheus knows about the scrape of one job (targets API and `up`).
 *
 * @public
 */
export interface ScrapeTargetFacts {
  /** The pod the target scrapes (`__meta_kubernetes_pod_name` or the `pod` label). */
  pod?: string;
  namespace?: string;
  job: string;
  health: 'up' | 'down' | 'unknown';
  lastError?: string;
}

/**
 * Traffic-management, extension and Gateway API objects that can affect the entity's
 * services, read with a fixed number of LIST calls (cluster-wide or per namespace).
 *
 * @public
 */
export interface TrafficSnapshot {
  /** Every namespace (names and labels): host resolution and `source.namespaces` checks. */
  namespaces: V1Namespace[];
  /** Every Service in the cluster (host resolution, targetRefs, backendRefs). */
  services: V1Service[];
  /** Every pod of the entity's namespace (selector checks), not only the entity's. */
  namespacePods: V1Pod[];
  /** ServiceAccounts of the cluster, as `namespace/name`. */
  serviceAccounts: string[];
  virtualServices: VirtualServiceObject[];
  destinationRules: DestinationRuleObject[];
  serviceEntries: ServiceEntryObject[];
  istioGateways: IstioGatewayObject[];
  httpRoutes: RouteObject[];
  grpcRoutes: RouteObject[];
  /** Gateway API Gateways of the cluster (waypoints included). */
  gateways: GatewayObject[];
  gatewayClasses: string[];
  referenceGrants: ReferenceGrantObject[];
  /** Of the entity's namespace and the root namespace. */
  wasmPlugins: WasmPluginObject[];
  sidecars: SidecarObject[];
  telemetries: FullTelemetryObject[];
  /** Undefined when the Prometheus Operator CRDs are not installed. */
  serviceMonitors?: MonitorObject[];
  podMonitors?: MonitorObject[];
  /** The `defaultProviders.accessLogging` of the mesh config, when it could be read. */
  meshDefaultAccessLogging?: string[];
  /** Environment of istiod's discovery container, when it could be read. */
  istiodEnv?: Record<string, string>;
  /** Prometheus scrape facts for ztunnel and waypoint pods, when Prometheus was asked. */
  scrapeTargets?: ScrapeTargetFacts[];
}
