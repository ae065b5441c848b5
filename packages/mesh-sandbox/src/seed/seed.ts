import { ISTIO } from '../controllers/keys';
import { applyCreateDefaults } from '../kube/defaults';
import { ResourceRegistry } from '../kube/registry';
import { ObjectStore, resourceKey } from '../kube/store';
import { KubeObject } from '../kube/types';
import {
  defaultMeshConfig,
  istioCni,
  istiod,
  meshConfigMap,
  waypointGatewayClass,
  ztunnel,
} from '../istio/controlPlane';
import { waypointResources } from '../istio/waypointResources';
import {
  configMap,
  daemonSet,
  deployment,
  namespace,
  service,
  serviceAccount,
} from './builders';
import {
  gatewayApiCrds,
  istioCrds,
  prometheusOperatorCrds,
  sailOperatorCrds,
} from './crds';
import { demoTrafficObjects, monitoringObjects } from './demoTraffic';

/** The demo services of the `microservices` namespace (examples/components.yaml). */
export const MESH_SERVICES = [
  'frontend',
  'orders',
  'payments',
  'inventory',
] as const;

/** Options of {@link seedObjects}. */
export interface SeedOptions {
  /** Replicas of each demo service. Default 2. */
  replicas?: number;
  /** Install the Gateway API CRDs. Default true; false simulates "CRDs missing". */
  gatewayApi?: boolean;
}

function app(
  ns: string,
  name: string,
  port: number,
  replicas: number,
  image: string,
): KubeObject[] {
  return [
    serviceAccount(ns, name),
    deployment(ns, name, {
      image,
      port,
      replicas,
      podLabels: { 'backstage.io/kubernetes-id': name, version: 'v1' },
      labels: { 'backstage.io/kubernetes-id': name },
    }),
    service(ns, name, port, { labels: { 'backstage.io/kubernetes-id': name } }),
  ];
}

/**
 * The platform the product serves, as Kubernetes objects: ambient Istio in
 * istio-system (istiod, ztunnel, istio-cni, mesh config with the otel-tracing
 * provider), Gateway API CRDs, observability (otel-collector, tempo,
 * prometheus), Traefik, Cilium, the enrolled `microservices` namespace with
 * its waypoint, and the not-yet-enrolled `reporting` namespace.
 */
export function seedObjects(options: SeedOptions = {}): KubeObject[] {
  const replicas = options.replicas ?? 2;
  const objects: KubeObject[] = [
    ...(options.gatewayApi === false ? [] : gatewayApiCrds()),
    ...istioCrds(),
    ...sailOperatorCrds(),
    ...prometheusOperatorCrds(),
    namespace('default'),
    namespace('kube-system'),
    namespace('kube-public'),
    namespace('istio-system'),
    namespace('observability'),
    namespace('traefik'),
    namespace('microservices', {
      [ISTIO.dataplaneMode]: 'ambient',
      [ISTIO.useWaypoint]: 'waypoint',
    }),
    namespace('reporting'),
    ...istiod('istio-system'),
    meshConfigMap('istio-system', defaultMeshConfig()),
    ...ztunnel('istio-system'),
    ...istioCni('istio-system'),
    {
      apiVersion: 'telemetry.istio.io/v1',
      kind: 'Telemetry',
      metadata: { name: 'mesh-default', namespace: 'istio-system' },
      spec: {
        tracing: [
          {
            providers: [{ name: 'otel-tracing' }],
            randomSamplingPercentage: 10,
          },
        ],
      },
    },
    daemonSet('kube-system', 'cilium', {
      image: 'quay.io/cilium/cilium:v1.18.0',
      port: 9962,
      labels: { 'k8s-app': 'cilium', 'app.kubernetes.io/name': 'cilium-agent' },
      podLabels: { 'k8s-app': 'cilium' },
      hostNetwork: true,
      serviceAccountName: 'cilium',
    }),
    configMap('kube-system', 'cilium-config', {
      'cni-exclusive': 'false',
      'enable-bpf-masquerade': 'false',
      'bpf-lb-sock-hostns-only': 'true',
      'kube-proxy-replacement': 'true',
    }),
    ...app(
      'observability',
      'otel-collector',
      4317,
      1,
      'otel/opentelemetry-collector-contrib:0.120.0',
    ),
    ...app('observability', 'tempo', 3200, 1, 'grafana/tempo:2.8.0'),
    ...app('observability', 'prometheus', 9090, 1, 'prom/prometheus:v3.5.0'),
    ...app('traefik', 'traefik', 8000, 1, 'traefik:v3.5'),
    ...MESH_SERVICES.flatMap(name =>
      app(
        'microservices',
        name,
        8080,
        replicas,
        `ghcr.io/ambient-mesh/demo-${name}:1.0.0`,
      ),
    ),
    ...app(
      'reporting',
      'reports',
      8080,
      1,
      'ghcr.io/ambient-mesh/demo-reports:1.0.0',
    ),
  ];
  objects.push(...monitoringObjects(), ...demoTrafficObjects(options));
  if (options.gatewayApi !== false) {
    const gateway: KubeObject = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: {
        name: 'waypoint',
        namespace: 'microservices',
        labels: { [ISTIO.waypointFor]: 'service' },
      },
      spec: {
        gatewayClassName: ISTIO.waypointClass,
        listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
      },
    };
    objects.push(waypointGatewayClass(), gateway);
  }
  return objects;
}

/**
 * Writes the seed into the store, dated an hour ago (so the waypoint is
 * already Programmed), with its waypoint's resources as istiod made them.
 */
export function seedStore(
  store: ObjectStore,
  registry: ResourceRegistry,
  options: SeedOptions = {},
): void {
  const created = new Date(Date.now() - 3600_000).toISOString();
  const write = (object: KubeObject) => {
    const type = registry.forObject(object.apiVersion, object.kind);
    if (!type) {
      throw new Error(
        `seed: ${object.apiVersion} ${object.kind} is not served`,
      );
    }
    const copy = structuredClone(object);
    copy.metadata.creationTimestamp = created;
    applyCreateDefaults(type, copy);
    return store.create(resourceKey(type.group, type.plural), copy);
  };
  for (const object of seedObjects(options)) {
    const stored = write(object);
    if (stored.kind === 'Gateway') {
      const made = waypointResources(stored);
      [made.serviceAccount, made.deployment, made.service].forEach(write);
    }
  }
}
