import type { Diagnostic } from './diagnostics';
import type { MtlsPosture } from './posture';
import type { PolicySummary } from './policies';
import type { TrafficManagement } from './traffic';

/**
 * How a namespace takes part in the mesh.
 *
 * - `ambient`: labelled `istio.io/dataplane-mode=ambient` (ztunnel captures its pods).
 * - `sidecar`: labelled for sidecar injection (`istio-injection=enabled` or `istio.io/rev`).
 * - `none`: not in the mesh.
 *
 * @public
 */
export type NamespaceMode = 'ambient' | 'sidecar' | 'none';

/**
 * Whether ztunnel captures the traffic of one pod.
 *
 * - `captured`: istio-cni set `ambient.istio.io/redirection: enabled`.
 * - `pending`: the annotation is `pending`: rules are set but no ztunnel took the pod, so it has no traffic.
 * - `sidecar`: the pod runs an Istio sidecar (`sidecar.istio.io/status`), ztunnel never captures it.
 * - `opted-out`: the pod is labelled `istio.io/dataplane-mode=none`.
 * - `not-captured`: none of the above (for example the namespace is not enrolled).
 * - `host-network`: the pod uses the node's network, which ambient cannot capture.
 *
 * @public
 */
export type PodCaptureState =
  | 'captured'
  | 'pending'
  | 'sidecar'
  | 'opted-out'
  | 'not-captured'
  | 'host-network';

/** All capture states, in display order. @public */
export const POD_CAPTURE_STATES: readonly PodCaptureState[] = [
  'captured',
  'pending',
  'sidecar',
  'opted-out',
  'not-captured',
  'host-network',
];

/** The capture state of one pod. @public */
export interface PodCapture {
  name: string;
  namespace: string;
  /** The node the pod is scheduled on, when it is scheduled. */
  node?: string;
  /** The pod phase (Pending, Running, Succeeded, Failed, Unknown). */
  phase?: string;
  state: PodCaptureState;
}

/** Namespace enrollment and the capture state of every pod of the entity. @public */
export interface Enrollment {
  namespace: string;
  /** False when the namespace does not exist in this cluster. */
  namespaceExists: boolean;
  mode: NamespaceMode;
  /** The value of `istio.io/rev` on the namespace, when set. */
  revision?: string;
  pods: PodCapture[];
  /** Number of pods per capture state (every state is present, possibly 0). */
  podCounts: Record<PodCaptureState, number>;
}

/** Which traffic a waypoint serves (Gateway label `istio.io/waypoint-for`, default `service`). @public */
export type WaypointFor = 'service' | 'workload' | 'all' | 'none';

/** The `istio.io/WaypointBound` condition of one Service of the entity. @public */
export interface ServiceWaypointBinding {
  service: string;
  /** `True`, `False`, or `Unknown` when the condition is absent. */
  status: 'True' | 'False' | 'Unknown';
  /** e.g. `WaypointAccepted`, `WaypointIsNotReady`, `AttachmentDenied`, `UnsupportedTrafficType`. */
  reason?: string;
  message?: string;
  /**
   * Whether Istio's own ingress gateways send this Service's traffic through the waypoint
   * (`istio.io/ingress-use-waypoint`: the Service's label, when present, beats the
   * Namespace's; compared case-insensitively with `true`). Other ingress controllers ignore it.
   */
  ingress?: IngressWaypointUse;
}

/** Where `istio.io/ingress-use-waypoint` is decided for one Service. @public */
export interface IngressWaypointUse {
  usesWaypoint: boolean;
  /** The label that decided: on the Service, on its Namespace, or none. */
  from: 'service' | 'namespace' | 'none';
  /** The label's value as written. */
  value?: string;
}

/** No waypoint serves the entity's traffic (L4 only). @public */
export interface NoWaypoint {
  kind: 'none';
}

/** The waypoint that the entity's `istio.io/use-waypoint` label names. @public */
export interface WaypointInUse {
  kind: 'waypoint';
  name: string;
  namespace: string;
  /** Where the `istio.io/use-waypoint` label that selects it was found. */
  boundFrom: 'service' | 'pod' | 'namespace';
  /** False when no Gateway of that name exists. */
  exists: boolean;
  for: WaypointFor;
  /** Accepted, Programmed, with addresses, and its Deployment has a ready replica. */
  ready: boolean;
  accepted: boolean;
  programmed: boolean;
  /** Reason of the Programmed condition when it is not True. */
  programmedReason?: string;
  addresses: string[];
  readyReplicas: number;
  /** True when every Service of the entity reports `istio.io/WaypointBound=True`. */
  bound: boolean;
  services: ServiceWaypointBinding[];
  /** `istio.io/ingress-use-waypoint=true` on the Services or the namespace. */
  ingressUsesWaypoint: boolean;
}

/** @public */
export type WaypointStatus = NoWaypoint | WaypointInUse;

/** Readiness of a control-plane DaemonSet. @public */
export interface DaemonSetFacts {
  present: boolean;
  name?: string;
  namespace?: string;
  desired: number;
  ready: number;
  /** Present, with at least one pod scheduled and all scheduled pods ready. */
  allReady: boolean;
}

/** The tracing set-up of the mesh. @public */
export interface TracingFacts {
  /** meshConfig `enableTracing`, when the mesh config could be read. */
  enableTracing?: boolean;
  /** Names of meshConfig extension providers that can trace (opentelemetry, zipkin, ...). */
  providers: string[];
  /** Whether a tracing provider is configured (a provider exists and a Telemetry or meshConfig default selects it). */
  configured: boolean;
  /** Sampling percentage set by a Telemetry; null means Istio's default of 1 %. */
  samplingPercentage: number | null;
}

/** Cilium settings that break ambient mode (§7.6 of the ambient notes). @public */
export interface CiliumFacts {
  present: boolean;
  cniExclusive?: boolean;
  bpfMasquerade?: boolean;
  socketLbHostNamespaceOnly?: boolean;
}

/** Cluster-wide facts about the ambient control plane. @public */
export interface ControlPlaneFacts {
  /** Namespace of the Istio control plane (default `istio-system`). */
  istioNamespace: string;
  ztunnel: DaemonSetFacts;
  istioCni: DaemonSetFacts & { ambientEnabled?: boolean };
  istiod: {
    present: boolean;
    name?: string;
    revision?: string;
    /** `PILOT_ENABLE_AMBIENT=true` on istiod; undefined when it cannot be read. */
    ambient?: boolean;
    /** Istio version from the image tag or the `app.kubernetes.io/version` label. */
    version?: string;
    /** `status.readyReplicas` of the istiod Deployment. */
    readyReplicas?: number;
  };
  /** GatewayClass `istio-waypoint` exists (only when ambient is on). */
  waypointGatewayClass: boolean;
  gatewayApi: {
    installed: boolean;
    /** The `gateway.networking.k8s.io/bundle-version` annotation of the Gateway CRD. */
    bundleVersion?: string;
    /** The v1.5+ ValidatingAdmissionPolicy safe-upgrades.gateway.networking.k8s.io exists. */
    safeUpgradesPolicy?: boolean;
  };
  tracing: TracingFacts;
  cilium: CiliumFacts;
}

/** The mesh status of one entity in one cluster. @public */
export interface ClusterMeshStatus {
  cluster: string;
  namespace: string;
  /** The label selector of the entity's workloads, if any. */
  labelSelector?: string;
  enrollment: Enrollment;
  waypoint: WaypointStatus;
  controlPlane: ControlPlaneFacts;
  mtls: MtlsPosture;
  policies: PolicySummary;
  diagnostics: Diagnostic[];
  /** Routes and DestinationRules that apply to the entity's services, when they were read. */
  traffic?: TrafficManagement;
}
