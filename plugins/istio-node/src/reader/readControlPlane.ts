import type { ControlPlaneObjects } from '../assessment';
import type { KubeApis } from './kubeApis';

/** Where the control plane lives. */
export interface ControlPlaneLocation {
  /** Namespace of istiod, ztunnel and istio-cni (default `istio-system`). */
  istioNamespace: string;
}

const KUBE_SYSTEM = 'kube-system';

/**
 * Reads the cluster-wide objects behind the control-plane facts: a fixed set of calls
 * (DaemonSets of the Istio namespace and kube-system, istiod Deployments, the CNI and mesh
 * ConfigMaps, GatewayClass istio-waypoint, the Gateway CRD, Cilium's ConfigMap).
 * kube-system reads are best effort (a 403 there reads as "absent").
 */
export async function readControlPlaneObjects(
  apis: KubeApis,
  { istioNamespace }: ControlPlaneLocation,
): Promise<ControlPlaneObjects> {
  const ns = istioNamespace;
  const [
    istioDaemonSets,
    systemDaemonSets,
    istiod,
    cniConfigMap,
    gatewayClass,
    gatewayCrd,
    ciliumConfigMap,
  ] = await Promise.all([
    apis.required(
      { verb: 'list', resource: 'daemonsets.apps', namespace: ns },
      o => apis.apps.listNamespacedDaemonSet({ namespace: ns }, o),
    ),
    ns === KUBE_SYSTEM
      ? undefined
      : apis.optional(
          { verb: 'list', resource: 'daemonsets.apps', namespace: KUBE_SYSTEM },
          o => apis.apps.listNamespacedDaemonSet({ namespace: KUBE_SYSTEM }, o),
          { allowForbidden: true },
        ),
    apis.required(
      { verb: 'list', resource: 'deployments.apps', namespace: ns },
      o =>
        apis.apps.listNamespacedDeployment(
          { namespace: ns, labelSelector: 'app=istiod' },
          o,
        ),
    ),
    apis.optional(
      {
        verb: 'get',
        resource: 'configmaps',
        namespace: ns,
        name: 'istio-cni-config',
      },
      o =>
        apis.core.readNamespacedConfigMap(
          { namespace: ns, name: 'istio-cni-config' },
          o,
        ),
    ),
    apis.optional(
      {
        verb: 'get',
        resource: 'gatewayclasses.gateway.networking.k8s.io',
        name: 'istio-waypoint',
      },
      o =>
        apis.custom.getClusterCustomObject(
          {
            group: 'gateway.networking.k8s.io',
            version: 'v1',
            plural: 'gatewayclasses',
            name: 'istio-waypoint',
          },
          o,
        ),
    ),
    apis.optional(
      {
        verb: 'get',
        resource: 'customresourcedefinitions.apiextensions.k8s.io',
        name: 'gateways.gateway.networking.k8s.io',
      },
      o =>
        apis.apiextensions.readCustomResourceDefinition(
          { name: 'gateways.gateway.networking.k8s.io' },
          o,
        ),
    ),
    apis.optional(
      {
        verb: 'get',
        resource: 'configmaps',
        namespace: KUBE_SYSTEM,
        name: 'cilium-config',
      },
      o =>
        apis.core.readNamespacedConfigMap(
          { namespace: KUBE_SYSTEM, name: 'cilium-config' },
          o,
        ),
      { allowForbidden: true },
    ),
  ]);

  // The mesh config is named after istiod's revision: `istio` or `istio-<rev>`.
  const revision = istiod.items[0]?.metadata?.labels?.['istio.io/rev'];
  const meshConfigName =
    revision && revision !== 'default' ? `istio-${revision}` : 'istio';
  const meshConfigMap = await apis.optional(
    {
      verb: 'get',
      resource: 'configmaps',
      namespace: ns,
      name: meshConfigName,
    },
    o =>
      apis.core.readNamespacedConfigMap(
        { namespace: ns, name: meshConfigName },
        o,
      ),
  );

  return {
    istioNamespace: ns,
    daemonSets: [...istioDaemonSets.items, ...(systemDaemonSets?.items ?? [])],
    istiodDeployments: istiod.items,
    ...(meshConfigMap ? { meshConfigMap } : {}),
    ...(cniConfigMap ? { cniConfigMap } : {}),
    waypointGatewayClass: gatewayClass !== undefined,
    ...(gatewayCrd ? { gatewayCrd } : {}),
    ...(ciliumConfigMap ? { ciliumConfigMap } : {}),
  };
}
