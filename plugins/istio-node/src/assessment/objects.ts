import type { V1LabelSelector } from '@kubernetes/client-node';
import type { CustomObjectMeta, ObjectCondition } from './snapshot';

/** Labels of an object (empty when it has none). */
export function labelsOf(object?: {
  metadata?: { labels?: Record<string, string> };
}): Record<string, string> {
  return object?.metadata?.labels ?? {};
}

/** Finds a condition by type. */
export function conditionOf(
  conditions: ReadonlyArray<ObjectCondition> | undefined,
  type: string,
): ObjectCondition | undefined {
  return conditions?.find(c => c.type === type);
}

/** True when `labels` include every `matchLabels` pair (an empty selector matches everything). */
export function matchesLabels(
  matchLabels: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  return Object.entries(matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

/** Evaluates a Kubernetes LabelSelector (matchLabels and matchExpressions). */
export function matchesLabelSelector(
  selector: V1LabelSelector | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return true;
  if (!matchesLabels(selector.matchLabels, labels)) return false;
  return (selector.matchExpressions ?? []).every(expr => {
    const has = Object.prototype.hasOwnProperty.call(labels, expr.key);
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
        return has && values.includes(labels[expr.key]);
      case 'NotIn':
        return !has || !values.includes(labels[expr.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/**
 * Parses the equality form of a label selector string (`a=b,c==d`) into matchLabels;
 * undefined when it uses set-based terms this helper does not express.
 */
export function parseEqualitySelector(
  selector: string | undefined,
): Record<string, string> | undefined {
  if (!selector) return undefined;
  const labels: Record<string, string> = {};
  for (const term of selector.split(',').map(t => t.trim())) {
    const match = /^([A-Za-z0-9./_-]+)\s*==?\s*([A-Za-z0-9._-]*)$/.exec(term);
    if (!match) return undefined;
    labels[match[1]] = match[2];
  }
  return labels;
}

function time(meta: CustomObjectMeta): number {
  const t = meta.creationTimestamp;
  if (!t) return Number.MAX_SAFE_INTEGER;
  return t instanceof Date ? t.getTime() : Date.parse(t);
}

/** Sorts oldest first, then by name: Istio's rule when several policies conflict. */
export function oldestFirst<T extends { metadata: CustomObjectMeta }>(
  objects: readonly T[],
): T[] {
  return [...objects].sort(
    (a, b) =>
      time(a.metadata) - time(b.metadata) ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
}

/** `name` or `namespace/name` of an object, for evidence lines. */
export function refOf(meta: { name?: string; namespace?: string }): string {
  return meta.namespace ? `${meta.namespace}/${meta.name}` : `${meta.name}`;
}
