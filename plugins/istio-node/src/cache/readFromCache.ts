import type { KubernetesObject } from '@kubernetes/client-node';
import { WAYPOINT_GATEWAY_CLASS } from '@ambient-mesh/plugin-istio-common';
import type {
  ControlPlaneObjects,
  GatewayObject,
  MeshSnapshot,
} from '../assessment';
import { waypointReferenceOf } from '../assessment/waypoint';
import { GATEWAY_API_SAFE_UPGRADES_POLICY } from '../assessment/gatewayApiCompat';
import type { MeshTarget } from '../reader/readSnapshot';
import { NODE_AGENT_NAMESPACES } from '../reader/readControlPlane';
import {
  MeshExtras,
  meshExtrasOf,
  TrafficObjectLists,
  trafficSnapshotOf,
} from '../reader/readTrafficObjects';
import type { ClusterCache } from './ClusterCache';
import { CachedKind } from './kinds';
import { matchesRequirements, parseLabelSelector } from './labelSelector';

/** Label istiod puts on everything it creates for a waypoint. */
const WAYPOINT_MANAGED = {
  key: 'gateway.istio.io/managed',
  value: 'istio.io-mesh-controller',
};
const KUBE_SYSTEM = 'kube-system';

/** Not servable from the cache: read directly. */
class Miss extends Error {}

function byName(a: KubernetesObject, b: KubernetesObject): number {
  const x = a.metadata?.name ?? '';
  const y = b.metadata?.name ?? '';
  if (x < y) return -1;
  return x > y ? 1 : 0;
}

/** Like a LIST: the objects of a namespace in name order (the API server's order). */
function listOf<T>(
  cache: ClusterCache,
  resource: string,
  namespace: string | undefined,
  options: { allowForbidden?: boolean } = {},
): T[] {
  const objects = cache.list(resource, namespace, options);
  if (!objects) throw new Miss(resource);
  return [...objects].sort(byName) as T[];
}

function getOf<T>(
  cache: ClusterCache,
  resource: string,
  namespace: string | undefined,
  name: string,
  options: { allowForbidden?: boolean } = {},
): T | undefined {
  return listOf<KubernetesObject>(cache, resource, namespace, options).find(
    o => o.metadata?.name === name,
  ) as T | undefined;
}

const labels = (o: KubernetesObject) => o.metadata?.labels;

/** The order of a cluster-wide LIST: by storage key, `namespace/name`. */
function byKey(a: KubernetesObject, b: KubernetesObject): number {
  const x = `${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`;
  const y = `${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`;
  if (x < y) return -1;
  return x > y ? 1 : 0;
}

/**
 * Like a cluster-wide LIST the direct read takes as optional: undefined when the
 * CRD is missing or the list is forbidden.
 */
function clusterListOf<T>(
  cache: ClusterCache,
  resource: string,
): T[] | undefined {
  const state = cache.stateOf(resource, undefined);
  if (state === 'absent' || state === 'forbidden') return undefined;
  const objects = cache.list(resource, undefined);
  if (!objects) throw new Miss(resource);
  return [...objects].sort(byKey) as T[];
}

/** The mesh extras as `readMeshExtras` reads them, from the cache. */
function meshExtras(
  cache: ClusterCache,
  istioNamespace: string,
  istiodName: string | undefined,
): MeshExtras {
  return meshExtrasOf(
    getOf<any>(cache, 'configmaps', istioNamespace, 'istio'),
    istiodName
      ? getOf<any>(cache, 'deployments.apps', istioNamespace, istiodName)
      : undefined,
  );
}

/**
 * The snapshot's `traffic` as `readTrafficObjects` reads it, from the cache; throws
 * Miss when something is not synced (or a namespace list is forbidden: the direct
 * read then reports the error).
 */
function trafficObjects(
  cache: ClusterCache,
  kinds: CachedKind[],
  namespace: string,
  options: {
    rootNamespace: string;
    istioNamespace: string;
    istiodName?: string;
  },
) {
  const namespaces =
    namespace === options.rootNamespace
      ? [namespace]
      : [namespace, options.rootNamespace];
  const lists: TrafficObjectLists['kinds'] = {};
  for (const kind of kinds) {
    if (!kind.traffic) continue;
    lists[kind.traffic] =
      kind.where === 'cluster'
        ? clusterListOf(cache, kind.resource)
        : namespaces.flatMap(n => listOf<unknown>(cache, kind.resource, n));
  }
  return trafficSnapshotOf({
    kinds: lists,
    namespaces: clusterListOf(cache, 'namespaces'),
    services: clusterListOf(cache, 'services'),
    namespacePods: listOf(cache, 'pods', namespace),
    serviceAccounts: clusterListOf(cache, 'serviceaccounts'),
    gatewayClasses: clusterListOf(
      cache,
      'gatewayclasses.gateway.networking.k8s.io',
    ),
    extras: meshExtras(cache, options.istioNamespace, options.istiodName),
  });
}

/**
 * The control-plane objects as `readControlPlaneObjects` reads them, from the
 * cache; throws Miss when something is not synced.
 */
function controlPlaneObjects(
  cache: ClusterCache,
  istioNamespace: string,
): ControlPlaneObjects {
  const ns = istioNamespace;
  const daemonSets = [
    ...listOf<any>(cache, 'daemonsets.apps', ns),
    ...NODE_AGENT_NAMESPACES.filter(other => other !== ns).flatMap(other =>
      listOf<any>(cache, 'daemonsets.apps', other, { allowForbidden: true }),
    ),
  ];
  const istiod = listOf<any>(cache, 'deployments.apps', ns).filter(
    d => labels(d)?.app === 'istiod',
  );
  const cniConfigMap = getOf<any>(cache, 'configmaps', ns, 'istio-cni-config');
  const gatewayClass = getOf<any>(
    cache,
    'gatewayclasses.gateway.networking.k8s.io',
    undefined,
    'istio-waypoint',
  );
  const gatewayCrd = getOf<any>(
    cache,
    'customresourcedefinitions.apiextensions.k8s.io',
    undefined,
    'gateways.gateway.networking.k8s.io',
  );
  const ciliumConfigMap = getOf<any>(
    cache,
    'configmaps',
    KUBE_SYSTEM,
    'cilium-config',
    { allowForbidden: true },
  );
  const safeUpgradesPolicy = getOf<any>(
    cache,
    'validatingadmissionpolicies.admissionregistration.k8s.io',
    undefined,
    GATEWAY_API_SAFE_UPGRADES_POLICY,
    { allowForbidden: true },
  );
  const revision = istiod[0]?.metadata?.labels?.['istio.io/rev'];
  const meshConfigName =
    revision && revision !== 'default' ? `istio-${revision}` : 'istio';
  const meshConfigMap = getOf<any>(cache, 'configmaps', ns, meshConfigName);
  return {
    istioNamespace: ns,
    daemonSets,
    istiodDeployments: istiod,
    ...(meshConfigMap ? { meshConfigMap } : {}),
    ...(cniConfigMap ? { cniConfigMap } : {}),
    waypointGatewayClass: gatewayClass !== undefined,
    ...(gatewayCrd ? { gatewayCrd } : {}),
    ...(ciliumConfigMap ? { ciliumConfigMap } : {}),
    safeUpgradesPolicy: safeUpgradesPolicy !== undefined,
  };
}

/** The control-plane objects from the cache, or undefined when not synced. */
export function controlPlaneObjectsFromCache(
  cache: ClusterCache,
  istioNamespace: string,
): ControlPlaneObjects | undefined {
  try {
    return controlPlaneObjects(cache, istioNamespace);
  } catch (error) {
    if (error instanceof Miss) return undefined;
    throw error;
  }
}

/**
 * The snapshot `readSnapshot` would read, assembled from the cache (same fields,
 * same order of objects), or undefined when the cache cannot serve it yet (then
 * read directly). Namespaces it needs and does not watch yet are watched from
 * now on, within the cache's bounds.
 */
export function snapshotFromCache(
  cache: ClusterCache,
  kinds: CachedKind[],
  target: MeshTarget,
  options: {
    rootNamespace: string;
    istioNamespace: string;
    controlPlane: MeshSnapshot['controlPlane'];
  },
): MeshSnapshot | undefined {
  const ns = target.namespace;
  if (!cache.watchNamespace(ns)) return undefined;
  try {
    const labelSelector = target.labelSelector || undefined;
    const requirements = parseLabelSelector(labelSelector ?? '');
    const namespaceObject = getOf<any>(cache, 'namespaces', undefined, ns);
    const snapshot: MeshSnapshot = {
      cluster: cache.cluster,
      namespace: ns,
      ...(labelSelector ? { labelSelector } : {}),
      ...(namespaceObject ? { namespaceObject } : {}),
      pods: [],
      services: [],
      deployments: [],
      statefulSets: [],
      daemonSets: [],
      waypointGateways: listOf<GatewayObject>(
        cache,
        'gateways.gateway.networking.k8s.io',
        ns,
      ).filter(g => g.spec?.gatewayClassName === WAYPOINT_GATEWAY_CLASS),
      waypointDeployments: listOf<any>(cache, 'deployments.apps', ns).filter(
        d => labels(d)?.[WAYPOINT_MANAGED.key] === WAYPOINT_MANAGED.value,
      ),
      peerAuthentications: [],
      authorizationPolicies: [],
      requestAuthentications: [],
      telemetries: [],
      controlPlane: options.controlPlane,
    };
    for (const kind of kinds) {
      if (!kind.snapshot) continue;
      const namespaces =
        kind.where === 'entityAndRoot' && ns !== options.rootNamespace
          ? [ns, options.rootNamespace]
          : [ns];
      const objects = namespaces.flatMap(n =>
        listOf<KubernetesObject>(cache, kind.resource, n),
      );
      (snapshot as unknown as Record<string, unknown>)[kind.snapshot.field] =
        kind.snapshot.selector
          ? objects.filter(o => matchesRequirements(requirements, labels(o)))
          : objects;
    }
    snapshot.traffic = trafficObjects(cache, kinds, ns, {
      rootNamespace: options.rootNamespace,
      istioNamespace: options.istioNamespace,
      istiodName: options.controlPlane.istiod.name,
    });

    const ref = waypointReferenceOf(snapshot);
    if (ref && ref.namespace !== ns) {
      if (!cache.watchNamespace(ref.namespace)) return undefined;
      const gateway = getOf<GatewayObject>(
        cache,
        'gateways.gateway.networking.k8s.io',
        ref.namespace,
        ref.name,
      );
      if (gateway?.spec?.gatewayClassName === WAYPOINT_GATEWAY_CLASS) {
        snapshot.waypointGateways.push(gateway);
      }
      snapshot.waypointDeployments.push(
        ...listOf<any>(cache, 'deployments.apps', ref.namespace).filter(
          d =>
            labels(d)?.[WAYPOINT_MANAGED.key] === WAYPOINT_MANAGED.value &&
            d.metadata?.name === ref.name,
        ),
      );
    }
    return snapshot;
  } catch (error) {
    if (error instanceof Miss) return undefined;
    throw error;
  }
}
