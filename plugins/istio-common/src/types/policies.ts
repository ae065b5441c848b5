/** Who enforces a policy in ambient mode. @public */
export type PolicyEnforcer = 'ztunnel' | 'waypoint';

/** The layers a policy's rules use: L4 only, L7 only, both, or no rules at all. @public */
export type PolicyLayer = 'L4' | 'L7' | 'L4+L7' | 'none';

/** A status condition on an Istio policy (ZtunnelAccepted, WaypointAccepted). @public */
export interface PolicyCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** A security policy that applies to the entity. @public */
export interface AppliedPolicy {
  kind: 'AuthorizationPolicy' | 'RequestAuthentication' | 'PeerAuthentication';
  name: string;
  namespace: string;
  /** AuthorizationPolicy action (ALLOW when unset). */
  action?: 'ALLOW' | 'DENY' | 'CUSTOM' | 'AUDIT';
  /**
   * How it attaches: mesh-wide (root namespace), namespace-wide, pod `selector`,
   * `targetRefs` (a Service or the waypoint Gateway), or `gatewayClass` (a root-namespace
   * policy targeting the GatewayClass `istio-waypoint`, which applies to every waypoint).
   */
  scope: 'mesh' | 'namespace' | 'selector' | 'targetRefs' | 'gatewayClass';
  enforcer: PolicyEnforcer;
  layer: PolicyLayer;
  /** A one-line, human-readable description of the rules. */
  summary: string;
  conditions: PolicyCondition[];
}

/** The policies that apply to an entity, and whether a default deny is in place. @public */
export interface PolicySummary {
  items: AppliedPolicy[];
  /** An "allow-nothing" AuthorizationPolicy (ALLOW with no rules) applies. */
  defaultDeny: boolean;
}
