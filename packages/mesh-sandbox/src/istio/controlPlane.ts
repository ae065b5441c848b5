import { stringify } from 'yaml';
import { ISTIO } from '../controllers/keys';
import {
  configMap,
  daemonSet,
  deployment,
  service,
  serviceAccount,
} from '../seed/builders';
import { KubeObject } from '../kube/types';

/**
 * The Istio version of the demo's control plane: a patch that reads TLSRoute v1, so it
 * becomes ready with the seed's Gateway API v1.5 (istio/istio#59443, fixed in 1.28.6).
 */
export const ISTIO_VERSION = '1.28.6';

/**
 * istiod releases that watch TLSRoute v1alpha2 and never become ready once the Gateway
 * API v1.5+ CRDs serve TLSRoute only as v1 (istio/istio#59387, #59443, PR #59309).
 */
export const ISTIOD_TLSROUTE_V1ALPHA2_RANGES = [
  ['1.24.0', '1.27.8'],
  ['1.28.0', '1.28.5'],
  ['1.29.0', '1.29.1'],
] as const;

function semver(text: string | undefined): number[] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compare(a: number[], b: number[]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** True when istiod `istioVersion` cannot start with Gateway API `bundleVersion`. */
export function istiodBlockedByTlsRoute(
  istioVersion: string | undefined,
  bundleVersion: string | undefined,
): boolean {
  const istio = semver(istioVersion);
  const bundle = semver(bundleVersion);
  if (!istio || !bundle || compare(bundle, [1, 5, 0]) < 0) return false;
  return ISTIOD_TLSROUTE_V1ALPHA2_RANGES.some(
    ([from, to]) =>
      compare(istio, semver(from)!) >= 0 && compare(istio, semver(to)!) <= 0,
  );
}

/** `1.28.6` from `v1.28.6` (Sail's spec.version) or `1.28.6`. */
export function plainVersion(version: string | undefined): string {
  return semver(version)?.join('.') ?? ISTIO_VERSION;
}

/** The tracing collector the seed's mesh config points at. */
export const OTEL_COLLECTOR = 'otel-collector.observability.svc.cluster.local';

/** meshConfig of the ambient profile with tracing to the OTel collector. */
export function defaultMeshConfig(): Record<string, unknown> {
  return {
    enableTracing: true,
    defaultConfig: { tracing: {} },
    extensionProviders: [
      {
        name: 'otel-tracing',
        opentelemetry: { service: OTEL_COLLECTOR, port: 4317 },
      },
    ],
  };
}

/**
 * istiod (Deployment, Service, ServiceAccount) with ambient enabled, labelled as the
 * istiod chart does (manifests/charts/istio-control/istio-discovery, `istio.labels`).
 */
export function istiod(
  ns: string,
  version: string = ISTIO_VERSION,
  extraEnv: Array<{ name: string; value: string }> = [],
): KubeObject[] {
  const labels = {
    app: 'istiod',
    istio: 'pilot',
    'istio.io/rev': 'default',
    'app.kubernetes.io/version': version,
  };
  const built = deployment(ns, 'istiod', {
    image: `docker.io/istio/pilot:${version}`,
    port: 15010,
    labels,
    podLabels: labels,
    env: [
      { name: 'PILOT_ENABLE_AMBIENT', value: 'true' },
      { name: 'ISTIO_META_ENABLE_HBONE', value: 'true' },
      ...extraEnv,
    ],
    serviceAccountName: 'istiod',
  });
  // The chart's container is named `discovery`.
  (built.spec as any).template.spec.containers[0].name = 'discovery';
  return [
    serviceAccount(ns, 'istiod'),
    built,
    service(ns, 'istiod', 15012, { labels, portName: 'grpc-xds' }),
  ];
}

/** ConfigMap `istio` holding the mesh config as YAML under `mesh`. */
export function meshConfigMap(
  ns: string,
  meshConfig: Record<string, unknown>,
): KubeObject {
  return configMap(
    ns,
    'istio',
    { mesh: stringify(meshConfig), meshNetworks: 'networks: {}\n' },
    { 'istio.io/rev': 'default' },
  );
}

/** The ztunnel DaemonSet; its pods carry `app: ztunnel` (manifests/charts/ztunnel/templates/daemonset.yaml). */
export function ztunnel(
  ns: string,
  version: string = ISTIO_VERSION,
): KubeObject[] {
  const labels = { 'app.kubernetes.io/name': 'ztunnel', app: 'ztunnel' };
  return [
    serviceAccount(ns, 'ztunnel'),
    daemonSet(ns, 'ztunnel', {
      image: `docker.io/istio/ztunnel:${version}`,
      port: 15020,
      labels,
      podLabels: { ...labels, [ISTIO.dataplaneMode]: 'none' },
      serviceAccountName: 'ztunnel',
    }),
  ];
}

/** The istio-cni node agent DaemonSet and its ConfigMap with ambient enabled. */
export function istioCni(
  ns: string,
  version: string = ISTIO_VERSION,
): KubeObject[] {
  const labels = {
    'app.kubernetes.io/name': 'istio-cni',
    'k8s-app': 'istio-cni-node',
  };
  return [
    serviceAccount(ns, 'istio-cni'),
    daemonSet(ns, 'istio-cni-node', {
      image: `docker.io/istio/install-cni:${version}`,
      port: 15014,
      labels,
      podLabels: labels,
      serviceAccountName: 'istio-cni',
      hostNetwork: true,
    }),
    configMap(ns, 'istio-cni-config', {
      AMBIENT_ENABLED: 'true',
      CHAINED_CNI_PLUGIN: 'true',
    }),
  ];
}

/** GatewayClass istio-waypoint, which exists only when ambient is on. */
export function waypointGatewayClass(): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name: ISTIO.waypointClass },
    spec: {
      controllerName: 'istio.io/mesh-controller',
      description: 'The default Istio waypoint GatewayClass',
    },
  };
}
