import type { MtlsGrade, PeerAuthenticationMode } from './types';

/** The facts an mTLS grade is computed from. @public */
export interface MtlsGradeInput {
  /** The effective PeerAuthentication mode. */
  mode: PeerAuthenticationMode;
  /** Pods of the entity captured by ztunnel. */
  capturedPods: number;
  /** All pods of the entity. */
  totalPods: number;
  /** Observed share (0..1) of inbound mTLS connections; null when not measured. */
  observedShare: number | null;
}

/** Shares at or above this count as "all mTLS" (rates are floating-point estimates). */
const ALL_MTLS = 0.999;

/**
 * Grades the mTLS posture: `strict` needs STRICT mode, every pod captured and no
 * plaintext observed; `none` when no pod is captured or no mTLS connection was observed;
 * `unknown` with neither pods nor measurements; otherwise `partial`.
 *
 * @public
 */
export function gradeMtls(input: MtlsGradeInput): MtlsGrade {
  const { mode, capturedPods, totalPods, observedShare } = input;
  if (observedShare !== null && observedShare <= 0) return 'none';
  if (totalPods > 0 && capturedPods === 0) return 'none';
  if (totalPods === 0 && observedShare === null) return 'unknown';
  const allCaptured = capturedPods === totalPods;
  const noPlaintextSeen = observedShare === null || observedShare >= ALL_MTLS;
  return mode === 'STRICT' && allCaptured && noPlaintextSeen
    ? 'strict'
    : 'partial';
}
