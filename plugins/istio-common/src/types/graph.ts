/** Where a node of the traffic graph stands relative to the entity. @public */
export type TrafficNodeRole = 'caller' | 'self' | 'callee';

/** One workload or service of the traffic graph. @public */
export interface TrafficNode {
  /** Unique within the graph: `<role>:<namespace>/<name>`. */
  id: string;
  role: TrafficNodeRole;
  /** Workload name (callers), Service name (the entity and callees). */
  name: string;
  namespace: string;
  /** The catalog entity this node belongs to, when one matches. */
  entityRef?: string;
}

/** Traffic between two nodes over the window. @public */
export interface TrafficEdge {
  source: string;
  target: string;
  /** `L7` when a waypoint reports requests, `L4` for ztunnel connections. */
  layer: 'L7' | 'L4';
  /** Requests per second (L7) or connections per second (L4). */
  rate: number;
  /** Share (0..1) of 5xx responses (L7 only). */
  errorRatio: number | null;
  /** Share (0..1) of the traffic sent over mTLS; null when not measured. */
  mtlsShare: number | null;
}

/** Callers, the entity and what it calls, in one cluster. @public */
export interface ClusterTrafficGraph {
  cluster: string;
  window: string;
  nodes: TrafficNode[];
  edges: TrafficEdge[];
}
