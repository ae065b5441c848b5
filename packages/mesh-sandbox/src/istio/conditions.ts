/** A status condition, as Kubernetes and Gateway API write them. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/**
 * Replaces conditions by type, keeping `lastTransitionTime` when the status
 * did not change.
 */
export function mergeConditions(
  existing: Condition[] | undefined,
  updates: Condition[],
): Condition[] {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const result = [...(existing ?? [])];
  for (const update of updates) {
    const index = result.findIndex(c => c.type === update.type);
    const previous = index >= 0 ? result[index] : undefined;
    const next = {
      ...update,
      lastTransitionTime:
        previous &&
        previous.status === update.status &&
        previous.lastTransitionTime
          ? previous.lastTransitionTime
          : now,
    };
    if (index >= 0) result[index] = next;
    else result.push(next);
  }
  return result;
}

/** True when the named condition is present with status True. */
export function isTrue(conditions: unknown, type: string): boolean {
  return (
    Array.isArray(conditions) &&
    conditions.some((c: Condition) => c.type === type && c.status === 'True')
  );
}
