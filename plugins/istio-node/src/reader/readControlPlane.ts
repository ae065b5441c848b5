import type { V1DaemonSetList } from '@kubernetes/client-node';
import type { ControlPlaneObjects } from '../assessment';
import { GATEWAY_API_SAFE_UPGRADES_POLICY } from '../assessment/gatewayApiCompat';
import type { KubeApis } from './kubeApis';

/** Where the control plane lives. */
export interface ControlPlaneLocation {
  /** Namespace of istiod, ztunnel and istio-cni (default `istio-system`). */
  istioNamespace: string;
}

const KUBE_SYSTEM = 'kube-system';

/**
 * Namespaces where ztunnel and istio-cni also live: kube-system (OpenShift) and the
 * Sail Operator's defaults, ZTunnel `spec.namespace: ztunnel` and IstioCNI
 * `spec.namespace: istio-cni` (istio-ecosystem/sail-operator api/v1/ztunnel_types.go,
 * api/v1/istiocni_types.go `+kubebuilder:default`).
 */
export const NODE_AGENT_NAMESPACES = [KUBE_SYSTEM, 'ztunnel', 'istio-cni'];

/**
 * Reads the cluster-wide objects behind the control-plane facts: a fixed set of calls
 * (DaemonSets of the Istio namespace, kube-system, ztunnel and istio-cni, istiod
 * Deployments, the CNI and mesh ConfigMaps, GatewayClass istio-waypoint, the Gateway
 * CRD, Gateway API's safe-upgrades ValidatingAdmissionPolicy, Cilium's ConfigMap).
 * Reads outside the Istio namespace are best effort (a 403 there reads as "absent").
 */
export async function readControlPlaneObjects(
  apis: KubeApis,
  { istioNamespace }: ControlPlaneLocation,
): Promise<ControlPlaneObjects> {
  const ns = istioNamespace;
  const nodeAgentDaemonSets = Promise.all(
    NODE_AGENT_NAMESPACES.filter(other => other !== ns).map(other =>
      apis.optional<V1DaemonSetList>(
        { verb: 'list', resource: 'daemonsets.apps', namespace: other },
        o => apis.apps.listNamespacedDaemonSet({ namespace: other }, o),
        { allowForbidden: true },
      ),
    ),
  );
  const safeUpgradesPolicy = apis.optional(
    {
      verb: 'get',
      resource: 'validatingadmissionpolicies.admissionregistration.k8s.io',
      name: GATEWAY_API_SAFE_UPGRADES_POLICY,
    },
    o =>
      apis.custom.getClusterCustomObject(
        {
          group: 'admissionregistration.k8s.io',
          version: 'v1',
          plural: 'validatingadmissionpolicies',
          name: GATEWAY_API_SAFE_UPGRADES_POLICY,
        },
        o,
      ),
    { allowForbidden: true },
  );
  const [
    istioDaemonSets,
    otherDaemonSets,
    istiod,
    gatewayClass,
    gatewayCrd,
    ciliumConfigMap,
    safeUpgradesPolicyObject,
  ] = await Promise.all([
    apis.required(
      { verb: 'list', resource: 'daemonsets.apps', namespace: ns },
      o => apis.apps.listNamespacedDaemonSet({ namespace: ns }, o),
    ),
    nodeAgentDaemonSets,
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
    safeUpgradesPolicy,
  ]);

  // The mesh config is named after istiod's revision: `istio` or `istio-<rev>`.
  const revision = istiod.items[0]?.metadata?.labels?.['istio.io/rev'];
  const meshConfigName =
    revision && revision !== 'default' ? `istio-${revision}` : 'istio';
  // istio-cni's ConfigMap lives next to its DaemonSet (Sail: namespace istio-cni).
  const cniNamespace =
    [
      ...istioDaemonSets.items,
      ...otherDaemonSets.flatMap(list => list?.items ?? []),
    ].find(d => d.metadata?.name === 'istio-cni-node')?.metadata?.namespace ??
    ns;
  const [meshConfigMap, cniConfigMap] = await Promise.all([
    apis.optional(
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
    ),
    apis.optional(
      {
        verb: 'get',
        resource: 'configmaps',
        namespace: cniNamespace,
        name: 'istio-cni-config',
      },
      o =>
        apis.core.readNamespacedConfigMap(
          { namespace: cniNamespace, name: 'istio-cni-config' },
          o,
        ),
      { allowForbidden: cniNamespace !== ns },
    ),
  ]);

  return {
    istioNamespace: ns,
    daemonSets: [
      ...istioDaemonSets.items,
      ...otherDaemonSets.flatMap(list => list?.items ?? []),
    ],
    istiodDeployments: istiod.items,
    ...(meshConfigMap ? { meshConfigMap } : {}),
    ...(cniConfigMap ? { cniConfigMap } : {}),
    waypointGatewayClass: gatewayClass !== undefined,
    ...(gatewayCrd ? { gatewayCrd } : {}),
    ...(ciliumConfigMap ? { ciliumConfigMap } : {}),
    safeUpgradesPolicy: safeUpgradesPolicyObject !== undefined,
  };
}
