import { ISTIO } from '../controllers/keys';
import { applyCreateDefaults } from '../kube/defaults';
import { ResourceRegistry } from '../kube/registry';
import { ObjectStore, resourceKey } from '../kube/store';
import { KubeObject } from '../kube/types';
import {
  defaultMeshConfig,
  ISTIO_VERSION,
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
import { bookinfoObjects } from './bookinfo';
import {
  GATEWAY_API_VERSION,
  gatewayApiCrds,
  istioCrds,
  SailOperatorVersion,
  prometheusOperatorCrds,
  sailOperatorCrds,
} from './crds';
import { gatewayApiBundle } from './platformOptions';
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
  /**
   * Istio version of istiod, ztunnel and istio-cni (default {@link ISTIO_VERSION}, which
   * works with Gateway API v1.5). `1.28.0` with Gateway API v1.5.0 reproduces
   * istio/istio#59443: istiod never becomes ready.
   */
  istioVersion?: string;
  /** bundle-version of the seeded Gateway API standard CRDs (default v1.5.0). */
  gatewayApiVersion?: string;
  /**
   * Where the control plane lives: `istio-system` (Helm charts: all in istio-system) or
   * `sail` (Sail Operator resources with their default namespaces: istiod in
   * istio-system, ztunnel in `ztunnel`, istio-cni in `istio-cni`; the Sail imitation
   * creates the components).
   */
  layout?: 'istio-system' | 'sail';
  /** The ZTunnel version the Sail CRD serves: v1 (Sail 1.28+, default) or v1alpha1 (before). */
  ztunnelApiVersion?: 'v1' | 'v1alpha1';
  /** The Sail Operator release whose CRDs are served. Default 1.28. */
  sailOperatorVersion?: SailOperatorVersion;
}

/** The namespaces of the Sail Operator's defaults (api/v1 `+kubebuilder:default`). */
export const SAIL_NAMESPACES = {
  ztunnel: 'ztunnel',
  cni: 'istio-cni',
} as const;

/** The Sail Operator resources of an ambient install with Sail's default namespaces. */
export function sailResources(
  version: string,
  ztunnelApiVersion: 'v1' | 'v1alpha1',
): KubeObject[] {
  const v = `v${version.replace(/^v/, '')}`;
  return [
    {
      apiVersion: 'sailoperator.io/v1',
      kind: 'Istio',
      metadata: { name: 'default' },
      spec: {
        version: v,
        namespace: 'istio-system',
        profile: 'ambient',
        values: {
          pilot: { trustedZtunnelNamespace: SAIL_NAMESPACES.ztunnel },
          meshConfig: defaultMeshConfig(),
        },
      },
    },
    {
      apiVersion: 'sailoperator.io/v1',
      kind: 'IstioCNI',
      metadata: { name: 'default' },
      spec: { version: v, namespace: SAIL_NAMESPACES.cni, profile: 'ambient' },
    },
    {
      apiVersion: `sailoperator.io/${ztunnelApiVersion}`,
      kind: 'ZTunnel',
      metadata: { name: 'default' },
      spec:
        ztunnelApiVersion === 'v1'
          ? { version: v, namespace: SAIL_NAMESPACES.ztunnel }
          : {
              version: v,
              namespace: SAIL_NAMESPACES.ztunnel,
              profile: 'ambient',
            },
    },
  ];
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
  const version = options.istioVersion ?? ISTIO_VERSION;
  const sail = options.layout === 'sail';
  const controlPlane: KubeObject[] = sail
    ? [
        namespace(SAIL_NAMESPACES.ztunnel),
        namespace(SAIL_NAMESPACES.cni),
        ...sailResources(version, options.ztunnelApiVersion ?? 'v1'),
      ]
    : [
        ...istiod('istio-system', version),
        meshConfigMap('istio-system', defaultMeshConfig()),
        ...ztunnel('istio-system', version),
        ...istioCni('istio-system', version),
      ];
  const objects: KubeObject[] = [
    ...(options.gatewayApi === false
      ? []
      : gatewayApiBundle(
          gatewayApiCrds(),
          options.gatewayApiVersion ?? GATEWAY_API_VERSION,
        )),
    ...istioCrds(),
    // Sail before 1.28 serves ZTunnel only as v1alpha1 (its 1.27 CRDs)
    ...sailOperatorCrds(
      options.ztunnelApiVersion === 'v1alpha1'
        ? '1.27'
        : options.sailOperatorVersion,
    ),
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
    ...controlPlane,
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
    ...bookinfoObjects(),
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
    if (
      !type &&
      object.apiVersion.startsWith('admissionregistration.k8s.io/')
    ) {
      // The bundle's ValidatingAdmissionPolicy needs a server that serves that kind.
      return object;
    }
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
