/** Who applies a traffic rule to the entity's mesh traffic in ambient mode. @public */
export type TrafficEnforcer = 'waypoint' | 'gateway' | 'nobody';

/** A route or DestinationRule that names one of the entity's services. @public */
export interface TrafficRule {
  kind: 'VirtualService' | 'HTTPRoute' | 'GRPCRoute' | 'DestinationRule';
  name: string;
  namespace: string;
  /** The hosts (VirtualService, DestinationRule) or parents (routes) it applies to. */
  targets: string[];
  enforcer: TrafficEnforcer;
  /** The waypoint or gateway that enforces it (`namespace/name`). */
  enforcedBy?: string;
  /** `ok` when it takes effect, `ignored` when nothing enforces it, `error` when its status or references are broken. */
  status: 'ok' | 'ignored' | 'error';
  /** One line saying why. */
  statusMessage: string;
}

/** The traffic-management objects that apply to the entity. @public */
export interface TrafficManagement {
  rules: TrafficRule[];
  /** Set when the traffic objects could not be read: why. */
  unavailable?: string;
}
