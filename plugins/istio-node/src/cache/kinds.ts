import type { MeshSnapshot } from '../assessment';
import type { KubeApis } from '../reader/kubeApis';
import type { KubeRequestOptions } from '../reader/kubeCall';
import { TRAFFIC_KINDS, TrafficKind } from '../reader/readTrafficObjects';
import { GATEWAY_API_SAFE_UPGRADES_POLICY } from '../assessment/gatewayApiCompat';

/**
 * What a LIST answers: the items and the resourceVersion to watch from.
 *
 * @public
 */
export interface KindList {
  items: unknown[];
  metadata?: { resourceVersion?: string };
}

/**
 * The snapshot fields that are plain lists of one kind.
 *
 * @public
 */
export type SnapshotListField = {
  [K in keyof MeshSnapshot]-?: MeshSnapshot[K] extends unknown[] | undefined
    ? K
    : never;
}[keyof MeshSnapshot];

/**
 * One kind the cluster cache keeps, watched with a client-node informer
 * (list once, then watch from the list's resourceVersion; a 410 re-lists).
 *
 * To cache a new kind, add an entry to {@link CACHED_KINDS}; with `snapshot`
 * set, the cached snapshot fills that field the way the direct read does.
 *
 * @public
 */
export interface CachedKind {
  /** Resource as RBAC names it (`pods`, `gateways.gateway.networking.k8s.io`); the key of the kind. */
  resource: string;
  /** API group ('' for the core group), version and plural: the watch path. */
  group: string;
  version: string;
  plural: string;
  /** Kind and apiVersion, to type watch events of built-in kinds like the LIST does. */
  kind: string;
  /** Built-in kind: watch events are turned into client-node model objects. */
  typed: boolean;
  /**
   * Where it is watched: `cluster` (cluster-scoped, once), `entity` (namespaces that
   * entities claim), `entityAndRoot` (those and Istio's root namespace),
   * `controlPlane` (the control-plane namespaces), `everywhere` (both).
   */
  where: 'cluster' | 'entity' | 'entityAndRoot' | 'controlPlane' | 'everywhere';
  /** Cluster-scoped kinds: watch only this object (fieldSelector metadata.name). */
  name?: string;
  /** A CRD that may be missing: a 404 reads as no objects, as the direct read does. */
  optional?: boolean;
  /** The LIST call (the same client call the direct read makes). */
  list(
    apis: KubeApis,
    namespace: string | undefined,
    options: KubeRequestOptions,
  ): Promise<KindList>;
  /**
   * The snapshot field it fills: objects of the entity's namespace (and the root
   * namespace for `entityAndRoot`), filtered by the entity's label selector when
   * `selector` is set.
   */
  snapshot?: { field: SnapshotListField; selector: boolean };
  /**
   * The `traffic` list it fills (see `trafficSnapshotOf`): cluster-wide for `cluster`,
   * the entity's and the root namespace's objects for `entityAndRoot`.
   */
  traffic?: TrafficKind['key'];
}

function custom(
  group: string,
  version: string,
  plural: string,
): CachedKind['list'] {
  return (apis, namespace, options) =>
    (namespace
      ? apis.custom.listNamespacedCustomObject(
          { group, version, namespace, plural },
          options,
        )
      : apis.custom.listClusterCustomObject(
          { group, version, plural },
          options,
        )) as Promise<KindList>;
}

const ns = (namespace: string | undefined) => namespace ?? '';

/** The kinds the mesh snapshot reads besides the traffic checks' ones. */
const SNAPSHOT_KINDS: CachedKind[] = [
  {
    resource: 'namespaces',
    group: '',
    version: 'v1',
    plural: 'namespaces',
    kind: 'Namespace',
    typed: true,
    where: 'cluster',
    list: (apis, _n, o) => apis.core.listNamespace({}, o),
  },
  {
    resource: 'pods',
    group: '',
    version: 'v1',
    plural: 'pods',
    kind: 'Pod',
    typed: true,
    where: 'entity',
    list: (apis, n, o) => apis.core.listNamespacedPod({ namespace: ns(n) }, o),
    snapshot: { field: 'pods', selector: true },
  },
  {
    resource: 'services',
    group: '',
    version: 'v1',
    plural: 'services',
    kind: 'Service',
    typed: true,
    where: 'entity',
    list: (apis, n, o) =>
      apis.core.listNamespacedService({ namespace: ns(n) }, o),
    snapshot: { field: 'services', selector: true },
  },
  {
    resource: 'deployments.apps',
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    kind: 'Deployment',
    typed: true,
    where: 'everywhere',
    list: (apis, n, o) =>
      apis.apps.listNamespacedDeployment({ namespace: ns(n) }, o),
    snapshot: { field: 'deployments', selector: true },
  },
  {
    resource: 'statefulsets.apps',
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    kind: 'StatefulSet',
    typed: true,
    where: 'entity',
    list: (apis, n, o) =>
      apis.apps.listNamespacedStatefulSet({ namespace: ns(n) }, o),
    snapshot: { field: 'statefulSets', selector: true },
  },
  {
    resource: 'daemonsets.apps',
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    kind: 'DaemonSet',
    typed: true,
    where: 'everywhere',
    list: (apis, n, o) =>
      apis.apps.listNamespacedDaemonSet({ namespace: ns(n) }, o),
    snapshot: { field: 'daemonSets', selector: true },
  },
  {
    resource: 'configmaps',
    group: '',
    version: 'v1',
    plural: 'configmaps',
    kind: 'ConfigMap',
    typed: true,
    where: 'controlPlane',
    list: (apis, n, o) =>
      apis.core.listNamespacedConfigMap({ namespace: ns(n) }, o),
  },
  {
    resource: 'networkpolicies.networking.k8s.io',
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'networkpolicies',
    kind: 'NetworkPolicy',
    typed: true,
    where: 'entity',
    list: (apis, n, o) =>
      apis.networking.listNamespacedNetworkPolicy({ namespace: ns(n) }, o),
    snapshot: { field: 'networkPolicies', selector: false },
  },
  {
    // waypointGateways: filtered by class, plus the one a namespace elsewhere holds
    resource: 'gateways.gateway.networking.k8s.io',
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'gateways',
    kind: 'Gateway',
    typed: false,
    optional: true,
    where: 'entity',
    list: custom('gateway.networking.k8s.io', 'v1', 'gateways'),
  },
  {
    resource: 'peerauthentications.security.istio.io',
    group: 'security.istio.io',
    version: 'v1',
    plural: 'peerauthentications',
    kind: 'PeerAuthentication',
    typed: false,
    optional: true,
    where: 'entityAndRoot',
    list: custom('security.istio.io', 'v1', 'peerauthentications'),
    snapshot: { field: 'peerAuthentications', selector: false },
  },
  {
    resource: 'authorizationpolicies.security.istio.io',
    group: 'security.istio.io',
    version: 'v1',
    plural: 'authorizationpolicies',
    kind: 'AuthorizationPolicy',
    typed: false,
    optional: true,
    where: 'entityAndRoot',
    list: custom('security.istio.io', 'v1', 'authorizationpolicies'),
    snapshot: { field: 'authorizationPolicies', selector: false },
  },
  {
    resource: 'requestauthentications.security.istio.io',
    group: 'security.istio.io',
    version: 'v1',
    plural: 'requestauthentications',
    kind: 'RequestAuthentication',
    typed: false,
    optional: true,
    where: 'entity',
    list: custom('security.istio.io', 'v1', 'requestauthentications'),
    snapshot: { field: 'requestAuthentications', selector: false },
  },
  {
    resource: 'telemetries.telemetry.istio.io',
    group: 'telemetry.istio.io',
    version: 'v1',
    plural: 'telemetries',
    kind: 'Telemetry',
    typed: false,
    optional: true,
    where: 'entityAndRoot',
    list: custom('telemetry.istio.io', 'v1', 'telemetries'),
    snapshot: { field: 'telemetries', selector: false },
    traffic: 'telemetries',
  },
  {
    resource: 'gatewayclasses.gateway.networking.k8s.io',
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'gatewayclasses',
    kind: 'GatewayClass',
    typed: false,
    optional: true,
    where: 'cluster',
    list: custom('gateway.networking.k8s.io', 'v1', 'gatewayclasses'),
  },
  {
    resource: 'customresourcedefinitions.apiextensions.k8s.io',
    group: 'apiextensions.k8s.io',
    version: 'v1',
    plural: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    typed: true,
    where: 'cluster',
    name: 'gateways.gateway.networking.k8s.io',
    list: (apis, _n, o) =>
      apis.apiextensions.listCustomResourceDefinition(
        { fieldSelector: 'metadata.name=gateways.gateway.networking.k8s.io' },
        o,
      ),
  },
  {
    // The Gateway API bundle's safe-upgrades policy the control-plane read GETs
    resource: 'validatingadmissionpolicies.admissionregistration.k8s.io',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'validatingadmissionpolicies',
    kind: 'ValidatingAdmissionPolicy',
    typed: false,
    optional: true,
    where: 'cluster',
    name: GATEWAY_API_SAFE_UPGRADES_POLICY,
    list: (apis, _n, o) =>
      apis.custom.listClusterCustomObject(
        {
          group: 'admissionregistration.k8s.io',
          version: 'v1',
          plural: 'validatingadmissionpolicies',
          fieldSelector: `metadata.name=${GATEWAY_API_SAFE_UPGRADES_POLICY}`,
        },
        o,
      ) as Promise<KindList>,
  },
];

/**
 * The kinds of the traffic checks ({@link TRAFFIC_KINDS}) that no entry above keeps:
 * cluster-scoped ones watched once cluster-wide (objects in any namespace may name the
 * entity's hosts), namespace-scoped ones in the entity's and the root namespace. All are
 * CRDs that may be missing (the direct read takes a 404 as no objects).
 */
function trafficKinds(kept: CachedKind[]): CachedKind[] {
  return TRAFFIC_KINDS.filter(t => !kept.some(k => k.traffic === t.key)).map(
    t => ({
      resource: `${t.plural}.${t.group}`,
      group: t.group,
      version: t.version,
      plural: t.plural,
      kind: t.kind,
      typed: false,
      optional: true,
      where: t.scope === 'cluster' ? 'cluster' : 'entityAndRoot',
      list: custom(t.group, t.version, t.plural),
      traffic: t.key,
    }),
  );
}

/**
 * Cluster-wide core kinds of the traffic checks, each one informer for the whole
 * cluster (not one per namespace). Services and ServiceAccounts of every namespace
 * are kept rather than listed per view: a per-view LIST would cost two cluster-wide
 * requests on every view, and their number grows with the cluster, not with the
 * views. They count against `maxObjects` like every cached object (once that bound
 * is reached no entity namespace is added and views are read directly). Entity
 * namespaces keep their own Services informer too: the snapshot's Services are
 * read with namespace rights, which hold where cluster-wide ones are forbidden
 * (the traffic read then takes none, as the direct read does).
 */
const TRAFFIC_CLUSTER_WIDE: CachedKind[] = [
  {
    resource: 'services',
    group: '',
    version: 'v1',
    plural: 'services',
    kind: 'Service',
    typed: true,
    where: 'cluster',
    list: (apis, _n, o) => apis.core.listServiceForAllNamespaces({}, o),
  },
  {
    resource: 'serviceaccounts',
    group: '',
    version: 'v1',
    plural: 'serviceaccounts',
    kind: 'ServiceAccount',
    typed: true,
    where: 'cluster',
    list: (apis, _n, o) => apis.core.listServiceAccountForAllNamespaces({}, o),
  },
];

/** The kinds the mesh snapshot reads, its `traffic` included. @public */
export const CACHED_KINDS: CachedKind[] = [
  ...SNAPSHOT_KINDS,
  ...TRAFFIC_CLUSTER_WIDE,
  ...trafficKinds(SNAPSHOT_KINDS),
];

/** The URL path an informer of a kind watches. */
export function watchPath(kind: CachedKind, namespace?: string): string {
  const base = kind.group
    ? `/apis/${kind.group}/${kind.version}`
    : `/api/${kind.version}`;
  return namespace
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}`
    : `${base}/${kind.plural}`;
}
