import { InputError } from '@backstage/errors';

const WINDOW = /^[1-9]\d{0,5}[smhd]$/;

/**
 * Checks a rate window such as `30s`, `5m`, `1h` or `7d` (a positive whole number and one
 * of s, m, h, d) and returns it unchanged.
 *
 * @public
 */
export function validatePromWindow(window: string, field = 'window'): string {
  if (!WINDOW.test(window)) {
    throw new InputError(
      `Invalid ${field} "${window}": use a positive whole number followed by s, m, h or d, e.g. 5m`,
    );
  }
  return window;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * The bounds of the read routes' query parameters (HTTP 400 outside them):
 * a rate `window` from 30s to 1h, a sparkline `range` from 5m to 7d (every
 * range query has the same number of points, so its step grows with it).
 *
 * @public
 */
export const QUERY_LIMITS = {
  window: { minSeconds: 30, maxSeconds: 3600 },
  range: { minSeconds: 300, maxSeconds: 7 * 86400 },
} as const;

/**
 * Parses a duration like `90s` or `60m` within bounds and returns it in its
 * canonical form (the largest whole unit: `60m` and `3600s` are both `1h`),
 * so equal durations share one cache key. Undefined when it is malformed or
 * out of bounds. Pure.
 *
 * @public
 */
export function normalizeDuration(
  value: string,
  bounds: { minSeconds: number; maxSeconds: number },
): string | undefined {
  const match = /^([1-9]\d{0,6})([smhd])$/.exec(value);
  if (!match) return undefined;
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2]];
  if (seconds < bounds.minSeconds || seconds > bounds.maxSeconds) {
    return undefined;
  }
  for (const unit of ['d', 'h', 'm'] as const) {
    if (seconds % UNIT_SECONDS[unit] === 0) {
      return `${seconds / UNIT_SECONDS[unit]}${unit}`;
    }
  }
  return `${seconds}s`;
}
