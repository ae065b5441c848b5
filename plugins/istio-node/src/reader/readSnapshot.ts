import type { ControlPlaneFacts } from '@ambient-mesh/plugin-istio-common';
import { WAYPOINT_GATEWAY_CLASS } from '@ambient-mesh/plugin-istio-common';
import type { V1Deployment } from '@kubernetes/client-node';
import type {
  AuthorizationPolicyObject,
  GatewayObject,
  MeshSnapshot,
  PeerAuthenticationObject,
  RequestAuthenticationObject,
  TelemetryObject,
} from '../assessment';
import { waypointReferenceOf } from '../assessment/waypoint';
import type { KubeApis } from './kubeApis';
import { MeshExtras, readTrafficObjects } from './readTrafficObjects';

/**
 * The workloads of one entity in one cluster.
 *
 * @public
 */
export interface MeshTarget {
  namespace: string;
  /** A Kubernetes label selector, e.g. `backstage.io/kubernetes-id=orders`. */
  labelSelector?: string;
}

/** Label istiod puts on everything it creates for a waypoint. */
const WAYPOINT_MANAGED_SELECTOR =
  'gateway.istio.io/managed=istio.io-mesh-controller';

const GATEWAY_API = ['gateway.networking.k8s.io', 'v1'] as const;
const SECURITY = ['security.istio.io', 'v1'] as const;
const TELEMETRY = ['telemetry.istio.io', 'v1'] as const;

/**
 * Reads the snapshot of one entity: a fixed set of LIST/GET calls run in parallel (with
 * the control-plane read),
 * whatever the number of pods, plus at most two more when the waypoint lives in another
 * namespace. Pods, Services and workloads are filtered by the label selector server-side.
 */
export async function readSnapshot(
  apis: KubeApis,
  target: MeshTarget,
  rootNamespace: string,
  controlPlaneFacts: Promise<ControlPlaneFacts>,
  options: { readNetworkPolicies: boolean; meshExtras?: Promise<MeshExtras> },
): Promise<MeshSnapshot> {
  const ns = target.namespace;
  const labelSelector = target.labelSelector || undefined;
  const inRoot = ns === rootNamespace;
  const both = <T>(read: (namespace: string) => Promise<T[]>): Promise<T[]> =>
    inRoot
      ? read(ns)
      : Promise.all([read(ns), read(rootNamespace)]).then(([a, b]) => [
          ...a,
          ...b,
        ]);

  const [
    namespaceObject,
    pods,
    services,
    deployments,
    statefulSets,
    daemonSets,
    gateways,
    waypointDeployments,
    peerAuthentications,
    authorizationPolicies,
    requestAuthentications,
    telemetries,
    networkPolicies,
    controlPlane,
  ] = await Promise.all([
    apis.optional({ verb: 'get', resource: 'namespaces', name: ns }, o =>
      apis.core.readNamespace({ name: ns }, o),
    ),
    apis.required({ verb: 'list', resource: 'pods', namespace: ns }, o =>
      apis.core.listNamespacedPod({ namespace: ns, labelSelector }, o),
    ),
    apis.required({ verb: 'list', resource: 'services', namespace: ns }, o =>
      apis.core.listNamespacedService({ namespace: ns, labelSelector }, o),
    ),
    apis.required(
      { verb: 'list', resource: 'deployments.apps', namespace: ns },
      o =>
        apis.apps.listNamespacedDeployment({ namespace: ns, labelSelector }, o),
    ),
    apis.required(
      { verb: 'list', resource: 'statefulsets.apps', namespace: ns },
      o =>
        apis.apps.listNamespacedStatefulSet(
          { namespace: ns, labelSelector },
          o,
        ),
    ),
    apis.required(
      { verb: 'list', resource: 'daemonsets.apps', namespace: ns },
      o =>
        apis.apps.listNamespacedDaemonSet({ namespace: ns, labelSelector }, o),
    ),
    apis.listCustom<GatewayObject>(...GATEWAY_API, 'gateways', ns),
    apis.required(
      { verb: 'list', resource: 'deployments.apps', namespace: ns },
      o =>
        apis.apps.listNamespacedDeployment(
          { namespace: ns, labelSelector: WAYPOINT_MANAGED_SELECTOR },
          o,
        ),
    ),
    both(n =>
      apis.listCustom<PeerAuthenticationObject>(
        ...SECURITY,
        'peerauthentications',
        n,
      ),
    ),
    both(n =>
      apis.listCustom<AuthorizationPolicyObject>(
        ...SECURITY,
        'authorizationpolicies',
        n,
      ),
    ),
    both(n =>
      apis.listCustom<RequestAuthenticationObject>(
        ...SECURITY,
        'requestauthentications',
        n,
      ),
    ),
    both(n => apis.listCustom<TelemetryObject>(...TELEMETRY, 'telemetries', n)),
    options.readNetworkPolicies
      ? apis.required(
          {
            verb: 'list',
            resource: 'networkpolicies.networking.k8s.io',
            namespace: ns,
          },
          o =>
            apis.networking.listNamespacedNetworkPolicy({ namespace: ns }, o),
        )
      : undefined,
    controlPlaneFacts,
  ]);
  // The traffic objects are read once the core view is in, so that their lists do not
  // delay (or time out) the calls every view needs.
  const traffic = options.meshExtras
    ? await readTrafficObjects(
        apis,
        ns,
        rootNamespace,
        options.meshExtras,
      ).catch((error: Error) => ({ error: error.message }))
    : undefined;

  const snapshot: MeshSnapshot = {
    cluster: apis.cluster,
    namespace: ns,
    ...(labelSelector ? { labelSelector } : {}),
    ...(namespaceObject ? { namespaceObject } : {}),
    pods: pods.items,
    services: services.items,
    deployments: deployments.items,
    statefulSets: statefulSets.items,
    daemonSets: daemonSets.items,
    waypointGateways: gateways.filter(
      g => g.spec?.gatewayClassName === WAYPOINT_GATEWAY_CLASS,
    ),
    waypointDeployments: waypointDeployments.items,
    peerAuthentications,
    authorizationPolicies,
    requestAuthentications,
    telemetries,
    ...(networkPolicies ? { networkPolicies: networkPolicies.items } : {}),
    controlPlane,
  };

  if (traffic && 'error' in traffic) snapshot.trafficReadError = traffic.error;
  else if (traffic) snapshot.traffic = traffic;

  const ref = waypointReferenceOf(snapshot);
  if (ref && ref.namespace !== ns) {
    // Policies in the waypoint's namespace reach it too (targetRefs to its Gateway,
    // Telemetry of its namespace): pilot/pkg/model/policyattachment.go, telemetry.go.
    const there = ref.namespace !== rootNamespace;
    const [gateway, deploymentsThere, policiesThere] = await Promise.all([
      apis.optional(
        {
          verb: 'get',
          resource: 'gateways.gateway.networking.k8s.io',
          namespace: ref.namespace,
          name: ref.name,
        },
        o =>
          apis.custom.getNamespacedCustomObject(
            {
              group: GATEWAY_API[0],
              version: GATEWAY_API[1],
              plural: 'gateways',
              namespace: ref.namespace,
              name: ref.name,
            },
            o,
          ) as Promise<GatewayObject>,
      ),
      apis.required(
        {
          verb: 'list',
          resource: 'deployments.apps',
          namespace: ref.namespace,
        },
        o =>
          apis.apps.listNamespacedDeployment(
            {
              namespace: ref.namespace,
              labelSelector: WAYPOINT_MANAGED_SELECTOR,
            },
            o,
          ),
      ),
      there
        ? Promise.all([
            apis.listCustom<AuthorizationPolicyObject>(
              ...SECURITY,
              'authorizationpolicies',
              ref.namespace,
            ),
            apis.listCustom<RequestAuthenticationObject>(
              ...SECURITY,
              'requestauthentications',
              ref.namespace,
            ),
            apis.listCustom<TelemetryObject>(
              ...TELEMETRY,
              'telemetries',
              ref.namespace,
            ),
          ])
        : undefined,
    ]);
    if (policiesThere) {
      snapshot.authorizationPolicies.push(...policiesThere[0]);
      snapshot.requestAuthentications.push(...policiesThere[1]);
      snapshot.telemetries.push(...policiesThere[2]);
    }
    if (gateway && gateway.spec?.gatewayClassName === WAYPOINT_GATEWAY_CLASS) {
      snapshot.waypointGateways.push(gateway);
    }
    snapshot.waypointDeployments.push(
      ...deploymentsThere.items.filter(
        (d: V1Deployment) => d.metadata?.name === ref.name,
      ),
    );
  }
  return snapshot;
}
