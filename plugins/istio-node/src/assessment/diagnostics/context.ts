import type {
  AppliedPolicy,
  ConfiguredMtls,
  ControlPlaneFacts,
  Diagnostic,
  Enrollment,
  WaypointStatus,
} from '@ambient-mesh/plugin-istio-common';
import type { ApplicableAuthorizationPolicy } from '../policies';
import type { MeshSnapshot, RequestAuthenticationObject } from '../snapshot';

/** Everything the diagnostic rules look at: the snapshot and what was derived from it. */
export interface DiagnosticContext {
  snapshot: MeshSnapshot;
  enrollment: Enrollment;
  waypoint: WaypointStatus;
  mtls: ConfiguredMtls;
  authorizationPolicies: ApplicableAuthorizationPolicy[];
  requestAuthentications: Array<{
    policy: RequestAuthenticationObject;
    applied: AppliedPolicy;
  }>;
  controlPlane: ControlPlaneFacts;
  rootNamespace: string;
  trustDomain: string;
  onboardTemplateRef: string;
  meshTemplateRef: string;
}

/** A diagnostic rule: looks at the context and returns what it finds. */
export type DiagnosticRule = (context: DiagnosticContext) => Diagnostic[];
