import {
  MeshCheckReport,
  OnboardingPlan,
  ObjectRef,
} from '@ambient-mesh/plugin-istio-common';
import { assessMeshReadiness } from './assessMeshReadiness';
import { KubeClient } from './kubeClient';
import { readMeshFacts } from './meshFacts';
import { OFFBOARD_KINDS, planNamespaceOffboard } from './offboardNamespace';
import {
  NamespaceOnboardRequest,
  onboardReads,
  planNamespaceOnboard,
} from './onboardNamespace';
import {
  PolicyApplyRequest,
  planPolicyApply,
  policyReads,
} from './policyApply';
import { assertNotProtected } from './protectedNamespaces';
import { GATEWAY_API_SAFE_UPGRADES_POLICY } from '../assessment/gatewayApiCompat';
import {
  MeshProvisionRequest,
  ProvisionFacts,
  SAIL_API_VERSION,
  SAIL_ZTUNNEL_API_VERSIONS,
  planMeshProvision,
  provisionLayout,
  provisionReads,
  sailReads,
} from './provisionMesh';
import { ClusterState, stateKey } from './state';
import { TELEMETRY_API_VERSION } from './objects';
import {
  WaypointApplyRequest,
  planWaypointApply,
  waypointReads,
} from './waypointApply';

/**
 * Options shared by every plan.
 *
 * @public
 */
export interface PlannerOptions {
  /** The cluster's name, reported in plans. */
  cluster: string;
  /** Namespaces refused in addition to the built-in list. */
  protectedNamespaces?: readonly string[];
  /**
   * Istio's root namespace: policies there are mesh-wide and planned even
   * though it is protected (the caller checks istio.mesh.admin); every
   * other change to it is refused. Default: none.
   */
  rootNamespace?: string;
}

/**
 * Computes plans from a cluster's current state: it reads (GET/LIST) what a
 * request touches, then hands the state to the pure planning functions.
 * It never writes.
 *
 * @public
 */
export class OnboardingPlanner {
  constructor(
    private readonly client: KubeClient,
    private readonly options: PlannerOptions,
  ) {}

  /** Plans `istio:namespace:onboard`. */
  async planNamespaceOnboard(
    request: NamespaceOnboardRequest,
  ): Promise<OnboardingPlan> {
    assertNotProtected(request.namespace, this.options.protectedNamespaces);
    const state = await this.read(onboardReads(request));
    return planNamespaceOnboard(request, state, this.options);
  }

  /** Plans `istio:waypoint:apply`. */
  async planWaypointApply(
    request: WaypointApplyRequest,
  ): Promise<OnboardingPlan> {
    assertNotProtected(request.namespace, this.options.protectedNamespaces);
    const state = await this.read(waypointReads(request));
    return planWaypointApply(request, state, this.options);
  }

  /** Plans `istio:policy:apply`. */
  async planPolicyApply(request: PolicyApplyRequest): Promise<OnboardingPlan> {
    if (request.namespace !== this.options.rootNamespace) {
      assertNotProtected(request.namespace, this.options.protectedNamespaces);
    }
    const state = await this.read(policyReads(request));
    return planPolicyApply(request, state, this.options);
  }

  /** Plans `istio:namespace:offboard`. */
  async planNamespaceOffboard(request: {
    namespace: string;
  }): Promise<OnboardingPlan> {
    assertNotProtected(request.namespace, this.options.protectedNamespaces);
    const [namespace, ...lists] = await Promise.all([
      this.client.get({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: request.namespace,
      }),
      ...OFFBOARD_KINDS.map(k =>
        this.client.list(k.apiVersion, k.kind, request.namespace),
      ),
    ]);
    return planNamespaceOffboard(
      request,
      { namespace: namespace as any, objects: (lists as any[]).flat() },
      this.options,
    );
  }

  /** Plans `istio:mesh:provision`. */
  async planMeshProvision(
    request: MeshProvisionRequest,
  ): Promise<OnboardingPlan> {
    const [
      sailOperatorInstalled,
      telemetryServed,
      ztunnelV1,
      ztunnelV1alpha1,
      admissionPoliciesServed,
      gatewayCrd,
    ] = await Promise.all([
      this.client.serves(SAIL_API_VERSION, 'Istio'),
      this.client.serves(TELEMETRY_API_VERSION, 'Telemetry'),
      this.client.serves(SAIL_ZTUNNEL_API_VERSIONS[0], 'ZTunnel'),
      this.client.serves(SAIL_ZTUNNEL_API_VERSIONS[1], 'ZTunnel'),
      this.client.serves(
        'admissionregistration.k8s.io/v1',
        'ValidatingAdmissionPolicy',
      ),
      this.client.get({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: 'gateways.gateway.networking.k8s.io',
      }),
    ]);
    const safeUpgradesPolicy = admissionPoliciesServed
      ? Boolean(
          await this.client.get({
            apiVersion: 'admissionregistration.k8s.io/v1',
            kind: 'ValidatingAdmissionPolicy',
            name: GATEWAY_API_SAFE_UPGRADES_POLICY,
          }),
        )
      : false;
    const facts: ProvisionFacts = {
      sailOperatorInstalled,
      telemetryServed,
      // Discovery decides: v1 from Sail 1.28, v1alpha1 before.
      ztunnelApiVersion:
        !ztunnelV1 && ztunnelV1alpha1
          ? SAIL_ZTUNNEL_API_VERSIONS[1]
          : SAIL_ZTUNNEL_API_VERSIONS[0],
      ...(gatewayCrd
        ? {
            gatewayApi: {
              bundleVersion:
                gatewayCrd.metadata.annotations?.[
                  'gateway.networking.k8s.io/bundle-version'
                ],
              safeUpgradesPolicy,
            },
          }
        : {}),
    };
    let state: ClusterState = {};
    if (sailOperatorInstalled) {
      const sail = await this.read(sailReads(facts));
      const layout = provisionLayout(sail);
      const rest = await this.read(
        provisionReads(request, layout, facts).filter(
          ref =>
            (ref.kind !== 'Telemetry' || telemetryServed) &&
            !sailReads(facts).some(
              s => s.kind === ref.kind && s.apiVersion === ref.apiVersion,
            ),
        ),
      );
      state = { ...sail, ...rest };
    }
    return planMeshProvision(request, state, facts, this.options);
  }

  /** Runs `istio:mesh:check`: reads only. */
  async checkMesh(
    options: { istioNamespace?: string } = {},
  ): Promise<MeshCheckReport> {
    const facts = await readMeshFacts(this.client, options);
    return assessMeshReadiness(this.options.cluster, facts);
  }

  /** Reads the given objects (missing ones are left out of the state). */
  async read(refs: ObjectRef[]): Promise<ClusterState> {
    const state: ClusterState = {};
    const objects = await Promise.all(refs.map(ref => this.client.get(ref)));
    refs.forEach((ref, index) => {
      const object = objects[index];
      if (object) {
        state[stateKey(ref)] = {
          ...object,
          apiVersion: ref.apiVersion,
          kind: ref.kind,
        };
      }
    });
    return state;
  }
}
