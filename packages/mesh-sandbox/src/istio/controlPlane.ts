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

/** The Istio version the sandbox's control plane reports. */
export const ISTIO_VERSION = '1.28.0';

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

/** istiod (Deployment, Service, ServiceAccount) with ambient enabled. */
export function istiod(ns: string): KubeObject[] {
  const labels = { app: 'istiod', istio: 'pilot', 'istio.io/rev': 'default' };
  const object = deployment(ns, 'istiod', {
    image: `docker.io/istio/pilot:${ISTIO_VERSION}`,
    port: 15010,
    labels,
    podLabels: labels,
    env: [
      { name: 'PILOT_ENABLE_AMBIENT', value: 'true' },
      { name: 'ISTIO_META_ENABLE_HBONE', value: 'true' },
    ],
    serviceAccountName: 'istiod',
  });
  return [
    serviceAccount(ns, 'istiod'),
    object,
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

/** The ztunnel DaemonSet. */
export function ztunnel(ns: string): KubeObject[] {
  const labels = { 'app.kubernetes.io/name': 'ztunnel', app: 'ztunnel' };
  return [
    serviceAccount(ns, 'ztunnel'),
    daemonSet(ns, 'ztunnel', {
      image: `docker.io/istio/ztunnel:${ISTIO_VERSION}`,
      port: 15020,
      labels,
      podLabels: { ...labels, [ISTIO.dataplaneMode]: 'none' },
      serviceAccountName: 'ztunnel',
    }),
  ];
}

/** The istio-cni node agent DaemonSet and its ConfigMap with ambient enabled. */
export function istioCni(ns: string): KubeObject[] {
  const labels = {
    'app.kubernetes.io/name': 'istio-cni',
    'k8s-app': 'istio-cni-node',
  };
  return [
    serviceAccount(ns, 'istio-cni'),
    daemonSet(ns, 'istio-cni-node', {
      image: `docker.io/istio/install-cni:${ISTIO_VERSION}`,
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
