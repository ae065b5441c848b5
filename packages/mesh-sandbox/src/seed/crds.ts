import { KubeObject } from '../kube/types';

/** The Gateway API release whose CRDs the seed installs. */
export const GATEWAY_API_VERSION = 'v1.5.0';

function crd(options: {
  group: string;
  kind: string;
  plural: string;
  versions: string[];
  scope?: 'Namespaced' | 'Cluster';
  shortNames?: string[];
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${options.plural}.${options.group}`,
      annotations: options.annotations,
      labels: options.labels,
    },
    spec: {
      group: options.group,
      scope: options.scope ?? 'Namespaced',
      names: {
        kind: options.kind,
        listKind: `${options.kind}List`,
        plural: options.plural,
        singular: options.kind.toLowerCase(),
        ...(options.shortNames ? { shortNames: options.shortNames } : {}),
      },
      versions: options.versions.map((name, index) => ({
        name,
        served: true,
        storage: index === 0,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
          },
        },
      })),
    },
    status: { acceptedNames: { kind: options.kind, plural: options.plural } },
  };
}

/** Gateway API CRDs (standard channel) with the bundle-version annotation. */
export function gatewayApiCrds(): KubeObject[] {
  const annotations = {
    'gateway.networking.k8s.io/bundle-version': GATEWAY_API_VERSION,
    'gateway.networking.k8s.io/channel': 'standard',
  };
  const group = 'gateway.networking.k8s.io';
  return [
    crd({
      group,
      kind: 'GatewayClass',
      plural: 'gatewayclasses',
      versions: ['v1', 'v1beta1'],
      scope: 'Cluster',
      shortNames: ['gc'],
      annotations,
    }),
    crd({
      group,
      kind: 'Gateway',
      plural: 'gateways',
      versions: ['v1', 'v1beta1'],
      shortNames: ['gtw'],
      annotations,
    }),
    crd({
      group,
      kind: 'HTTPRoute',
      plural: 'httproutes',
      versions: ['v1', 'v1beta1'],
      annotations,
    }),
    crd({
      group,
      kind: 'GRPCRoute',
      plural: 'grpcroutes',
      versions: ['v1'],
      annotations,
    }),
    crd({
      group,
      kind: 'ReferenceGrant',
      plural: 'referencegrants',
      versions: ['v1beta1'],
      shortNames: ['refgrant'],
      annotations,
    }),
  ];
}

/** The Istio CRDs (from the `base` chart) the plugins use. */
export function istioCrds(): KubeObject[] {
  const labels = { app: 'istio-pilot', 'istio.io/rev': 'default' };
  return [
    crd({
      group: 'security.istio.io',
      kind: 'AuthorizationPolicy',
      plural: 'authorizationpolicies',
      versions: ['v1', 'v1beta1'],
      shortNames: ['ap'],
      labels,
    }),
    crd({
      group: 'security.istio.io',
      kind: 'PeerAuthentication',
      plural: 'peerauthentications',
      versions: ['v1', 'v1beta1'],
      shortNames: ['pa'],
      labels,
    }),
    crd({
      group: 'security.istio.io',
      kind: 'RequestAuthentication',
      plural: 'requestauthentications',
      versions: ['v1', 'v1beta1'],
      shortNames: ['ra'],
      labels,
    }),
    crd({
      group: 'networking.istio.io',
      kind: 'VirtualService',
      plural: 'virtualservices',
      versions: ['v1', 'v1beta1', 'v1alpha3'],
      shortNames: ['vs'],
      labels,
    }),
    crd({
      group: 'networking.istio.io',
      kind: 'DestinationRule',
      plural: 'destinationrules',
      versions: ['v1', 'v1beta1', 'v1alpha3'],
      shortNames: ['dr'],
      labels,
    }),
    crd({
      group: 'networking.istio.io',
      kind: 'ServiceEntry',
      plural: 'serviceentries',
      versions: ['v1', 'v1beta1', 'v1alpha3'],
      shortNames: ['se'],
      labels,
    }),
    crd({
      group: 'telemetry.istio.io',
      kind: 'Telemetry',
      plural: 'telemetries',
      versions: ['v1', 'v1alpha1'],
      shortNames: ['telemetry'],
      labels,
    }),
    crd({
      group: 'networking.istio.io',
      kind: 'Gateway',
      plural: 'gateways',
      versions: ['v1', 'v1beta1', 'v1alpha3'],
      shortNames: ['gw'],
      labels,
    }),
    crd({
      group: 'networking.istio.io',
      kind: 'Sidecar',
      plural: 'sidecars',
      versions: ['v1', 'v1beta1', 'v1alpha3'],
      labels,
    }),
    crd({
      group: 'extensions.istio.io',
      kind: 'WasmPlugin',
      plural: 'wasmplugins',
      versions: ['v1alpha1'],
      labels,
    }),
  ];
}

/** The Prometheus Operator CRDs (`monitoring.coreos.com/v1`) that select scrape targets. */
export function prometheusOperatorCrds(): KubeObject[] {
  const group = 'monitoring.coreos.com';
  return [
    crd({
      group,
      kind: 'ServiceMonitor',
      plural: 'servicemonitors',
      versions: ['v1'],
      shortNames: ['smon'],
    }),
    crd({
      group,
      kind: 'PodMonitor',
      plural: 'podmonitors',
      versions: ['v1'],
      shortNames: ['pmon'],
    }),
  ];
}

/** The Sail Operator CRDs (`sailoperator.io/v1`), cluster-scoped. */
export function sailOperatorCrds(): KubeObject[] {
  const group = 'sailoperator.io';
  return [
    crd({
      group,
      kind: 'Istio',
      plural: 'istios',
      versions: ['v1'],
      scope: 'Cluster',
    }),
    crd({
      group,
      kind: 'IstioCNI',
      plural: 'istiocnis',
      versions: ['v1'],
      scope: 'Cluster',
    }),
    crd({
      group,
      kind: 'ZTunnel',
      plural: 'ztunnels',
      versions: ['v1'],
      scope: 'Cluster',
    }),
    crd({
      group,
      kind: 'IstioRevision',
      plural: 'istiorevisions',
      versions: ['v1'],
      scope: 'Cluster',
    }),
  ];
}
