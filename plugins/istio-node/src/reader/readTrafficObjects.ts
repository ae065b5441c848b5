import type { V1Deployment } from '@kubernetes/client-node';
import { parse } from 'yaml';
import type { TrafficSnapshot } from '../assessment';
import type { KubeApis } from './kubeApis';

/**
 * Where a kind is listed for one mesh view: `cluster` is one cluster-wide LIST (objects in
 * any namespace may name the entity's services by host), `namespaces` one LIST in the
 * entity's namespace and one in the root namespace.
 */
export type TrafficKindScope = 'cluster' | 'namespaces';

/** One custom kind the traffic checks read. */
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
    group: 'networking.istio.io',
    version: 'v1',
    plural: 'virtualservices',
    scope: 'cluster',
  },
  {
    key: 'destinationRules',
    group: 'networking.istio.io',
    version: 'v1',
    plural: 'destinationrules',
    scope: 'cluster',
  },
  {
    key: 'serviceEntries',
    group: 'networking.istio.io',
    version: 'v1',
    plural: 'serviceentries',
    scope: 'cluster',
  },
  {
    key: 'istioGateways',
    group: 'networking.istio.io',
    version: 'v1',
    plural: 'gateways',
    scope: 'cluster',
  },
  {
    key: 'sidecars',
    group: 'networking.istio.io',
    version: 'v1',
    plural: 'sidecars',
    scope: 'namespaces',
  },
  {
    key: 'httpRoutes',
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'httproutes',
    scope: 'cluster',
  },
  {
    key: 'grpcRoutes',
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'grpcroutes',
    scope: 'cluster',
  },
  {
    key: 'gateways',
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'gateways',
    scope: 'cluster',
  },
  {
    key: 'referenceGrants',
    group: 'gateway.networking.k8s.io',
    version: 'v1beta1',
    plural: 'referencegrants',
    scope: 'cluster',
  },
  {
    key: 'wasmPlugins',
    group: 'extensions.istio.io',
    version: 'v1alpha1',
    plural: 'wasmplugins',
    scope: 'namespaces',
  },
  {
    key: 'telemetries',
    group: 'telemetry.istio.io',
    version: 'v1',
    plural: 'telemetries',
    scope: 'namespaces',
  },
  {
    key: 'serviceMonitors',
    group: 'monitoring.coreos.com',
    version: 'v1',
    plural: 'servicemonitors',
    scope: 'cluster',
    optional: true,
  },
  {
    key: 'podMonitors',
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
      const items = await listClusterCustom<unknown>(apis, kind);
      return [kind.key, items ?? (kind.optional ? undefined : [])] as const;
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
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      plural: 'gatewayclasses',
      scope: 'cluster',
    }),
    meshExtras,
  ]);
  const byKind = Object.fromEntries(kindEntries) as Record<string, unknown>;
  const { meshDefaultAccessLogging, istiodEnv } = extras;
  return {
    ...(byKind as unknown as Omit<
      TrafficSnapshot,
      | 'namespaces'
      | 'services'
      | 'namespacePods'
      | 'serviceAccounts'
      | 'gatewayClasses'
    >),
    namespaces: allNamespaces?.items ?? [],
    services: services?.items ?? [],
    namespacePods: pods.items,
    serviceAccounts: (serviceAccounts?.items ?? []).map(
      sa => `${sa.metadata?.namespace}/${sa.metadata?.name}`,
    ),
    gatewayClasses: (gatewayClasses ?? []).map(g => g.metadata.name),
    ...(meshDefaultAccessLogging ? { meshDefaultAccessLogging } : {}),
    ...(istiodEnv ? { istiodEnv } : {}),
  };
}
