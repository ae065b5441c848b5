/**
 * Identifiers of the configuration checks that read traffic-management, extension and
 * Gateway API objects (the checks Kiali's validations and `istioctl analyze` run that
 * matter in ambient mode, in the product's own words). The coverage document
 * `docs/checks-coverage.md` maps each upstream check to one of these or to a core id.
 *
 * @public
 */
export const CHECK_DIAGNOSTIC_IDS = [
  'virtual-service-needs-waypoint',
  'virtual-service-wrong-namespace',
  'virtual-service-destination-not-found',
  'virtual-service-port-missing',
  'virtual-service-gateway-not-found',
  'virtual-service-gateway-old-name',
  'virtual-service-single-weight',
  'virtual-service-duplicate-destination',
  'virtual-service-duplicate-host',
  'virtual-service-subset-not-found',
  'destination-rule-l7-needs-waypoint',
  'destination-rule-wrong-namespace',
  'destination-rule-duplicate',
  'destination-rule-host-not-found',
  'destination-rule-subset-no-pods',
  'destination-rule-subset-no-labels',
  'route-parent-not-found',
  'route-backend-not-found',
  'route-not-accepted',
  'route-without-waypoint',
  'gateway-not-accepted',
  'gateway-listener-conflict',
  'gateway-address-conflict',
  'gateway-class-not-found',
  'gateway-api-crd-version',
  'istio-gateway-duplicate-host',
  'reference-grant-namespace-not-found',
  'service-entry-duplicate',
  'service-entry-protocol-conflict',
  'service-entry-not-bound',
  'service-port-name-invalid',
  'service-app-protocol-invalid',
  'service-port-not-exposed',
  'wasm-plugin-needs-waypoint',
  'wasm-plugin-on-ztunnel',
  'telemetry-l7-needs-waypoint',
  'telemetry-l7-on-ztunnel',
  'telemetry-conflict',
  'telemetry-access-log-no-provider',
  'selector-on-gateway-pod',
  'sidecar-resource-in-ambient',
  'sidecar-and-ambient-labels',
  'sidecar-label-with-ambient-redirection',
  'waypoint-label-not-ambient',
  'policy-selector-matches-nothing',
  'policy-namespace-not-found',
  'policy-invalid-method',
  'policy-host-not-found',
  'policy-target-not-found',
  'identity-rules-without-mtls',
  'principal-not-found',
  'principal-unknown-trust-domain',
  'peer-authentication-conflict',
  'workload-without-authorization-policy',
  'jwks-blocked-cidrs-missing',
  'telemetry-not-scraped',
] as const;

/** @public */
export type CheckDiagnosticId = (typeof CHECK_DIAGNOSTIC_IDS)[number];

/** The object a diagnostic is about, and the field that shows the problem. @public */
export interface DiagnosticObject {
  kind: string;
  name: string;
  namespace?: string;
  /** The field path, e.g. `spec.http[0].route[0].destination.host`. */
  field?: string;
}
