import { InputError } from '@backstage/errors';
import {
  ISTIO_ROOT_NAMESPACE,
  OTEL_TRACING_PROVIDER,
  ObjectRef,
  OnboardingPlan,
  PlanStep,
  refOf,
} from '@ambient-mesh/plugin-istio-common';
import {
  deniedBySafeUpgrades,
  GATEWAY_API_SAFE_UPGRADES_POLICY,
  GATEWAY_API_TLSROUTE_V1_ONLY,
  tlsRouteTrap,
  tlsRouteTrapFix,
} from '../assessment/gatewayApiCompat';
import { TELEMETRY_API_VERSION } from './objects';
import { DesiredObject, planApply } from './planApply';
import { ClusterState, KubeObject } from './state';

/**
 * API version of the Sail Operator's resources.
 *
 * @public
 */
export const SAIL_API_VERSION = 'sailoperator.io/v1';

/**
 * ZTunnel's API versions: `v1alpha1` (with `profile`) before Sail 1.28, `v1` (no
 * `profile` field; a server prunes it) from 1.28 (istio-ecosystem/sail-operator
 * api/v1alpha1/ztunnel_types.go, api/v1/ztunnel_types.go).
 *
 * @public
 */
export const SAIL_ZTUNNEL_API_VERSIONS = [
  'sailoperator.io/v1',
  'sailoperator.io/v1alpha1',
] as const;

/**
 * The Sail Operator's default `spec.namespace` of each resource
 * (`+kubebuilder:default` in api/v1/istio_types.go, istiocni_types.go, ztunnel_types.go).
 *
 * @public
 */
export const SAIL_DEFAULT_NAMESPACES = {
  Istio: ISTIO_ROOT_NAMESPACE,
  IstioCNI: 'istio-cni',
  ZTunnel: 'ztunnel',
} as const;

/**
 * Where the provisioned components go.
 *
 * @public
 */
export interface ProvisionLayout {
  istioNamespace: string;
  cniNamespace: string;
  ztunnelNamespace: string;
}

/**
 * What `istio:mesh:provision` asks for.
 *
 * @public
 */
export interface MeshProvisionRequest {
  /** Istio version for the Sail Operator, e.g. `v1.27.3` (default: the operator's). */
  istioVersion?: string;
  /** The Gateway API release the CRDs come from, e.g. `v1.3.0`. */
  gatewayApiVersion: string;
  /** The CustomResourceDefinitions of that release (standard-install.yaml). */
  gatewayApiCrds: KubeObject[];
  /** FQDN of the OpenTelemetry collector (port 4317). */
  collectorService?: string;
  collectorPort?: number;
  /** Percentage of requests traced mesh-wide. */
  samplingPercentage?: number;
}

/**
 * Facts the provision plan depends on, beyond the objects' state.
 *
 * @public
 */
export interface ProvisionFacts {
  /** The Sail Operator's CRDs (Istio, IstioCNI, ZTunnel) are served. */
  sailOperatorInstalled: boolean;
  /** telemetry.istio.io/v1 Telemetry is served (Istio's CRDs installed). */
  telemetryServed: boolean;
  /**
   * The ZTunnel API version the cluster serves, v1 preferred (discovery); default
   * `sailoperator.io/v1`.
   */
  ztunnelApiVersion?: (typeof SAIL_ZTUNNEL_API_VERSIONS)[number];
  /** The Gateway API installed now (CRD gateways.gateway.networking.k8s.io). */
  gatewayApi?: {
    bundleVersion?: string;
    /** ValidatingAdmissionPolicy safe-upgrades.gateway.networking.k8s.io exists. */
    safeUpgradesPolicy?: boolean;
  };
}

/**
 * The Sail resources read before planning (their namespaces are immutable).
 *
 * @public
 */
export function sailReads(facts: Pick<ProvisionFacts, 'ztunnelApiVersion'>) {
  return [
    { apiVersion: SAIL_API_VERSION, kind: 'Istio', name: 'default' },
    { apiVersion: SAIL_API_VERSION, kind: 'IstioCNI', name: 'default' },
    {
      apiVersion: facts.ztunnelApiVersion ?? SAIL_API_VERSION,
      kind: 'ZTunnel',
      name: 'default',
    },
  ] as ObjectRef[];
}

/**
 * Namespaces of the components: those of the existing Sail resources (IstioCNI's is
 * immutable), else the Sail Operator's defaults (ztunnel in `ztunnel`, istio-cni in
 * `istio-cni`).
 *
 * @public
 */
export function provisionLayout(state: ClusterState): ProvisionLayout {
  const existing = (kind: string) =>
    Object.values(state).find(
      o =>
        o?.kind === kind &&
        o?.apiVersion.startsWith('sailoperator.io/') &&
        o?.metadata.name === 'default',
    )?.spec?.namespace as string | undefined;
  return {
    istioNamespace: existing('Istio') ?? SAIL_DEFAULT_NAMESPACES.Istio,
    cniNamespace: existing('IstioCNI') ?? SAIL_DEFAULT_NAMESPACES.IstioCNI,
    ztunnelNamespace: existing('ZTunnel') ?? SAIL_DEFAULT_NAMESPACES.ZTunnel,
  };
}

/** The bundle-version of the CRDs a request installs. */
export function requestedBundleVersion(request: MeshProvisionRequest): string {
  return (
    request.gatewayApiCrds
      .map(
        crd =>
          crd.metadata.annotations?.[
            'gateway.networking.k8s.io/bundle-version'
          ],
      )
      .find(Boolean) ?? request.gatewayApiVersion
  );
}

/**
 * The desired objects of a provision, in apply order.
 *
 * @public
 */
export function provisionObjects(
  request: MeshProvisionRequest,
  layout: ProvisionLayout = provisionLayout({}),
  facts: Pick<ProvisionFacts, 'ztunnelApiVersion'> = {},
): DesiredObject[] {
  const version = request.istioVersion ? { version: request.istioVersion } : {};
  const namespace = layout.istioNamespace;
  const ztunnelApiVersion = facts.ztunnelApiVersion ?? SAIL_API_VERSION;
  const namespaces = [
    ...new Set([namespace, layout.cniNamespace, layout.ztunnelNamespace]),
  ];
  return [
    ...request.gatewayApiCrds.map(crd => ({
      object: crd,
      purpose: `Gateway API ${request.gatewayApiVersion} CRD`,
    })),
    ...namespaces.map(name => ({
      object: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      },
      purpose:
        name === namespace
          ? 'namespace of the control plane'
          : `namespace of ${[
              ...(name === layout.cniNamespace ? ['istio-cni'] : []),
              ...(name === layout.ztunnelNamespace ? ['ztunnel'] : []),
            ].join(' and ')}`,
    })),
    {
      object: {
        apiVersion: SAIL_API_VERSION,
        kind: 'Istio',
        metadata: { name: 'default' },
        spec: {
          ...version,
          namespace,
          profile: 'ambient',
          values: {
            // istiod trusts ztunnel's identity only from this namespace
            // (Sail chart/samples/ambient/istio-sample.yaml).
            ...(layout.ztunnelNamespace !== namespace
              ? { pilot: { trustedZtunnelNamespace: layout.ztunnelNamespace } }
              : {}),
            meshConfig: {
              enableTracing: true,
              extensionProviders: [
                {
                  name: OTEL_TRACING_PROVIDER,
                  opentelemetry: {
                    service:
                      request.collectorService ??
                      'otel-collector.observability.svc.cluster.local',
                    port: request.collectorPort ?? 4317,
                  },
                },
              ],
            },
          },
        },
      },
      purpose: 'istiod with profile ambient and the otel-tracing provider',
    },
    {
      object: {
        apiVersion: SAIL_API_VERSION,
        kind: 'IstioCNI',
        metadata: { name: 'default' },
        spec: {
          ...version,
          namespace: layout.cniNamespace,
          profile: 'ambient',
        },
      },
      purpose: 'istio-cni node agent with profile ambient',
    },
    {
      object: {
        apiVersion: ztunnelApiVersion,
        kind: 'ZTunnel',
        metadata: { name: 'default' },
        // v1 has no `profile` (pruned by the API server, so it would never match).
        spec:
          ztunnelApiVersion === SAIL_API_VERSION
            ? { ...version, namespace: layout.ztunnelNamespace }
            : {
                ...version,
                namespace: layout.ztunnelNamespace,
                profile: 'ambient',
              },
      },
      purpose: `ztunnel node proxy (${ztunnelApiVersion})`,
    },
    {
      object: {
        apiVersion: TELEMETRY_API_VERSION,
        kind: 'Telemetry',
        metadata: { name: 'mesh-default', namespace },
        spec: {
          tracing: [
            {
              providers: [{ name: OTEL_TRACING_PROVIDER }],
              randomSamplingPercentage: request.samplingPercentage ?? 10,
            },
          ],
        },
      },
      purpose: `trace ${
        request.samplingPercentage ?? 10
      }% of requests mesh-wide`,
    },
  ];
}

/**
 * The objects {@link planMeshProvision} reads (after {@link sailReads}).
 *
 * @public
 */
export function provisionReads(
  request: MeshProvisionRequest,
  layout: ProvisionLayout = provisionLayout({}),
  facts: Pick<ProvisionFacts, 'ztunnelApiVersion'> = {},
): ObjectRef[] {
  return provisionObjects(request, layout, facts).map(d => refOf(d.object));
}

/**
 * Refuses what cannot work: istiod that never becomes ready with the Gateway API
 * bundle (istio/istio#59387, #59443), and CRDs the v1.5 safe-upgrades admission
 * policy would deny. Returns warnings for what cannot be told.
 */
function checkVersions(
  request: MeshProvisionRequest,
  state: ClusterState,
  facts: ProvisionFacts,
): string[] {
  const bundle = requestedBundleVersion(request);
  const existingIstio = Object.values(state).find(
    o => o?.kind === 'Istio' && o?.metadata.name === 'default',
  );
  const istioVersion =
    request.istioVersion ??
    (existingIstio?.spec?.version as string | undefined);
  const trap = tlsRouteTrap(istioVersion, bundle);
  if (trap) {
    throw new InputError(
      `Input "${
        request.istioVersion ? 'istioVersion' : 'gatewayApiVersion'
      }": Istio ${trap.istioVersion} never becomes ready with Gateway API ${
        trap.gatewayApiVersion
      } (v1.5+ serves TLSRoute only as v1; istio/istio#59387, #59443); nothing was changed. ${tlsRouteTrapFix(
        trap,
        { safeUpgradesPolicy: facts.gatewayApi?.safeUpgradesPolicy },
      )}`,
    );
  }
  const current = facts.gatewayApi?.bundleVersion;
  if (
    facts.gatewayApi?.safeUpgradesPolicy &&
    current &&
    !deniedBySafeUpgrades(current) &&
    deniedBySafeUpgrades(bundle)
  ) {
    throw new InputError(
      `Input "gatewayApiVersion": the cluster has Gateway API ${current}, whose ValidatingAdmissionPolicy ${GATEWAY_API_SAFE_UPGRADES_POLICY} denies installing CRDs before v1.5.0 (${bundle}); nothing was changed. Keep ${current} (set gatewayApiVersion to ${current} or later), or delete the ValidatingAdmissionPolicy and its binding ${GATEWAY_API_SAFE_UPGRADES_POLICY} first`,
    );
  }
  if (!istioVersion && !deniedBySafeUpgrades(bundle)) {
    return [
      `istioVersion is not set, so the Sail Operator installs its default Istio: with Gateway API ${bundle} (${GATEWAY_API_TLSROUTE_V1_ONLY}+) istiod 1.24-1.27.8, 1.28.0-1.28.5 and 1.29.0-1.29.1 never become ready (istio/istio#59443); set istioVersion to 1.28.6, 1.29.2 or later`,
    ];
  }
  return [];
}

/**
 * Plans the ambient control plane through the Sail Operator's resources
 * plus the Gateway API CRDs and a mesh-wide tracing Telemetry. Pure.
 *
 * @public
 */
export function planMeshProvision(
  request: MeshProvisionRequest,
  state: ClusterState,
  facts: ProvisionFacts,
  options: { cluster: string },
): OnboardingPlan {
  if (!facts.sailOperatorInstalled) {
    throw new InputError(
      `The Sail Operator is not installed in cluster ${options.cluster} (kind Istio of ${SAIL_API_VERSION} is not served); install it first (helm install sail-operator sail-operator/sail-operator -n sail-operator --create-namespace, or OperatorHub), then run istio:mesh:provision again`,
    );
  }
  if (request.gatewayApiCrds.length === 0) {
    throw new InputError(
      `Input "gatewayApiVersion": no CustomResourceDefinition found in the Gateway API ${request.gatewayApiVersion} manifest; check the version or "gatewayApiManifestUrl"`,
    );
  }
  const warnings: string[] = checkVersions(request, state, facts);
  const steps: PlanStep[] = [];
  const unchanged: ObjectRef[] = [];
  const layout = provisionLayout(state);
  for (const desired of provisionObjects(request, layout, facts)) {
    if (desired.object.kind === 'Telemetry' && !facts.telemetryServed) {
      warnings.push(
        'Telemetry mesh-default is not applied yet: the telemetry.istio.io CRD appears once the Sail Operator installed Istio; run istio:mesh:provision again then',
      );
      continue;
    }
    const decision = planApply(desired, state);
    if (decision.change) steps.push(decision.change);
    else unchanged.push(decision.unchanged);
  }
  return {
    cluster: options.cluster,
    steps,
    unchanged,
    preconditions: [
      `The Sail Operator serves ${SAIL_API_VERSION} Istio and IstioCNI, and ${
        facts.ztunnelApiVersion ?? SAIL_API_VERSION
      } ZTunnel`,
    ],
    warnings,
  };
}
