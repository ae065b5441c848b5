/*
 * Names shared by the read path (entity tab, mesh reader) and the write path
 * (onboarding actions): annotation keys, Istio labels, and defaults.
 */

/**
 * Prefix of the optional annotations this project reads on catalog entities.
 *
 * @public
 */
export const ISTIO_ANNOTATION_PREFIX = 'istio.ambient-mesh.io/';

/**
 * Overrides the service name used in metrics and traces queries
 * (default: the Service selected by the Kubernetes annotations).
 *
 * @public
 */
export const ISTIO_SERVICE_NAME_ANNOTATION =
  'istio.ambient-mesh.io/service-name';

/**
 * Names the Prometheus instance (from `istio.prometheus` config) to query for an entity.
 *
 * @public
 */
export const ISTIO_PROMETHEUS_ANNOTATION = 'istio.ambient-mesh.io/prometheus';

/**
 * Names the Tempo instance (from `istio.tempo` config) to query for an entity.
 *
 * @public
 */
export const ISTIO_TEMPO_ANNOTATION = 'istio.ambient-mesh.io/tempo';

/**
 * The Kubernetes plugin's annotation: workloads carry the label
 * `backstage.io/kubernetes-id=<value>`.
 *
 * @public
 */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';

/**
 * The Kubernetes plugin's annotation: the namespace of the entity's workloads.
 *
 * @public
 */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/**
 * The Kubernetes plugin's annotation: a label selector for the entity's workloads.
 *
 * @public
 */
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';

/**
 * The Kubernetes plugin's annotation: the cluster the entity runs in.
 *
 * @public
 */
export const KUBERNETES_CLUSTER_ANNOTATION = 'backstage.io/kubernetes-cluster';

/**
 * Namespace or Pod label that enrolls (`ambient`) or opts out (`none`) of ambient mode.
 *
 * @public
 */
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';

/**
 * Values of {@link DATAPLANE_MODE_LABEL}.
 *
 * @public
 */
export const DATAPLANE_MODE_AMBIENT = 'ambient';

/** @public */
export const DATAPLANE_MODE_NONE = 'none';

/**
 * Label on a Namespace, Service or Pod naming the waypoint it uses.
 *
 * @public
 */
export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';

/**
 * Label naming the namespace of the waypoint named by {@link USE_WAYPOINT_LABEL}.
 *
 * @public
 */
export const USE_WAYPOINT_NAMESPACE_LABEL = 'istio.io/use-waypoint-namespace';

/**
 * Label on a waypoint Gateway: `service` (default), `workload`, `all` or `none`.
 *
 * @public
 */
export const WAYPOINT_FOR_LABEL = 'istio.io/waypoint-for';

/**
 * Label on a Service or Namespace sending ingress traffic through the waypoint.
 *
 * @public
 */
export const INGRESS_USE_WAYPOINT_LABEL = 'istio.io/ingress-use-waypoint';

/**
 * Pod annotation written by istio-cni: `enabled` (captured), `pending`, or absent.
 * Read it; never write it.
 *
 * @public
 */
export const REDIRECTION_ANNOTATION = 'ambient.istio.io/redirection';

/**
 * Pod annotation present when the pod has an Istio sidecar.
 *
 * @public
 */
export const SIDECAR_STATUS_ANNOTATION = 'sidecar.istio.io/status';

/**
 * Namespace label that triggers the sidecar injector for a revision.
 *
 * @public
 */
export const ISTIO_REV_LABEL = 'istio.io/rev';

/**
 * GatewayClass of Istio waypoints.
 *
 * @public
 */
export const WAYPOINT_GATEWAY_CLASS = 'istio-waypoint';

/**
 * Default name of a waypoint Gateway.
 *
 * @public
 */
export const DEFAULT_WAYPOINT_NAME = 'waypoint';

/**
 * Name of the tracing extension provider configured by provisioning.
 *
 * @public
 */
export const OTEL_TRACING_PROVIDER = 'otel-tracing';

/**
 * Istio's root namespace (mesh-wide policies) in a default install.
 *
 * @public
 */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';

/**
 * The server-side apply field manager of every write this project makes.
 *
 * @public
 */
export const FIELD_MANAGER = 'backstage-istio';

/**
 * Namespaces the istio:* actions never change and the mesh view never reads
 * through an entity's annotations (more can be added with the config key
 * `istio.onboarding.protectedNamespaces`). Every `kube-*` namespace is
 * protected too (see {@link isProtectedNamespace}). `istio-cni` and `ztunnel`
 * are the Sail Operator's default namespaces of IstioCNI and ZTunnel
 * (istio-ecosystem/sail-operator api/v1/istiocni_types.go and
 * ztunnel_types.go, `+kubebuilder:default`).
 *
 * @public
 */
export const PROTECTED_NAMESPACES: readonly string[] = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'istio-system',
  'istio-cni',
  'ztunnel',
];

/**
 * True when a namespace is protected: a `kube-*` namespace, one of
 * `PROTECTED_NAMESPACES`, or one of `extra` (from config).
 *
 * @public
 */
export function isProtectedNamespace(
  namespace: string,
  extra: readonly string[] = [],
): boolean {
  return (
    namespace.startsWith('kube-') ||
    PROTECTED_NAMESPACES.includes(namespace) ||
    extra.includes(namespace)
  );
}
