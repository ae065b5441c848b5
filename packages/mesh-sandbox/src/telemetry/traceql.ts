import { StoredSpan, StoredTrace, traceDurationNs } from './spanStore';

/**
 * A TraceQL subset, parsed as Tempo parses it (grafana/tempo v2.8.0
 * `pkg/traceql/expr.y`): one spanset filter `{ ... }` whose conditions are joined
 * by `&&` and `||` at ONE precedence level, left-associative (`%left AND OR`),
 * with parentheses for grouping; then any number of `| select(attr, ...)`; then
 * query hints `with (name=value, ...)` (`root hints`).
 */
export interface TraceQlQuery {
  filter: Expression;
  /** Attributes named by `select(...)`, as written (e.g. `span.http.method`). */
  selected: string[];
  /** Query hints, e.g. `most_recent`. */
  hints: Record<string, string | number | boolean>;
}

type Operator = '=' | '!=' | '=~' | '!~' | '>' | '>=' | '<' | '<=';

interface Condition {
  type: 'condition';
  attribute: string;
  operator: Operator;
  value: string | number;
}

type Expression =
  | { type: 'true' }
  | Condition
  | { type: 'and' | 'or'; left: Expression; right: Expression };

/** A TraceQL query the sandbox cannot evaluate (Tempo answers 400). */
export class TraceQlError extends Error {}

type Token =
  | { kind: 'punct'; text: string }
  | { kind: 'op'; text: Operator }
  | { kind: 'string'; text: string }
  | { kind: 'word'; text: string };

const TOKEN_RE =
  /\s*(?:(&&|\|\||[{}(),|])|(=~|!~|!=|>=|<=|=|>|<)|("(?:[^"\\]|\\.)*")|([A-Za-z0-9_.:µ-]+))/y;

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  let index = 0;
  while (index < query.length) {
    if (/^\s*$/.test(query.slice(index))) break;
    TOKEN_RE.lastIndex = index;
    const match = TOKEN_RE.exec(query);
    if (!match) {
      throw new TraceQlError(
        `parse error at position ${index} of "${query}": unexpected character`,
      );
    }
    index = TOKEN_RE.lastIndex;
    if (match[1]) tokens.push({ kind: 'punct', text: match[1] });
    else if (match[2]) tokens.push({ kind: 'op', text: match[2] as Operator });
    else if (match[3]) tokens.push({ kind: 'string', text: match[3] });
    else tokens.push({ kind: 'word', text: match[4] });
  }
  return tokens;
}

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

const INTRINSICS = new Set([
  'duration',
  'traceDuration',
  'name',
  'status',
  'kind',
  'span:duration',
  'span:name',
  'span:status',
  'span:kind',
  'trace:duration',
]);

function isAttribute(text: string): boolean {
  return (
    INTRINSICS.has(text) ||
    /^(resource|span)\.[A-Za-z0-9_.:-]+$/.test(text) ||
    /^\.[A-Za-z0-9_.:-]+$/.test(text)
  );
}

function parseValue(attribute: string, token: Token): string | number {
  if (token.kind === 'string') return JSON.parse(token.text) as string;
  if (token.kind !== 'word') {
    throw new TraceQlError(`expected a value, found "${token.text}"`);
  }
  const raw = token.text;
  if (/duration$/i.test(attribute) || attribute === 'traceDuration') {
    const ns = parseDuration(raw);
    if (ns === undefined)
      throw new TraceQlError(
        `invalid duration "${raw}" (use e.g. 100ms, 1.5s)`,
      );
    return ns;
  }
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (/^[a-z]+$/.test(raw)) return raw; // status/kind keywords, true/false
  throw new TraceQlError(`invalid value "${raw}"`);
}

function hintValue(token: Token): string | number | boolean {
  if (token.kind === 'string') return JSON.parse(token.text) as string;
  if (token.text === 'true' || token.text === 'false') {
    return token.text === 'true';
  }
  return Number(token.text);
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly query: string,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position];
    if (!token) {
      throw new TraceQlError(`unexpected end of TraceQL "${this.query}"`);
    }
    this.position += 1;
    return token;
  }

  private expect(text: string): void {
    const token = this.next();
    if (token.text !== text) {
      throw new TraceQlError(
        `parse error in "${this.query}": expected "${text}", found "${token.text}"`,
      );
    }
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token?.kind === 'punct' && token.text === text;
  }

  parse(): TraceQlQuery {
    if (this.tokens.length === 0) {
      return { filter: { type: 'true' }, selected: [], hints: {} };
    }
    this.expect('{');
    const filter: Expression = this.isPunct('}')
      ? { type: 'true' }
      : this.expression();
    this.expect('}');
    const selected: string[] = [];
    while (this.isPunct('|')) {
      this.next();
      const op = this.next();
      if (op.text !== 'select') {
        throw new TraceQlError(
          `unsupported pipeline stage "${op.text}" in "${this.query}": the sandbox supports select(...)`,
        );
      }
      this.expect('(');
      for (;;) {
        const attribute = this.next();
        if (attribute.kind !== 'word' || !isAttribute(attribute.text)) {
          throw new TraceQlError(
            `select() takes attributes, found "${attribute.text}"`,
          );
        }
        selected.push(attribute.text);
        if (this.isPunct(',')) {
          this.next();
          continue;
        }
        this.expect(')');
        break;
      }
    }
    const hints: TraceQlQuery['hints'] = {};
    const word = this.peek();
    if (word?.kind === 'word' && word.text === 'with') {
      this.next();
      this.expect('(');
      for (;;) {
        const name = this.next();
        if (name.kind !== 'word') {
          throw new TraceQlError(`expected a hint name, found "${name.text}"`);
        }
        const eq = this.next();
        if (eq.text !== '=') {
          throw new TraceQlError(`expected "=" after hint ${name.text}`);
        }
        const value = this.next();
        hints[name.text] = hintValue(value);
        if (this.isPunct(',')) {
          this.next();
          continue;
        }
        this.expect(')');
        break;
      }
    }
    const rest = this.peek();
    if (rest) {
      throw new TraceQlError(
        `unsupported TraceQL "${this.query}": unexpected "${rest.text}" (the sandbox evaluates one spanset filter, select() and hints)`,
      );
    }
    return { filter, selected, hints };
  }

  /** `term (('&&' | '||') term)*`, folded to the left: one precedence level. */
  private expression(): Expression {
    let left = this.term();
    while (this.isPunct('&&') || this.isPunct('||')) {
      const op = this.next().text === '&&' ? 'and' : 'or';
      const right = this.term();
      left = { type: op, left, right };
    }
    return left;
  }

  private term(): Expression {
    if (this.isPunct('(')) {
      this.next();
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    const attribute = this.next();
    if (attribute.kind !== 'word' || !isAttribute(attribute.text)) {
      throw new TraceQlError(
        `cannot parse TraceQL condition at "${attribute.text}" in "${this.query}"`,
      );
    }
    const operator = this.next();
    if (operator.kind !== 'op') {
      throw new TraceQlError(
        `expected a comparison after ${attribute.text}, found "${operator.text}"`,
      );
    }
    const value = parseValue(attribute.text, this.next());
    return {
      type: 'condition',
      attribute: attribute.text,
      operator: operator.text,
      value,
    };
  }
}

/**
 * Parses a TraceQL query the way Tempo's grammar does for the subset the sandbox
 * evaluates: `{}` or `{ <conditions> }`, conditions on `resource.x`, `span.x`,
 * `.x`, `name`, `status`, `kind`, `duration` or `traceDuration` compared with
 * = != =~ !~ > >= < <=, joined by && and || (same precedence, left to right) and
 * grouped with parentheses; then `| select(...)` and `with (...)` hints.
 */
export function parseTraceQl(query: string): TraceQlQuery {
  return new Parser(tokenize(query.trim()), query).parse();
}

function actual(
  trace: StoredTrace,
  span: StoredSpan,
  attribute: string,
): string | number | undefined {
  switch (attribute) {
    case 'duration':
    case 'span:duration':
      return Number(span.durationNs);
    case 'traceDuration':
    case 'trace:duration':
      return Number(traceDurationNs(trace));
    case 'name':
    case 'span:name':
      return span.name;
    case 'status':
    case 'span:status':
      return span.error ? 'error' : 'unset';
    case 'kind':
    case 'span:kind':
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
  if (left === undefined) return false;
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

function evaluate(
  expression: Expression,
  trace: StoredTrace,
  span: StoredSpan,
): boolean {
  switch (expression.type) {
    case 'true':
      return true;
    case 'condition':
      return compare(
        actual(trace, span, expression.attribute),
        expression.operator,
        expression.value,
      );
    case 'and':
      return (
        evaluate(expression.left, trace, span) &&
        evaluate(expression.right, trace, span)
      );
    default:
      return (
        evaluate(expression.left, trace, span) ||
        evaluate(expression.right, trace, span)
      );
  }
}

/** The spans of a trace that satisfy the query's filter. */
export function matchingSpans(
  query: TraceQlQuery,
  trace: StoredTrace,
): StoredSpan[] {
  return trace.spans.filter(span => evaluate(query.filter, trace, span));
}

function conditionsOf(expression: Expression): string[] {
  if (expression.type === 'condition') return [expression.attribute];
  if (expression.type === 'true') return [];
  return [...conditionsOf(expression.left), ...conditionsOf(expression.right)];
}

/**
 * The attributes a query fetches, which are the only ones a search returns on its
 * spans: those of its conditions and of `select(...)` (grafana/tempo v2.8.0
 * `pkg/traceql/engine.go` `asTraceSearchMetadata`, which leaves out name,
 * duration, trace duration, root name/service and ids).
 */
export function fetchedAttributes(query: TraceQlQuery): string[] {
  const all = [...conditionsOf(query.filter), ...query.selected];
  return [...new Set(all)];
}

const NOT_RETURNED = new Set([
  'duration',
  'span:duration',
  'traceDuration',
  'trace:duration',
  'name',
  'span:name',
]);

/**
 * The attributes of one span as a search returns them: keyed by the attribute's
 * name without its scope (`span.http.method` -> `http.method`), present only when
 * the span (or, for `resource.`/unscoped, its resource) has it.
 */
export function returnedAttributes(
  query: TraceQlQuery,
  trace: StoredTrace,
  span: StoredSpan,
): Array<{ key: string; value: string }> {
  const out = new Map<string, string>();
  for (const attribute of fetchedAttributes(query)) {
    if (NOT_RETURNED.has(attribute)) continue;
    const value = actual(trace, span, attribute);
    if (value === undefined) continue;
    const key = attribute.replace(/^(resource|span)?\.|^span:/, '');
    if (!out.has(key)) out.set(key, String(value));
  }
  return [...out].map(([key, value]) => ({ key, value }));
}

/** Whether the span's name is fetched (Tempo then sets the span's `name`). */
export function fetchesName(query: TraceQlQuery): boolean {
  return fetchedAttributes(query).some(a => a === 'name' || a === 'span:name');
}
