import type {
  ConfiguredMtls,
  MtlsGrade,
  PeerAuthenticationMode,
} from './types';

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

const MODE_STRENGTH: Record<PeerAuthenticationMode, number> = {
  DISABLE: 0,
  UNSET: 1,
  PERMISSIVE: 2,
  STRICT: 3,
};

/**
 * The mode to grade: STRICT only when every workload port the configuration lists is
 * STRICT (a STRICT policy with a PERMISSIVE `portLevelMtls` port accepts plaintext there),
 * otherwise the weakest port's mode; the policy's mode when no port is listed.
 *
 * @public
 */
export function gradingMode(
  configured: ConfiguredMtls,
): PeerAuthenticationMode {
  const ports = configured.ports ?? [];
  if (ports.length === 0) return configured.mode;
  return ports
    .map(p => p.mode)
    .reduce((weakest, mode) =>
      MODE_STRENGTH[mode] < MODE_STRENGTH[weakest] ? mode : weakest,
    );
}

/** Workload ports that accept plaintext (mode other than STRICT). @public */
export function plaintextPorts(configured: ConfiguredMtls) {
  return (configured.ports ?? []).filter(p => p.mode !== 'STRICT');
}
