import type {
  V1ConfigMap,
  V1Deployment,
  V1Namespace,
  V1Pod,
  V1Service,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import { parse } from 'yaml';
import type { TrafficSnapshot } from '../assessment';
import type { KubeApis } from './kubeApis';

/**
 * Where a kind is listed for one mesh view: `cluster` is one cluster-wide LIST (objects in
 * any namespace may name the entity's services by host), `namespaces` one LIST in the
 * entity's namespace and one in the root namespace.
 *
 * @public
 */
export type TrafficKindScope = 'cluster' | 'namespaces';

/** One custom kind the traffic checks read. @public */
export interface TrafficKind {
  key: Exclude<
    keyof TrafficSnapshot,
    | 'namespaces'
    | 'services'
    | 'namespacePods'
    | 'serviceAccounts'
    | 'gatewayClasses'
    | 'meshDefaultAccessLogging'
    | 'istiodEnv'
    | 'scrapeTargets'
  >;
  /** The object kind, as its CRD names it. */
  kind: string;
  group: string;
  version: string;
  plural: string;
  scope: TrafficKindScope;
  /** Listed only when the CRD exists; `undefined` in the snapshot otherwise. */
  optional?: boolean;
}

/** The custom kinds of the traffic checks, one LIST each (two for `namespaces`). */
export const TRAFFIC_KINDS: readonly TrafficKind[] = [
  {
    key: 'virtualServices',
    kind: 'VirtualService',
    group: 'networking.istio.io',
    version: 'v1',
    plural: 'virtualservices',
    scope: 'cluster',
  },
  {
    key: 'destinationRules',
    kind: 'DestinationRule',
    group: 'networking.istio.io',
    version: 'v1',
    plural: 'destinationrules',
    scope: 'cluster',
  },
  {
    key: 'serviceEntries',
    kind: 'ServiceEntry',
    group: 'networking.istio.io',
    version: 'v1',
    plural: 'serviceentries',
    scope: 'cluster',
  },
  {
    key: 'istioGateways',
    kind: 'Gateway',
    group: 'networking.istio.io',
    version: 'v1',
    plural: 'gateways',
    scope: 'cluster',
  },
  {
    key: 'sidecars',
    kind: 'Sidecar',
    group: 'networking.istio.io',
    version: 'v1',
    plural: 'sidecars',
    scope: 'namespaces',
  },
  {
    key: 'httpRoutes',
    kind: 'HTTPRoute',
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'httproutes',
    scope: 'cluster',
  },
  {
    key: 'grpcRoutes',
    kind: 'GRPCRoute',
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'grpcroutes',
    scope: 'cluster',
  },
  {
    key: 'gateways',
    kind: 'Gateway',
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'gateways',
    scope: 'cluster',
  },
  {
    key: 'referenceGrants',
    kind: 'ReferenceGrant',
    group: 'gateway.networking.k8s.io',
    version: 'v1beta1',
    plural: 'referencegrants',
    scope: 'cluster',
  },
  {
    key: 'wasmPlugins',
    kind: 'WasmPlugin',
    group: 'extensions.istio.io',
    version: 'v1alpha1',
    plural: 'wasmplugins',
    scope: 'namespaces',
  },
  {
    key: 'telemetries',
    kind: 'Telemetry',
    group: 'telemetry.istio.io',
    version: 'v1',
    plural: 'telemetries',
    scope: 'namespaces',
  },
  {
    key: 'serviceMonitors',
    kind: 'ServiceMonitor',
    group: 'monitoring.coreos.com',
    version: 'v1',
    plural: 'servicemonitors',
    scope: 'cluster',
    optional: true,
  },
  {
    key: 'podMonitors',
    kind: 'PodMonitor',
    group: 'monitoring.coreos.com',
    version: 'v1',
    plural: 'podmonitors',
    scope: 'cluster',
    optional: true,
  },
];

async function listClusterCustom<T>(
  apis: KubeApis,
  kind: TrafficKind,
): Promise<T[] | undefined> {
  const list = await apis.optional(
    { verb: 'list', resource: `${kind.plural}.${kind.group}` },
    o =>
      apis.custom.listClusterCustomObject(
        { group: kind.group, version: kind.version, plural: kind.plural },
        o,
      ) as Promise<{ items?: T[] }>,
    { allowForbidden: true },
  );
  return list ? list.items ?? [] : undefined;
}

function istiodEnvOf(
  deployments: V1Deployment[],
): Record<string, string> | undefined {
  const container = deployments
    .flatMap(d => d.spec?.template?.spec?.containers ?? [])
    .find(c => c.name === 'discovery');
  if (!container) return undefined;
  return Object.fromEntries(
    (container.env ?? [])
      .filter(e => e.value !== undefined)
      .map(e => [e.name, e.value as string]),
  );
}

function accessLoggingDefaults(
  meshYaml: string | undefined,
): string[] | undefined {
  if (!meshYaml) return undefined;
  try {
    const mesh = parse(meshYaml) as {
      defaultProviders?: { accessLogging?: string[] };
    } | null;
    return mesh?.defaultProviders?.accessLogging ?? [];
  } catch {
    return undefined;
  }
}

/** Cluster-wide facts the checks need besides the control-plane facts. */
export interface MeshExtras {
  meshDefaultAccessLogging?: string[];
  istiodEnv?: Record<string, string>;
}

/**
 * Reads the mesh config's default access-log providers and the environment of the istiod
 * Deployment the control-plane facts name: two calls per cluster (the reader keeps the answer for the control-plane TTL).
 */
export async function readMeshExtras(
  apis: KubeApis,
  istioNamespace: string,
  istiodName: string | undefined,
): Promise<MeshExtras> {
  const [meshConfig, istiod] = await Promise.all([
    apis.optional(
      {
        verb: 'get',
        resource: 'configmaps',
        namespace: istioNamespace,
        name: 'istio',
      },
      o =>
        apis.core.readNamespacedConfigMap(
          { namespace: istioNamespace, name: 'istio' },
          o,
        ),
      { allowForbidden: true },
    ),
    istiodName
      ? apis.optional(
          {
            verb: 'get',
            resource: 'deployments.apps',
            namespace: istioNamespace,
            name: istiodName,
          },
          o =>
            apis.apps.readNamespacedDeployment(
              { namespace: istioNamespace, name: istiodName },
              o,
            ),
          { allowForbidden: true },
        )
      : undefined,
  ]);
  return meshExtrasOf(meshConfig, istiod);
}

/**
 * The mesh extras from the mesh ConfigMap (`istio` in the Istio namespace) and the istiod
 * Deployment, as read directly or from the cluster cache.
 */
export function meshExtrasOf(
  meshConfig: V1ConfigMap | undefined,
  istiod: V1Deployment | undefined,
): MeshExtras {
  const meshDefaultAccessLogging = accessLoggingDefaults(
    meshConfig?.data?.mesh,
  );
  const istiodEnv = istiodEnvOf(istiod ? [istiod] : []);
  return {
    ...(meshDefaultAccessLogging ? { meshDefaultAccessLogging } : {}),
    ...(istiodEnv ? { istiodEnv } : {}),
  };
}

/**
 * What the traffic checks read, as listed: per kind of {@link TRAFFIC_KINDS} its objects
 * (`undefined` when the kind could not be listed: CRD missing or list forbidden), the
 * cluster's Namespaces, Services and ServiceAccounts (`undefined` when forbidden), the
 * pods of the namespace and the GatewayClasses.
 */
export interface TrafficObjectLists {
  kinds: Partial<Record<TrafficKind['key'], unknown[] | undefined>>;
  namespaces: V1Namespace[] | undefined;
  services: V1Service[] | undefined;
  namespacePods: V1Pod[];
  serviceAccounts: V1ServiceAccount[] | undefined;
  gatewayClasses: Array<{ metadata?: { name?: string } }> | undefined;
  extras: MeshExtras;
}

/**
 * Shapes the lists into the snapshot's `traffic`: the one function both the direct read
 * ({@link readTrafficObjects}) and the cluster cache use, so that both answer the same.
 */
export function trafficSnapshotOf(lists: TrafficObjectLists): TrafficSnapshot {
  const byKind = Object.fromEntries(
    TRAFFIC_KINDS.map(kind => [
      kind.key,
      lists.kinds[kind.key] ?? (kind.optional ? undefined : []),
    ]),
  ) as Record<string, unknown>;
  const { meshDefaultAccessLogging, istiodEnv } = lists.extras;
  return {
    ...(byKind as unknown as Omit<
      TrafficSnapshot,
      | 'namespaces'
      | 'services'
      | 'namespacePods'
      | 'serviceAccounts'
      | 'gatewayClasses'
    >),
    namespaces: lists.namespaces ?? [],
    services: lists.services ?? [],
    namespacePods: lists.namespacePods,
    serviceAccounts: (lists.serviceAccounts ?? []).map(
      sa => `${sa.metadata?.namespace}/${sa.metadata?.name}`,
    ),
    gatewayClasses: (lists.gatewayClasses ?? []).map(
      g => g.metadata?.name as string,
    ),
    ...(meshDefaultAccessLogging ? { meshDefaultAccessLogging } : {}),
    ...(istiodEnv ? { istiodEnv } : {}),
  };
}

/**
 * Reads the traffic-management, extension and Gateway API objects of one mesh view:
 * one LIST per kind of {@link TRAFFIC_KINDS} (two for namespace-scoped kinds), plus
 * Namespaces, Services and ServiceAccounts cluster-wide, the pods of the namespace and
 * GatewayClasses; `meshExtras` comes from the per-cluster cache. A fixed number of
 * calls whatever the number of pods, routes or policies; kinds the reader may not list
 * (403) or whose CRD is missing (404) read as empty.
 */
export async function readTrafficObjects(
  apis: KubeApis,
  namespace: string,
  rootNamespace: string,
  meshExtras: Promise<MeshExtras>,
): Promise<TrafficSnapshot> {
  const namespaces =
    namespace === rootNamespace ? [namespace] : [namespace, rootNamespace];
  const kinds = TRAFFIC_KINDS.map(async kind => {
    if (kind.scope === 'cluster') {
      return [kind.key, await listClusterCustom<unknown>(apis, kind)] as const;
    }
    const lists = await Promise.all(
      namespaces.map(n =>
        apis.listCustom<unknown>(kind.group, kind.version, kind.plural, n),
      ),
    );
    return [kind.key, lists.flat()] as const;
  });
  const [
    kindEntries,
    allNamespaces,
    services,
    pods,
    serviceAccounts,
    gatewayClasses,
    extras,
  ] = await Promise.all([
    Promise.all(kinds),
    apis.optional(
      { verb: 'list', resource: 'namespaces' },
      o => apis.core.listNamespace({}, o),
      {
        allowForbidden: true,
      },
    ),
    apis.optional(
      { verb: 'list', resource: 'services' },
      o => apis.core.listServiceForAllNamespaces({}, o),
      { allowForbidden: true },
    ),
    apis.required({ verb: 'list', resource: 'pods', namespace }, o =>
      apis.core.listNamespacedPod({ namespace }, o),
    ),
    apis.optional(
      { verb: 'list', resource: 'serviceaccounts' },
      o => apis.core.listServiceAccountForAllNamespaces({}, o),
      { allowForbidden: true },
    ),
    listClusterCustom<{ metadata: { name: string } }>(apis, {
      key: 'gateways',
      kind: 'GatewayClass',
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      plural: 'gatewayclasses',
      scope: 'cluster',
    }),
    meshExtras,
  ]);
  return trafficSnapshotOf({
    kinds: Object.fromEntries(kindEntries),
    namespaces: allNamespaces?.items,
    services: services?.items,
    namespacePods: pods.items,
    serviceAccounts: serviceAccounts?.items,
    gatewayClasses,
    extras,
  });
}
