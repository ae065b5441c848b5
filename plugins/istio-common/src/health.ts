import { InputError } from '@backstage/errors';
import type { HealthGrade } from './types';

/**
 * Error-ratio thresholds (ratios between 0 and 1). A ratio at or above `failure` is a
 * failure; at or above `degraded` it is degraded, except that a `degraded` of 0 means
 * "any error at all" (ratio above 0).
 *
 * @public
 */
export interface ErrorThresholds {
  degraded: number;
  failure: number;
}

/** Thresholds for 5xx and 4xx responses. @public */
export interface HealthThresholds {
  errorRatio5xx: ErrorThresholds;
  errorRatio4xx: ErrorThresholds;
}

/**
 * Kiali's defaults: 5xx above 0 % is degraded, 10 % or more is a failure;
 * 4xx at 10 % or more is degraded, 20 % or more is a failure.
 *
 * @public
 */
export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {
  errorRatio5xx: { degraded: 0, failure: 0.1 },
  errorRatio4xx: { degraded: 0.1, failure: 0.2 },
};

/** The values a health grade is computed from. @public */
export interface HealthInput {
  /** Requests per second over the window; 0 means no traffic, null unknown. */
  rps: number | null;
  errorRatio5xx: number | null;
  errorRatio4xx: number | null;
}

const SEVERITY: Record<HealthGrade, number> = {
  unknown: 0,
  'no-traffic': 0,
  healthy: 1,
  degraded: 2,
  failure: 3,
};

function checkThresholds(name: string, t: ErrorThresholds): void {
  const valid =
    Number.isFinite(t.degraded) &&
    Number.isFinite(t.failure) &&
    t.degraded >= 0 &&
    t.failure > 0 &&
    t.failure <= 1 &&
    t.degraded <= t.failure;
  if (!valid) {
    throw new InputError(
      `Invalid health thresholds for ${name}: need 0 <= degraded <= failure <= 1 and failure > 0 (ratios, e.g. 0.1 for 10 %)`,
    );
  }
}

/**
 * Grades one error ratio against its thresholds (`unknown` when the ratio is null or not a number).
 *
 * @public
 */
export function gradeErrorRatio(
  ratio: number | null,
  thresholds: ErrorThresholds,
): HealthGrade {
  if (ratio === null || Number.isNaN(ratio)) return 'unknown';
  if (ratio >= thresholds.failure) return 'failure';
  if (thresholds.degraded === 0 ? ratio > 0 : ratio >= thresholds.degraded) {
    return 'degraded';
  }
  return 'healthy';
}

/**
 * The health grade of a service: the worse of its 5xx and 4xx grades; `no-traffic` when
 * the request rate is 0, `unknown` when nothing is known.
 *
 * @public
 */
export function gradeHealth(
  input: HealthInput,
  thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS,
): HealthGrade {
  checkThresholds('errorRatio5xx', thresholds.errorRatio5xx);
  checkThresholds('errorRatio4xx', thresholds.errorRatio4xx);
  if (input.rps === 0) return 'no-traffic';
  const grades = [
    gradeErrorRatio(input.errorRatio5xx, thresholds.errorRatio5xx),
    gradeErrorRatio(input.errorRatio4xx, thresholds.errorRatio4xx),
  ];
  return grades.reduce((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a));
}
