/**
 * True when every field of `desired` has the same value in `current`.
 * Objects are compared key by key (extra keys in `current` are ignored, as
 * servers add defaults and other managers add fields); arrays must have the
 * same length and each element must contain the desired element.
 *
 * @public
 */
export function containsDesired(current: unknown, desired: unknown): boolean {
  if (Array.isArray(desired)) {
    return (
      Array.isArray(current) &&
      current.length === desired.length &&
      desired.every((item, index) => containsDesired(current[index], item))
    );
  }
  if (desired !== null && typeof desired === 'object') {
    if (
      current === null ||
      typeof current !== 'object' ||
      Array.isArray(current)
    ) {
      return false;
    }
    return Object.entries(desired as Record<string, unknown>).every(
      ([key, value]) =>
        containsDesired((current as Record<string, unknown>)[key], value),
    );
  }
  return current === desired;
}
