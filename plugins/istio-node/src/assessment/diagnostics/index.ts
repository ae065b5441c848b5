import type { Diagnostic } from '@ambient-mesh/plugin-istio-common';
import { CHECK_RULES } from './checkRules';
import type { DiagnosticContext, DiagnosticRule } from './context';
import { namespaceDiagnostics, podDiagnostics } from './enrollmentDiagnostics';
import { networkPolicyDiagnostics } from './networkPolicyDiagnostics';
import {
  ciliumDiagnostics,
  controlPlaneDiagnostics,
  tracingDiagnostics,
} from './platformDiagnostics';
import {
  authorizationDiagnostics,
  mtlsDiagnostics,
  policyStatusDiagnostics,
  requestAuthenticationDiagnostics,
} from './policyDiagnostics';
import {
  missingWaypointDiagnostics,
  waypointDiagnostics,
  waypointSelectorDiagnostics,
} from './waypointDiagnostics';

export type { DiagnosticContext } from './context';

const RULES: DiagnosticRule[] = [
  controlPlaneDiagnostics,
  namespaceDiagnostics,
  podDiagnostics,
  missingWaypointDiagnostics,
  waypointDiagnostics,
  waypointSelectorDiagnostics,
  authorizationDiagnostics,
  requestAuthenticationDiagnostics,
  policyStatusDiagnostics,
  mtlsDiagnostics,
  networkPolicyDiagnostics,
  ciliumDiagnostics,
  tracingDiagnostics,
  ...CHECK_RULES,
];

const ORDER = { error: 0, warning: 1, info: 2 };

/** Runs every diagnostic rule; errors first, then warnings, then information. */
export function diagnose(context: DiagnosticContext): Diagnostic[] {
  return RULES.flatMap(rule => rule(context)).sort(
    (a, b) => ORDER[a.severity] - ORDER[b.severity],
  );
}
