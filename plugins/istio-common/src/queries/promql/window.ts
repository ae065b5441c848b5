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
