import type { IstioDiagnosticRule } from './diagnostics/context';
import type {
  V1Deployment,
  V1DaemonSet,
  V1Namespace,
  V1NetworkPolicy,
  V1Pod,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import type { ControlPlaneFacts } from '@ambient-mesh/plugin-istio-common';
import type { TrafficSnapshot } from './trafficObjects';

/**
 * A status condition as Kubernetes and Istio write it.
 *
 * @public
 */
export interface ObjectCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/**
 * Metadata of a custom object read as plain JSON.
 *
 * @public
 */
export interface CustomObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** RFC 3339 string from the API (Date when typed clients parsed it). */
  creationTimestamp?: string | Date;
}

/**
 * An Istio or Gateway API object read as plain JSON.
 *
 * @public
 */
export interface CustomObject<Spec> {
  apiVersion?: string;
  kind?: string;
  metadata: CustomObjectMeta;
  spec?: Spec;
  status?: { conditions?: ObjectCondition[]; [key: string]: unknown };
}

/**
 * `selector` of Istio policies: pods whose labels include all of these.
 *
 * @public
 */
export interface WorkloadSelector {
  matchLabels?: Record<string, string>;
}

/**
 * `targetRef`/`targetRefs` of Istio policies.
 *
 * @public
 */
export interface PolicyTargetReference {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * An AuthorizationPolicy rule's `from[].source`.
 *
 * @public
 */
export interface RuleSource {
  principals?: string[];
  notPrincipals?: string[];
  requestPrincipals?: string[];
  notRequestPrincipals?: string[];
  namespaces?: string[];
  notNamespaces?: string[];
  serviceAccounts?: string[];
  notServiceAccounts?: string[];
  ipBlocks?: string[];
  notIpBlocks?: string[];
  remoteIpBlocks?: string[];
  notRemoteIpBlocks?: string[];
  [field: string]: string[] | undefined;
}

/**
 * An AuthorizationPolicy rule's `to[].operation`.
 *
 * @public
 */
export interface RuleOperation {
  hosts?: string[];
  notHosts?: string[];
  ports?: string[];
  notPorts?: string[];
  methods?: string[];
  notMethods?: string[];
  paths?: string[];
  notPaths?: string[];
  [field: string]: string[] | undefined;
}

/**
 * One AuthorizationPolicy rule.
 *
 * @public
 */
export interface AuthorizationRule {
  from?: Array<{ source?: RuleSource }>;
  to?: Array<{ operation?: RuleOperation }>;
  when?: Array<{ key: string; values?: string[]; notValues?: string[] }>;
}

/**
 * `security.istio.io/v1` AuthorizationPolicy spec.
 *
 * @public
 */
export interface AuthorizationPolicySpec {
  selector?: WorkloadSelector;
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
  action?: 'ALLOW' | 'DENY' | 'CUSTOM' | 'AUDIT';
  provider?: { name?: string };
  rules?: AuthorizationRule[];
}

/**
 * `security.istio.io/v1` PeerAuthentication spec.
 *
 * @public
 */
export interface PeerAuthenticationSpec {
  selector?: WorkloadSelector;
  mtls?: { mode?: string };
  portLevelMtls?: Record<string, { mode?: string }>;
}

/**
 * `security.istio.io/v1` RequestAuthentication spec.
 *
 * @public
 */
export interface RequestAuthenticationSpec {
  selector?: WorkloadSelector;
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
  jwtRules?: Array<{ issuer?: string; jwksUri?: string; audiences?: string[] }>;
}

/**
 * `telemetry.istio.io/v1` Telemetry spec (the tracing part).
 *
 * @public
 */
export interface TelemetrySpec {
  selector?: WorkloadSelector;
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
  tracing?: Array<{
    providers?: Array<{ name: string }>;
    randomSamplingPercentage?: number;
    disableSpanReporting?: boolean;
  }>;
}

/**
 * `gateway.networking.k8s.io/v1` Gateway spec (the parts a waypoint uses).
 *
 * @public
 */
export interface GatewaySpec {
  gatewayClassName: string;
  /** Labels and annotations istiod copies onto the waypoint's Deployment and pods. */
  infrastructure?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  listeners?: Array<{
    name: string;
    port: number;
    protocol: string;
    allowedRoutes?: {
      namespaces?: { from?: 'Same' | 'All' | 'Selector'; selector?: unknown };
    };
  }>;
}

/**
 * A Gateway with its status addresses.
 *
 * @public
 */
export type GatewayObject = CustomObject<GatewaySpec> & {
  status?: {
    conditions?: ObjectCondition[];
    addresses?: Array<{ type?: string; value: string }>;
  };
};

/** @public */
export type AuthorizationPolicyObject = CustomObject<AuthorizationPolicySpec>;
/** @public */
export type PeerAuthenticationObject = CustomObject<PeerAuthenticationSpec>;
/** @public */
export type RequestAuthenticationObject =
  CustomObject<RequestAuthenticationSpec>;
/** @public */
export type TelemetryObject = CustomObject<TelemetrySpec>;

/**
 * Everything the assessment needs about one entity in one cluster, as plain data.
 * The reader fills it with a fixed number of LIST calls; tests build it by hand.
 *
 * @public
 */
export interface MeshSnapshot {
  cluster: string;
  /** The entity's namespace. */
  namespace: string;
  /** The label selector of the entity's workloads (`key=value,...`), if any. */
  labelSelector?: string;
  /** The Namespace object; undefined when it does not exist. */
  namespaceObject?: V1Namespace;
  pods: V1Pod[];
  services: V1Service[];
  deployments: V1Deployment[];
  statefulSets: V1StatefulSet[];
  daemonSets: V1DaemonSet[];
  /** Gateways of class istio-waypoint: those of the namespace and the one the entity names. */
  waypointGateways: GatewayObject[];
  /** The Deployments istiod created for those waypoints (same names). */
  waypointDeployments: V1Deployment[];
  /** PeerAuthentications of the namespace and of the root namespace. */
  peerAuthentications: PeerAuthenticationObject[];
  /** AuthorizationPolicies of the namespace and of the root namespace. */
  authorizationPolicies: AuthorizationPolicyObject[];
  requestAuthentications: RequestAuthenticationObject[];
  /** Telemetry resources of the namespace and of the root namespace. */
  telemetries: TelemetryObject[];
  /** NetworkPolicies of the namespace; undefined when they were not read. */
  networkPolicies?: V1NetworkPolicy[];
  /** Cluster-wide facts (see `summarizeControlPlane`). */
  controlPlane: ControlPlaneFacts;
  /** Traffic-management and extension objects; undefined when they were not read. */
  traffic?: TrafficSnapshot;
  /** Why the traffic objects could not be read (the rest of the view stands). */
  trafficReadError?: string;
}

/** Options of `assessMesh`. @public */
export interface AssessMeshOptions {
  /** Istio's root namespace (mesh-wide policies); default `istio-system`. */
  rootNamespace?: string;
  /** SPIFFE trust domain; default `cluster.local`. */
  trustDomain?: string;
  /** Template that onboards a namespace; default `template:default/onboard-namespace`. */
  onboardTemplateRef?: string;
  /** Template that checks and provisions the mesh; default `template:default/ambient-mesh`. */
  meshTemplateRef?: string;
  /** Rules run after the built-in ones (adopters' own checks). */
  diagnosticRules?: IstioDiagnosticRule[];
}
