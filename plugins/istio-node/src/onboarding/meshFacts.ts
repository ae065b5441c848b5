import { parse } from 'yaml';
import {
  GATEWAY_API_SAFE_UPGRADES_POLICY,
  istiodVersionOf,
} from '../assessment/gatewayApiCompat';
import { KubeClient } from './kubeClient';
import { KubeObject } from './state';

/**
 * What `istio:mesh:check` reads from a cluster.
 *
 * @public
 */
export interface MeshFacts {
  /** The CRD gateways.gateway.networking.k8s.io, when installed. */
  gatewayApi?: {
    bundleVersion?: string;
    channel?: string;
    /**
     * The ValidatingAdmissionPolicy safe-upgrades.gateway.networking.k8s.io of the
     * v1.5+ standard-install exists (it denies CRDs older than v1.5.0).
     */
    safeUpgradesPolicy?: boolean;
  };
  /** istiod Deployments (label app=istiod). */
  istiod: Array<{
    namespace: string;
    name: string;
    ambientEnabled: boolean;
    readyReplicas: number;
    /** Label `istio.io/rev` (`default` for an unrevisioned install). */
    revision?: string;
    /** From the image tag or the `app.kubernetes.io/version` label. */
    version?: string;
  }>;
  /** DaemonSets by name (ztunnel, istio-cni-node, cilium). */
  daemonSets: Record<
    string,
    { namespace: string; desired: number; ready: number } | undefined
  >;
  /** Whether the GatewayClass istio-waypoint exists. */
  waypointGatewayClass: boolean;
  /** The ConfigMap the meshConfig was read from (`<namespace>/istio[-<rev>]`). */
  meshConfigSource?: string;
  /** The meshConfig from ConfigMap istio or istio-<rev> (key `mesh`), when found. */
  meshConfig?: {
    enableTracing?: boolean;
    extensionProviders?: Array<{
      name?: string;
      opentelemetry?: { service?: string; port?: number };
    }>;
  };
  /** Cilium's ConfigMap cilium-config, when Cilium is installed. */
  ciliumConfig?: Record<string, string>;
}

const WATCHED_DAEMONSETS = ['ztunnel', 'istio-cni-node', 'cilium'];

/**
 * Reads the facts `assessMeshReadiness` needs (a handful of GETs/LISTs).
 *
 * @public
 */
export async function readMeshFacts(
  client: KubeClient,
  options: { istioNamespace?: string } = {},
): Promise<MeshFacts> {
  const [crd, deployments, daemonSets, gatewayClass, safeUpgradesPolicy] =
    await Promise.all([
      client.get({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: 'gateways.gateway.networking.k8s.io',
      }),
      client.list('apps/v1', 'Deployment', undefined, 'app=istiod'),
      client.list('apps/v1', 'DaemonSet'),
      client
        .serves('gateway.networking.k8s.io/v1', 'GatewayClass')
        .then(served =>
          served
            ? client.get({
                apiVersion: 'gateway.networking.k8s.io/v1',
                kind: 'GatewayClass',
                name: 'istio-waypoint',
              })
            : undefined,
        ),
      client
        .serves('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy')
        .then(served =>
          served
            ? client.get({
                apiVersion: 'admissionregistration.k8s.io/v1',
                kind: 'ValidatingAdmissionPolicy',
                name: GATEWAY_API_SAFE_UPGRADES_POLICY,
              })
            : undefined,
        ),
    ]);
  const istiod = deployments.map(istiodFacts);
  const { namespace: meshNamespace, name: meshConfigName } = meshConfigRef(
    istiod,
    options.istioNamespace,
  );
  const meshConfigMap = await client.get({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: meshConfigName,
    namespace: meshNamespace,
  });
  const byName: MeshFacts['daemonSets'] = {};
  for (const ds of daemonSets) {
    const name = ds.metadata.name ?? '';
    if (WATCHED_DAEMONSETS.includes(name)) {
      byName[name] = {
        namespace: ds.metadata.namespace ?? '',
        desired: ds.status?.desiredNumberScheduled ?? 0,
        ready: ds.status?.numberReady ?? 0,
      };
    }
  }
  let ciliumConfig: Record<string, string> | undefined;
  if (byName.cilium) {
    const cm = await client.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'cilium-config',
      namespace: byName.cilium.namespace,
    });
    ciliumConfig = (cm as any)?.data ?? {};
  }
  return {
    gatewayApi: crd
      ? {
          bundleVersion:
            crd.metadata.annotations?.[
              'gateway.networking.k8s.io/bundle-version'
            ],
          channel:
            crd.metadata.annotations?.['gateway.networking.k8s.io/channel'],
          safeUpgradesPolicy: Boolean(safeUpgradesPolicy),
        }
      : undefined,
    istiod,
    daemonSets: byName,
    waypointGatewayClass: Boolean(gatewayClass),
    meshConfigSource: `${meshNamespace}/${meshConfigName}`,
    meshConfig: parseMeshConfig(meshConfigMap),
    ciliumConfig,
  };
}

/**
 * The ConfigMap holding istiod's meshConfig: `istio` for the default revision,
 * `istio-<rev>` for a revisioned istiod (istio/istio manifests/charts/istio-control/
 * istio-discovery/templates/configmap.yaml), in the namespace of the (ambient) istiod.
 */
export function meshConfigRef(
  istiod: MeshFacts['istiod'],
  istioNamespace?: string,
): { namespace: string; name: string } {
  const candidates = istioNamespace
    ? istiod.filter(d => d.namespace === istioNamespace)
    : istiod;
  const chosen =
    candidates.find(d => d.ambientEnabled) ?? candidates[0] ?? undefined;
  const revision = chosen?.revision;
  return {
    namespace: istioNamespace ?? chosen?.namespace ?? 'istio-system',
    name: revision && revision !== 'default' ? `istio-${revision}` : 'istio',
  };
}

function istiodFacts(deployment: KubeObject): MeshFacts['istiod'][number] {
  const containers: any[] = deployment.spec?.template?.spec?.containers ?? [];
  const ambientEnabled = containers.some(container =>
    (container.env ?? []).some(
      (env: any) =>
        env.name === 'PILOT_ENABLE_AMBIENT' && String(env.value) === 'true',
    ),
  );
  const revision = deployment.metadata.labels?.['istio.io/rev'];
  const version = istiodVersionOf(deployment as any);
  return {
    namespace: deployment.metadata.namespace ?? '',
    name: deployment.metadata.name ?? '',
    ambientEnabled,
    readyReplicas: deployment.status?.readyReplicas ?? 0,
    ...(revision ? { revision } : {}),
    ...(version ? { version } : {}),
  };
}

function parseMeshConfig(
  configMap: KubeObject | undefined,
): MeshFacts['meshConfig'] {
  const mesh = (configMap as any)?.data?.mesh;
  if (typeof mesh !== 'string') {
    return undefined;
  }
  try {
    return parse(mesh) ?? {};
  } catch {
    return {};
  }
}
