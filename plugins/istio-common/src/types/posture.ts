import type { SectionError } from './responses';
/**
 * A PeerAuthentication mTLS mode. `UNSET` inherits; with nothing set, ztunnel accepts
 * plaintext like `PERMISSIVE`. `DISABLE` is not supported in ambient mode.
 *
 * @public
 */
export type PeerAuthenticationMode =
  | 'STRICT'
  | 'PERMISSIVE'
  | 'DISABLE'
  | 'UNSET';

/** Where the effective PeerAuthentication comes from. @public */
export type PeerAuthenticationSource =
  | 'workload'
  | 'namespace'
  | 'mesh'
  | 'default';

/** The mTLS mode that applies, and the resource it comes from. @public */
export interface ConfiguredMtls {
  mode: PeerAuthenticationMode;
  /** `default` when no PeerAuthentication sets a mode. */
  source: PeerAuthenticationSource;
  resource?: { name: string; namespace: string };
  /**
   * Port-level modes of the workload PeerAuthentication (workload port number to the
   * mode ztunnel applies there; an UNSET port shows the inherited mode).
   */
  portLevel?: Record<string, PeerAuthenticationMode>;
  /** The workload PeerAuthentication whose `portLevelMtls` applies, when it is not `resource`. */
  portLevelResource?: { name: string; namespace: string };
  /**
   * The mode on each workload port that the entity's Services reach or that `portLevelMtls`
   * names. PeerAuthentication ports are workload (container) ports, not Service ports.
   */
  ports?: PortMtls[];
}

/** The mTLS mode ztunnel applies on one workload port. @public */
export interface PortMtls {
  /** The workload (container) port; a name when a Service's named targetPort could not be resolved. */
  targetPort: number | string;
  /** The Service ports that reach it, as `<service>:<port>`. */
  servicePorts: string[];
  mode: PeerAuthenticationMode;
}

/** A workload observed sending plaintext (non-mTLS) traffic to the entity. @public */
export interface PlaintextSource {
  sourceWorkload: string;
  sourceNamespace: string;
  /** Connections per second over the window. */
  connectionsPerSecond: number;
}

/**
 * One-word mTLS grade:
 * - `strict`: plaintext refused and nothing observed in plaintext;
 * - `partial`: mTLS in use but plaintext accepted or observed;
 * - `none`: no mTLS (pods not captured, or no mTLS connection observed);
 * - `unknown`: nothing to judge (no pods and no traffic).
 *
 * @public
 */
export type MtlsGrade = 'strict' | 'partial' | 'none' | 'unknown';

/** The mTLS posture of an entity in one cluster. @public */
export interface MtlsPosture {
  configured: ConfiguredMtls;
  /** Share (0..1) of inbound connections that used mTLS over the metrics window; null until measured. */
  observedShare: number | null;
  plaintextSources: PlaintextSource[];
  grade: MtlsGrade;
  /** Why the observed share could not be measured (e.g. Prometheus unreachable). */
  observedError?: SectionError;
}
