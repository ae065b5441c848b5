import { InputError } from '@backstage/errors';
import {
  ISTIO_ROOT_NAMESPACE,
  OTEL_TRACING_PROVIDER,
  ObjectRef,
  OnboardingPlan,
  PlanStep,
  refOf,
} from '@ambient-mesh/plugin-istio-common';
import { TELEMETRY_API_VERSION } from './objects';
import { DesiredObject, planApply } from './planApply';
import { ClusterState, KubeObject } from './state';

/** API version of the Sail Operator's resources. */
export const SAIL_API_VERSION = 'sailoperator.io/v1';

/** What `istio:mesh:provision` asks for. */
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

/** Facts the provision plan depends on, beyond the objects' state. */
export interface ProvisionFacts {
  /** The Sail Operator's CRDs (Istio, IstioCNI, ZTunnel) are served. */
  sailOperatorInstalled: boolean;
  /** telemetry.istio.io/v1 Telemetry is served (Istio's CRDs installed). */
  telemetryServed: boolean;
}

/** The desired objects of a provision, in apply order. */
export function provisionObjects(
  request: MeshProvisionRequest,
): DesiredObject[] {
  const version = request.istioVersion ? { version: request.istioVersion } : {};
  const namespace = ISTIO_ROOT_NAMESPACE;
  return [
    ...request.gatewayApiCrds.map(crd => ({
      object: crd,
      purpose: `Gateway API ${request.gatewayApiVersion} CRD`,
    })),
    {
      object: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      },
      purpose: 'namespace of the control plane',
    },
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
        spec: { ...version, namespace, profile: 'ambient' },
      },
      purpose: 'istio-cni node agent with profile ambient',
    },
    {
      object: {
        apiVersion: SAIL_API_VERSION,
        kind: 'ZTunnel',
        metadata: { name: 'default' },
        spec: { ...version, namespace, profile: 'ambient' },
      },
      purpose: 'ztunnel node proxy',
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

/** The objects {@link planMeshProvision} reads. */
export function provisionReads(request: MeshProvisionRequest): ObjectRef[] {
  return provisionObjects(request).map(d => refOf(d.object));
}

/**
 * Plans the ambient control plane through the Sail Operator's resources
 * plus the Gateway API CRDs and a mesh-wide tracing Telemetry. Pure.
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
  const steps: PlanStep[] = [];
  const unchanged: ObjectRef[] = [];
  const warnings: string[] = [];
  for (const desired of provisionObjects(request)) {
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
      `The Sail Operator serves ${SAIL_API_VERSION} Istio, IstioCNI and ZTunnel`,
    ],
    warnings,
  };
}
