import { badRequest } from './errors';
import { KubeObject } from './types';

/** One parsed requirement of a label selector. */
export type LabelRequirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(p => p.length > 0);
}

const SET_RE = /^([A-Za-z0-9._/-]+)\s+(in|notin)\s+\(([^)]*)\)$/;
const EQ_RE = /^([A-Za-z0-9._/-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/;
const EXISTS_RE = /^(!?)\s*([A-Za-z0-9._/-]+)$/;

/**
 * Parses a label selector in the API server's string form: equality
 * (`a=b`, `a==b`, `a!=b`) and set-based (`a in (x,y)`, `a notin (x)`, `a`, `!a`).
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  return splitTopLevel(selector).map(part => {
    const set = SET_RE.exec(part);
    if (set) {
      const values = set[3]
        .split(',')
        .map(v => v.trim())
        .filter(v => v.length > 0);
      return { key: set[1], op: set[2] as 'in' | 'notin', values };
    }
    const eq = EQ_RE.exec(part);
    if (eq) {
      return { key: eq[1], op: eq[2] === '!=' ? 'neq' : 'eq', value: eq[3] };
    }
    const exists = EXISTS_RE.exec(part);
    if (exists) {
      return { key: exists[2], op: exists[1] ? 'notexists' : 'exists' };
    }
    throw badRequest(`unable to parse requirement: "${part}"`);
  });
}

/** True when the labels satisfy every requirement. */
export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const actual = labels ?? {};
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(actual, r.key);
    const value = actual[r.key];
    switch (r.op) {
      case 'eq':
        return has && value === r.value;
      case 'neq':
        return !has || value !== r.value;
      case 'in':
        return has && r.values.includes(value);
      case 'notin':
        return !has || !r.values.includes(value);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      default:
        return false;
    }
  });
}

/** One parsed requirement of a field selector. */
export interface FieldRequirement {
  field: string;
  op: 'eq' | 'neq';
  value: string;
}

const SUPPORTED_FIELDS = new Set([
  'metadata.name',
  'metadata.namespace',
  'spec.nodeName',
  'status.phase',
  // Event fields (kubernetes pkg/apis/core/v1 conversion.go
  // AddFieldLabelConversionsForEvent), used by `kubectl describe`.
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'type',
]);

/** Parses a field selector (`metadata.name=x,metadata.namespace!=y`). */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  return splitTopLevel(selector).map(part => {
    const match = /^([A-Za-z.]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!match) {
      throw badRequest(`invalid field selector: "${part}"`);
    }
    if (!SUPPORTED_FIELDS.has(match[1])) {
      throw badRequest(
        `field label not supported: ${match[1]} (supported: ${[
          ...SUPPORTED_FIELDS,
        ].join(', ')})`,
      );
    }
    return {
      field: match[1],
      op: match[2] === '!=' ? 'neq' : 'eq',
      value: match[3],
    };
  });
}

function fieldValue(object: KubeObject, path: string): string {
  let current: unknown = object;
  for (const key of path.split('.')) {
    current =
      current && typeof current === 'object'
        ? (current as Record<string, unknown>)[key]
        : undefined;
  }
  return current === undefined || current === null ? '' : String(current);
}

/** True when the object satisfies every field requirement. */
export function matchesFields(
  requirements: FieldRequirement[],
  object: KubeObject,
): boolean {
  return requirements.every(r => {
    const value = fieldValue(object, r.field);
    return r.op === 'eq' ? value === r.value : value !== r.value;
  });
}
