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

/**
 * Everything the diagnostic rules look at: the snapshot and what was derived from it.
 *
 * @public
 */
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

/**
 * A check of an adopter's own, added through `istioDiagnosticRulesExtensionPoint`:
 * it looks at the same context as the built-in rules and returns its findings, each
 * with an id of the form `<owner>/<name>`. A rule that throws is reported as a
 * warning diagnostic naming it; the other diagnostics are unaffected.
 *
 * @public
 */
export interface IstioDiagnosticRule {
  /** The rule's name, used when it fails, e.g. `acme/team-label`. */
  name: string;
  check(context: DiagnosticContext): Diagnostic[];
}
