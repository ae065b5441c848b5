import type {
  Diagnostic,
  DiagnosticSeverity,
  MtlsGrade,
  PodCaptureState,
} from '@ambient-mesh/plugin-istio-common';
import type { StatusLevel } from '../shared/StatusLabel';

/** How each pod capture state reads, and how good it is. */
export const CAPTURE_STATE_DISPLAY: Record<
  PodCaptureState,
  { label: string; level: StatusLevel }
> = {
  captured: { label: 'Captured by ztunnel', level: 'ok' },
  pending: { label: 'Pending (no traffic)', level: 'warning' },
  sidecar: { label: 'Sidecar', level: 'warning' },
  'opted-out': { label: 'Opted out', level: 'neutral' },
  'not-captured': { label: 'Not captured', level: 'error' },
  'host-network': { label: 'Host network', level: 'warning' },
};

/** How each mTLS grade reads, and how good it is. */
export const MTLS_GRADE_DISPLAY: Record<
  MtlsGrade,
  { label: string; level: StatusLevel }
> = {
  strict: { label: 'Strict', level: 'ok' },
  partial: { label: 'Partial', level: 'warning' },
  none: { label: 'None', level: 'error' },
  unknown: { label: 'Unknown', level: 'neutral' },
};

/** The status level of a diagnostic severity. */
export const SEVERITY_LEVEL: Record<DiagnosticSeverity, StatusLevel> = {
  error: 'error',
  warning: 'warning',
  info: 'neutral',
};

const SEVERITY_RANK: Record<DiagnosticSeverity, number> = {
  error: 3,
  warning: 2,
  info: 1,
};

/** Diagnostics sorted from the most to the least severe (stable within a severity). */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort(
      (a, b) =>
        SEVERITY_RANK[b.d.severity] - SEVERITY_RANK[a.d.severity] || a.i - b.i,
    )
    .map(({ d }) => d);
}

/** The most severe diagnostic, if any. */
export function worstDiagnostic(
  diagnostics: Diagnostic[],
): Diagnostic | undefined {
  return sortDiagnostics(diagnostics)[0];
}
