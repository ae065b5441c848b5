import type { Diagnostic } from '@ambient-mesh/plugin-istio-common';
import { CHECK_RULES } from './checkRules';
import type {
  DiagnosticContext,
  DiagnosticRule,
  IstioDiagnosticRule,
} from './context';
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

export type { DiagnosticContext, IstioDiagnosticRule } from './context';

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

/** Runs one added rule; a rule that throws becomes a warning naming it. */
function runAdded(
  rule: IstioDiagnosticRule,
  context: DiagnosticContext,
): Diagnostic[] {
  try {
    return rule.check(context);
  } catch (error) {
    return [
      {
        id: `diagnostic-rule-failed/${rule.name}`,
        severity: 'warning' as const,
        title: `Diagnostic rule ${rule.name} failed`,
        message: `The added diagnostic rule ${
          rule.name
        } threw while checking this entity, so its findings are missing: ${
          (error as Error)?.message ?? String(error)
        }`,
        evidence: [],
      },
    ];
  }
}

/**
 * Runs every diagnostic rule, the built-in ones and those added; errors first, then
 * warnings, then information.
 */
export function diagnose(
  context: DiagnosticContext,
  added: readonly IstioDiagnosticRule[] = [],
): Diagnostic[] {
  return [
    ...RULES.flatMap(rule => rule(context)),
    ...added.flatMap(rule => runAdded(rule, context)),
  ].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}
