import { parse } from 'yaml';
import { KubeClient } from './kubeClient';
import { KubeObject } from './state';

/** What `istio:mesh:check` reads from a cluster. */
export interface MeshFacts {
  /** The CRD gateways.gateway.networking.k8s.io, when installed. */
  gatewayApi?: { bundleVersion?: string; channel?: string };
  /** istiod Deployments (label app=istiod). */
  istiod: Array<{
    namespace: string;
    name: string;
    ambientEnabled: boolean;
    readyReplicas: number;
  }>;
  /** DaemonSets by name (ztunnel, istio-cni-node, cilium). */
  daemonSets: Record<
    string,
    { namespace: string; desired: number; ready: number } | undefined
  >;
  /** Whether the GatewayClass istio-waypoint exists. */
  waypointGatewayClass: boolean;
  /** The meshConfig from ConfigMap istio (key `mesh`), when found. */
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

/** Reads the facts `assessMeshReadiness` needs (a handful of GETs/LISTs). */
export async function readMeshFacts(
  client: KubeClient,
  options: { istioNamespace?: string } = {},
): Promise<MeshFacts> {
  const istioNamespace = options.istioNamespace ?? 'istio-system';
  const [crd, deployments, daemonSets, gatewayClass, meshConfigMap] =
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
      client.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'istio',
        namespace: istioNamespace,
      }),
    ]);
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
        }
      : undefined,
    istiod: deployments.map(istiodFacts),
    daemonSets: byName,
    waypointGatewayClass: Boolean(gatewayClass),
    meshConfig: parseMeshConfig(meshConfigMap),
    ciliumConfig,
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
  return {
    namespace: deployment.metadata.namespace ?? '',
    name: deployment.metadata.name ?? '',
    ambientEnabled,
    readyReplicas: deployment.status?.readyReplicas ?? 0,
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
