/**
 * One prerequisite of ambient mode, as reported by `istio:mesh:check`.
 *
 * @public
 */
export interface MeshCheck {
  /** Stable identifier, e.g. `gateway-api-crds`. */
  id: string;
  /** What is checked, in a few words. */
  title: string;
  /** `skip` when the check does not apply (e.g. no Cilium). */
  status: 'pass' | 'fail' | 'skip';
  /** What was found. */
  detail: string;
  /** How to fix a failure. */
  fix?: string;
}

/**
 * The readiness of a cluster for ambient mode.
 *
 * @public
 */
export interface MeshCheckReport {
  cluster: string;
  /** True when no check failed. */
  ready: boolean;
  checks: MeshCheck[];
}
