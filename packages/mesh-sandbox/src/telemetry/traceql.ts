import { StoredSpan, StoredTrace, traceDurationNs } from './spanStore';

/** A TraceQL subset: one spanset `{ ... }` of conditions joined by && or ||. */
export interface SpansetFilter {
  /** OR of AND-groups. */
  groups: Condition[][];
}

type Operator = '=' | '!=' | '=~' | '!~' | '>' | '>=' | '<' | '<=';

interface Condition {
  attribute: string;
  operator: Operator;
  value: string | number;
}

/** A TraceQL query the sandbox cannot evaluate (Tempo answers 400). */
export class TraceQlError extends Error {}

const CONDITION_RE =
  /^\s*([A-Za-z_.][A-Za-z0-9_.:-]*)\s*(=~|!~|!=|>=|<=|=|>|<)\s*("(?:[^"\\]|\\.)*"|[A-Za-z0-9_.]+)\s*$/;

function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/.exec(text);
  if (!match) return undefined;
  const factor: Record<string, number> = {
    ns: 1,
    us: 1e3,
    µs: 1e3,
    ms: 1e6,
    s: 1e9,
    m: 60e9,
    h: 3600e9,
  };
  return Number(match[1]) * factor[match[2]];
}

function parseValue(attribute: string, raw: string): string | number {
  if (raw.startsWith('"')) return JSON.parse(raw) as string;
  if (attribute === 'duration' || attribute === 'traceDuration') {
    const ns = parseDuration(raw);
    if (ns === undefined)
      throw new TraceQlError(
        `invalid duration "${raw}" (use e.g. 100ms, 1.5s)`,
      );
    return ns;
  }
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return raw;
}

/**
 * Parses the TraceQL the product uses: `{}` or `{ cond && cond }` (or `||`)
 * where a condition is `resource.x`, `span.x`, `.x`, `name`, `status`,
 * `kind`, `duration` or `traceDuration`, compared with = != =~ !~ > >= < <=.
 */
export function parseTraceQl(query: string): SpansetFilter {
  const text = query.trim();
  if (text === '') return { groups: [[]] };
  const match = /^\{(.*)\}$/s.exec(text);
  if (!match || match[1].includes('{') || match[1].includes('}')) {
    throw new TraceQlError(
      `unsupported TraceQL "${query}": the sandbox evaluates one spanset, e.g. { resource.service.name = "x" && duration > 100ms }`,
    );
  }
  const body = match[1].trim();
  if (body === '') return { groups: [[]] };
  if (body.includes('(') || body.includes(')')) {
    throw new TraceQlError(
      `unsupported TraceQL "${query}": parentheses are not supported`,
    );
  }
  const groups = body.split('||').map(group =>
    group.split('&&').map(part => {
      const condition = CONDITION_RE.exec(part);
      if (!condition)
        throw new TraceQlError(
          `cannot parse TraceQL condition "${part.trim()}"`,
        );
      return {
        attribute: condition[1],
        operator: condition[2] as Operator,
        value: parseValue(condition[1], condition[3]),
      };
    }),
  );
  return { groups };
}

function actual(
  trace: StoredTrace,
  span: StoredSpan,
  attribute: string,
): string | number | undefined {
  switch (attribute) {
    case 'duration':
      return Number(span.durationNs);
    case 'traceDuration':
      return Number(traceDurationNs(trace));
    case 'name':
      return span.name;
    case 'status':
      return span.error ? 'error' : 'unset';
    case 'kind':
      return span.kind === 'SPAN_KIND_SERVER' ? 'server' : 'client';
    default:
      break;
  }
  if (attribute.startsWith('resource.'))
    return trace.resource[attribute.slice(9)];
  if (attribute.startsWith('span.')) return span.attributes[attribute.slice(5)];
  if (attribute.startsWith('.')) {
    const key = attribute.slice(1);
    return span.attributes[key] ?? trace.resource[key];
  }
  throw new TraceQlError(`unsupported TraceQL attribute "${attribute}"`);
}

function compare(
  left: string | number | undefined,
  operator: Operator,
  right: string | number,
): boolean {
  if (left === undefined) return operator === '!=' || operator === '!~';
  switch (operator) {
    case '=':
      return String(left) === String(right);
    case '!=':
      return String(left) !== String(right);
    case '=~':
      return new RegExp(`^(?:${right})$`).test(String(left));
    case '!~':
      return !new RegExp(`^(?:${right})$`).test(String(left));
    default: {
      const a = Number(left);
      const b = Number(right);
      if (operator === '>') return a > b;
      if (operator === '>=') return a >= b;
      if (operator === '<') return a < b;
      return a <= b;
    }
  }
}

/** The spans of a trace that satisfy the filter. */
export function matchingSpans(
  filter: SpansetFilter,
  trace: StoredTrace,
): StoredSpan[] {
  return trace.spans.filter(span =>
    filter.groups.some(group =>
      group.every(c =>
        compare(actual(trace, span, c.attribute), c.operator, c.value),
      ),
    ),
  );
}
