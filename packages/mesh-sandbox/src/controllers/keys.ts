import { resourceKey } from '../kube/store';

/** Store keys of the resources the controllers read and write. */
export const KEYS = {
  namespaces: resourceKey('', 'namespaces'),
  pods: resourceKey('', 'pods'),
  services: resourceKey('', 'services'),
  serviceAccounts: resourceKey('', 'serviceaccounts'),
  configMaps: resourceKey('', 'configmaps'),
  deployments: resourceKey('apps', 'deployments'),
  replicaSets: resourceKey('apps', 'replicasets'),
  statefulSets: resourceKey('apps', 'statefulsets'),
  daemonSets: resourceKey('apps', 'daemonsets'),
  crds: resourceKey('apiextensions.k8s.io', 'customresourcedefinitions'),
  gateways: resourceKey('gateway.networking.k8s.io', 'gateways'),
  gatewayClasses: resourceKey('gateway.networking.k8s.io', 'gatewayclasses'),
  authorizationPolicies: resourceKey(
    'security.istio.io',
    'authorizationpolicies',
  ),
  peerAuthentications: resourceKey('security.istio.io', 'peerauthentications'),
  requestAuthentications: resourceKey(
    'security.istio.io',
    'requestauthentications',
  ),
  telemetries: resourceKey('telemetry.istio.io', 'telemetries'),
  istios: resourceKey('sailoperator.io', 'istios'),
  istioCnis: resourceKey('sailoperator.io', 'istiocnis'),
  ztunnels: resourceKey('sailoperator.io', 'ztunnels'),
} as const;

/** Istio's label and annotation names (istio-ambient.md §1-2). */
export const ISTIO = {
  dataplaneMode: 'istio.io/dataplane-mode',
  redirection: 'ambient.istio.io/redirection',
  sidecarStatus: 'sidecar.istio.io/status',
  useWaypoint: 'istio.io/use-waypoint',
  useWaypointNamespace: 'istio.io/use-waypoint-namespace',
  waypointFor: 'istio.io/waypoint-for',
  gatewayName: 'gateway.networking.k8s.io/gateway-name',
  managed: 'gateway.istio.io/managed',
  managedValue: 'istio.io-mesh-controller',
  waypointClass: 'istio-waypoint',
  waypointBound: 'istio.io/WaypointBound',
} as const;
