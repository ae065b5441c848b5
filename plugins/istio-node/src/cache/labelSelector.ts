import { InputError } from '@backstage/errors';

/** One requirement of a label selector in its string form. */
export interface LabelRequirement {
  key: string;
  operator: 'in' | 'notin' | 'exists' | '!';
  values: string[];
}

/**
 * Parses a label selector as the API server accepts it in `?labelSelector=`
 * (k8s.io/apimachinery/pkg/labels/selector.go, Kubernetes 1.32): a comma
 * separated list of `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`
 * and `!k`. Throws an InputError naming the requirement that does not parse.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  // Split on commas outside parentheses
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  for (const raw of parts) {
    const part = raw.trim();
    if (!part) continue;
    let match = /^([^\s=!()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (match) {
      requirements.push({
        key: match[1],
        operator: match[2] as 'in' | 'notin',
        values: match[3]
          .split(',')
          .map(v => v.trim())
          .filter(v => v !== ''),
      });
      continue;
    }
    match = /^([^\s=!()]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(part);
    if (match) {
      requirements.push({
        key: match[1],
        operator: match[2] === '!=' ? 'notin' : 'in',
        values: [match[3]],
      });
      continue;
    }
    match = /^(!?)\s*([^\s=!()]+)$/.exec(part);
    if (match) {
      requirements.push({
        key: match[2],
        operator: match[1] ? '!' : 'exists',
        values: [],
      });
      continue;
    }
    throw new InputError(
      `Invalid label selector "${selector}": cannot parse "${part}"; use e.g. app=orders,tier in (web,api)`,
    );
  }
  return requirements;
}

/** True when the labels satisfy every requirement (selector.go `Matches`). */
export function matchesRequirements(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.operator) {
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      case 'exists':
        return has;
      default:
        return !has;
    }
  });
}
