import type {
  ControlPlaneFacts,
  DaemonSetFacts,
  TracingFacts,
} from '@ambient-mesh/plugin-istio-common';
import type {
  V1ConfigMap,
  V1CustomResourceDefinition,
  V1DaemonSet,
  V1Deployment,
} from '@kubernetes/client-node';
import { parse } from 'yaml';
import { istiodVersionOf } from './gatewayApiCompat';
import { labelsOf, matchesLabels, oldestFirst } from './objects';
import type { TelemetryObject } from './snapshot';
import {
  WaypointTelemetryContext,
  waypointTelemetries,
} from './waypointTelemetry';

/**
 * The raw objects the control-plane facts are computed from (read once per cluster).
 *
 * @public
 */
export interface ControlPlaneObjects {
  istioNamespace: string;
  /**
   * DaemonSets of the Istio namespace, of kube-system (OpenShift) and of the Sail
   * Operator's default namespaces `ztunnel` and `istio-cni`.
   */
  daemonSets: V1DaemonSet[];
  /** istiod Deployments (label `app=istiod`). */
  istiodDeployments: V1Deployment[];
  /** ConfigMap `istio` (or `istio-<rev>`) with the meshConfig under `mesh`. */
  meshConfigMap?: V1ConfigMap;
  /** ConfigMap `istio-cni-config`. */
  cniConfigMap?: V1ConfigMap;
  waypointGatewayClass: boolean;
  /** CRD gateways.gateway.networking.k8s.io, when installed. */
  gatewayCrd?: V1CustomResourceDefinition;
  /** Cilium's ConfigMap `cilium-config` in kube-system, when present. */
  ciliumConfigMap?: V1ConfigMap;
  /** ValidatingAdmissionPolicy safe-upgrades.gateway.networking.k8s.io exists. */
  safeUpgradesPolicy?: boolean;
}

const TRACING_PROVIDER_KINDS = [
  'opentelemetry',
  'zipkin',
  'datadog',
  'lightstep',
  'skywalking',
  'stackdriver',
];

interface MeshConfig {
  enableTracing?: boolean;
  extensionProviders?: Array<Record<string, unknown> & { name?: string }>;
  defaultProviders?: { tracing?: string[] };
  defaultConfig?: { tracing?: { sampling?: number } };
}

function daemonSetFacts(
  daemonSets: readonly V1DaemonSet[],
  names: readonly string[],
): DaemonSetFacts {
  const ds = daemonSets.find(d => names.includes(d.metadata?.name ?? ''));
  if (!ds) return { present: false, desired: 0, ready: 0, allReady: false };
  const desired = ds.status?.desiredNumberScheduled ?? 0;
  const ready = ds.status?.numberReady ?? 0;
  return {
    present: true,
    name: ds.metadata?.name,
    namespace: ds.metadata?.namespace,
    desired,
    ready,
    allReady: desired > 0 && ready >= desired,
  };
}

function parseMeshConfig(
  configMap: V1ConfigMap | undefined,
): MeshConfig | undefined {
  const text = configMap?.data?.mesh;
  if (!text) return undefined;
  try {
    const parsed = parse(text);
    return parsed && typeof parsed === 'object'
      ? (parsed as MeshConfig)
      : undefined;
  } catch {
    return undefined;
  }
}

function flag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return value.trim().toLowerCase() === 'true';
}

/**
 * Cluster-wide facts about the ambient control plane, from its objects.
 *
 * @public
 */
export function summarizeControlPlane(
  objects: ControlPlaneObjects,
): ControlPlaneFacts {
  const istiod =
    objects.istiodDeployments.find(d =>
      d.spec?.template?.spec?.containers?.some(c =>
        (c.env ?? []).some(
          e => e.name === 'PILOT_ENABLE_AMBIENT' && flag(e.value),
        ),
      ),
    ) ?? objects.istiodDeployments[0];
  const istiodVersion = istiod ? istiodVersionOf(istiod) : undefined;
  const env =
    istiod?.spec?.template?.spec?.containers?.flatMap(c => c.env ?? []) ?? [];
  const ambientEnv = env.find(e => e.name === 'PILOT_ENABLE_AMBIENT');
  const mesh = parseMeshConfig(objects.meshConfigMap);
  const providers = (mesh?.extensionProviders ?? [])
    .filter(p => TRACING_PROVIDER_KINDS.some(kind => kind in p))
    .map(p => p.name ?? '')
    .filter(Boolean);
  const defaultTracing = (mesh?.defaultProviders?.tracing ?? []).filter(p =>
    providers.includes(p),
  );
  const sampling = mesh?.defaultConfig?.tracing?.sampling;
  const cilium = objects.ciliumConfigMap?.data;
  const ciliumPresent =
    cilium !== undefined ||
    objects.daemonSets.some(d => d.metadata?.name === 'cilium');

  return {
    istioNamespace: objects.istioNamespace,
    ztunnel: daemonSetFacts(objects.daemonSets, ['ztunnel']),
    istioCni: {
      ...daemonSetFacts(objects.daemonSets, ['istio-cni-node']),
      ...(objects.cniConfigMap?.data?.AMBIENT_ENABLED !== undefined
        ? { ambientEnabled: flag(objects.cniConfigMap.data.AMBIENT_ENABLED) }
        : {}),
    },
    istiod: istiod
      ? {
          present: true,
          name: istiod.metadata?.name,
          ...(labelsOf(istiod)['istio.io/rev']
            ? { revision: labelsOf(istiod)['istio.io/rev'] }
            : {}),
          ambient: ambientEnv ? flag(ambientEnv.value) : false,
          ...(istiodVersion ? { version: istiodVersion } : {}),
          ...(istiod.status
            ? { readyReplicas: istiod.status.readyReplicas ?? 0 }
            : {}),
        }
      : { present: false },
    waypointGatewayClass: objects.waypointGatewayClass,
    gatewayApi: {
      installed: objects.gatewayCrd !== undefined,
      ...(objects.safeUpgradesPolicy ? { safeUpgradesPolicy: true } : {}),
      ...(objects.gatewayCrd?.metadata?.annotations?.[
        'gateway.networking.k8s.io/bundle-version'
      ]
        ? {
            bundleVersion:
              objects.gatewayCrd.metadata.annotations[
                'gateway.networking.k8s.io/bundle-version'
              ],
          }
        : {}),
    },
    tracing: {
      ...(mesh?.enableTracing !== undefined
        ? { enableTracing: mesh.enableTracing }
        : {}),
      providers,
      configured: defaultTracing.length > 0,
      samplingPercentage: typeof sampling === 'number' ? sampling : null,
    },
    cilium: ciliumPresent
      ? {
          present: true,
          ...(cilium?.['cni-exclusive'] !== undefined
            ? { cniExclusive: flag(cilium['cni-exclusive']) }
            : {}),
          ...(cilium?.['enable-bpf-masquerade'] !== undefined
            ? { bpfMasquerade: flag(cilium['enable-bpf-masquerade']) }
            : {}),
          ...(cilium?.['bpf-lb-sock-hostns-only'] !== undefined
            ? {
                socketLbHostNamespaceOnly: flag(
                  cilium['bpf-lb-sock-hostns-only'],
                ),
              }
            : {}),
        }
      : { present: false },
  };
}

/**
 * Tracing facts for one entity: the mesh defaults, refined by the Telemetry resources
 * that apply (root namespace, then the entity's namespace, then a selector or targetRefs
 * one; the most specific sampling percentage wins).
 */
export function entityTracing(
  mesh: TracingFacts,
  telemetries: readonly TelemetryObject[],
  context: {
    namespace: string;
    rootNamespace: string;
    podLabels: ReadonlyArray<Record<string, string>>;
    waypointName?: string;
    /** The waypoint that emits the entity's spans, and the Services it serves for it. */
    waypoint?: WaypointTelemetryContext['waypoint'];
    services?: WaypointTelemetryContext['services'];
    istiodVersion?: string;
  },
): TracingFacts {
  if (context.waypoint) {
    return applyTracing(
      mesh,
      waypointTelemetries(telemetries, {
        rootNamespace: context.rootNamespace,
        waypoint: context.waypoint,
        services: context.services ?? [],
        istiodVersion: context.istiodVersion,
      }),
    );
  }
  const rank = (t: TelemetryObject): number | undefined => {
    const spec = t.spec ?? {};
    const ns = t.metadata.namespace;
    const targeted = (spec.targetRefs?.length ?? 0) > 0 || spec.targetRef;
    const selector = spec.selector?.matchLabels;
    if (ns === context.rootNamespace && !targeted && !selector) return 0;
    if (ns !== context.namespace) return undefined;
    if (targeted) {
      const refs = [
        ...(spec.targetRefs ?? []),
        ...(spec.targetRef ? [spec.targetRef] : []),
      ];
      return refs.some(
        r => r.kind === 'Gateway' && r.name === context.waypointName,
      )
        ? 2
        : undefined;
    }
    if (selector && Object.keys(selector).length > 0) {
      return context.podLabels.some(l => matchesLabels(selector, l))
        ? 2
        : undefined;
    }
    return 1;
  };
  const applicable = oldestFirst(telemetries)
    .map(t => ({ t, r: rank(t) }))
    .filter((x): x is { t: TelemetryObject; r: number } => x.r !== undefined)
    .sort((a, b) => a.r - b.r);
  return applyTracing(
    mesh,
    applicable.map(a => a.t),
  );
}

/** The tracing facts once the Telemetry resources (least specific first) are applied. */
function applyTracing(
  mesh: TracingFacts,
  applicable: readonly TelemetryObject[],
): TracingFacts {
  let configured = mesh.configured;
  let samplingPercentage = mesh.samplingPercentage;
  for (const t of applicable) {
    for (const tracing of t.spec?.tracing ?? []) {
      const names = (tracing.providers ?? []).map(p => p.name);
      if (names.some(n => mesh.providers.includes(n))) configured = true;
      if (tracing.disableSpanReporting) configured = false;
      if (typeof tracing.randomSamplingPercentage === 'number') {
        samplingPercentage = tracing.randomSamplingPercentage;
      }
    }
  }
  return { ...mesh, configured, samplingPercentage };
}
