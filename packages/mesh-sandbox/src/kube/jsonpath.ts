import { isPlainObject } from './types';

/**
 * The JSONPath subset CRD `additionalPrinterColumns` use (client-go
 * `util/jsonpath`): `.a.b`, `['a.b']`, `[0]`, `[*]`, and filters
 * `[?(@.type=="Ready")]` (`==`, `!=`). Returns every match, in order.
 * Missing keys give no result (the table convertor calls
 * `AllowMissingKeys(true)`).
 */
export function evaluateJsonPath(object: unknown, path: string): unknown[] {
  const text = path.trim().replace(/^\{/, '').replace(/\}$/, '');
  let current: unknown[] = [object];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      i++;
      const m = /^[^.[\]]+/.exec(text.slice(i));
      if (!m) continue;
      i += m[0].length;
      current = current.flatMap(v =>
        isPlainObject(v) && m[0] in v ? [v[m[0]]] : [],
      );
    } else if (c === '[') {
      const end = matchingBracket(text, i);
      const inner = text.slice(i + 1, end).trim();
      i = end + 1;
      current = current.flatMap(v => applySelector(v, inner));
    } else {
      const m = /^[^.[\]]+/.exec(text.slice(i));
      const key = m ? m[0] : c;
      i += key.length;
      current = current.flatMap(v =>
        isPlainObject(v) && key in v ? [v[key]] : [],
      );
    }
  }
  return current;
}

function matchingBracket(text: string, start: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new Error(`unclosed [ in JSONPath "${text}"`);
}

function applySelector(value: unknown, inner: string): unknown[] {
  if (inner === '*') {
    if (Array.isArray(value)) return value;
    if (isPlainObject(value)) return Object.values(value);
    return [];
  }
  if (/^-?\d+$/.test(inner)) {
    if (!Array.isArray(value)) return [];
    const index =
      Number(inner) < 0 ? value.length + Number(inner) : Number(inner);
    return index >= 0 && index < value.length ? [value[index]] : [];
  }
  const quoted = /^['"](.*)['"]$/.exec(inner);
  if (quoted) {
    return isPlainObject(value) && quoted[1] in value ? [value[quoted[1]]] : [];
  }
  const filter = /^\?\(\s*@((?:\.[^.=!\s]+)+)\s*(==|!=)\s*(.+?)\s*\)$/.exec(
    inner,
  );
  if (filter && Array.isArray(value)) {
    const [, fieldPath, op, rawLiteral] = filter;
    const literal = /^['"](.*)['"]$/.exec(rawLiteral)?.[1] ?? rawLiteral;
    return value.filter(item => {
      const found = evaluateJsonPath(item, fieldPath);
      const equal = found.length > 0 && String(found[0]) === literal;
      return op === '==' ? equal : !equal;
    });
  }
  return [];
}

/** How client-go's JSONPath printer renders one value: strings as-is, the rest as JSON. */
export function printJsonPathValue(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
