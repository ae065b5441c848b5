import type { CheckDiagnosticId, DiagnosticObject } from './checks';

/** @public */
export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/**
 * Identifiers of every diagnostic the assessment can raise (one per gotcha of the
 * ambient notes, §7, that Kubernetes data can show).
 *
 * @public
 */
export type DiagnosticId =
  | 'namespace-not-found'
  | 'namespace-not-enrolled'
  | 'revision-label-on-ambient-namespace'
  | 'pods-pending'
  | 'pods-with-sidecar'
  | 'pods-not-captured'
  | 'pods-opted-out'
  | 'host-network-pods'
  | 'waypoint-missing-for-l7-policies'
  | 'waypoint-not-found'
  | 'waypoint-not-ready'
  | 'service-not-bound'
  | 'waypoint-for-mismatch'
  | 'waypoint-attachment-denied'
  | 'ingress-bypasses-waypoint'
  | 'selector-policy-on-waypoint'
  | 'l7-allow-on-ztunnel'
  | 'l7-deny-on-ztunnel'
  | 'l7-deny-broadened-on-ztunnel'
  | 'custom-action-on-ztunnel'
  | 'client-identity-rules-behind-waypoint'
  | 'request-authentication-on-ztunnel'
  | 'policy-not-accepted'
  | 'mtls-permissive'
  | 'tracing-not-configured'
  | 'tracing-default-sampling'
  | 'ztunnel-missing'
  | 'ztunnel-not-ready'
  | 'istio-cni-missing'
  | 'istiod-not-ambient'
  | 'istiod-gateway-api-incompatible'
  | 'waypoint-gatewayclass-missing'
  | 'gateway-api-crds-missing'
  | 'cilium-cni-exclusive'
  | 'cilium-bpf-masquerade'
  | 'cilium-socket-lb-host-namespace'
  | 'network-policy-blocks-hbone'
  | CheckDiagnosticId;

/** A link to a Software Template with prefilled values, e.g. `template:default/onboard-namespace`. @public */
export interface TemplateFix {
  kind: 'template';
  templateRef: string;
  values: Record<string, string | number | boolean>;
}

/** The exact YAML to apply. @public */
export interface YamlFix {
  kind: 'yaml';
  yaml: string;
}

/** The exact command to run. @public */
export interface CommandFix {
  kind: 'command';
  command: string;
}

/** @public */
export type DiagnosticFix = TemplateFix | YamlFix | CommandFix;

/**
 * The id of a diagnostic from a rule an adopter added (istio-node's
 * `istioDiagnosticRulesExtensionPoint`): `<owner>/<name>`, e.g. `acme/no-team-label`.
 *
 * @public
 */
export type CustomDiagnosticId = `${string}/${string}`;

/** Something wrong (or worth knowing) about the entity's mesh set-up. @public */
export interface Diagnostic {
  id: DiagnosticId | CustomDiagnosticId;
  severity: DiagnosticSeverity;
  title: string;
  /** A plain-language explanation of what happens and why. */
  message: string;
  /** The facts the diagnostic rests on (resource names, labels, conditions). */
  evidence: string[];
  fix?: DiagnosticFix;
  /** The object the diagnostic is about, when it is about one. */
  object?: DiagnosticObject;
}
