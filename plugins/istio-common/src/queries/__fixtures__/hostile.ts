/* Test fixtures for the query builders' escaping tests. */

/** Hostile values: each must come back unchanged once the literal is unquoted. */
export const HOSTILE_VALUES: string[] = [
  'plain',
  'with"quote',
  'back\\slash',
  'trailing\\',
  '\\"',
  'braces{}}{',
  'line\nbreak',
  'cr\rtab\t',
  'regex.*+?()[]|^$',
  'a"} or vector(1) or {b="',
  '"}[5m])) or up{job=~".+',
  'bell\u0007del\u007f',
  'unicode-é-日本-🚀',
  '',
];

/** Reads back the matchers of a rendered selector, unquoting each value. */
export function parseSelector(selector: string): {
  metric: string;
  matchers: [string, string, string][];
} {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}$/s.exec(selector);
  if (!match) throw new Error(`not a selector: ${selector}`);
  const body = match[2];
  const item =
    /([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)("(?:[^"\\\n]|\\.)*")(,|$)/gy;
  const matchers: [string, string, string][] = [];
  let consumed = 0;
  for (let m = item.exec(body); m; m = item.exec(body)) {
    matchers.push([m[1], m[2], JSON.parse(m[3])]);
    consumed = item.lastIndex;
    if (m[4] === '') break;
  }
  if (consumed !== body.length) {
    throw new Error(`unparsed rest in ${selector}: ${body.slice(consumed)}`);
  }
  return { metric: match[1], matchers };
}

/** Finds every vector selector of a query (skipping braces inside string literals) and parses it. */
export function selectorsOf(query: string) {
  const selector = /[a-zA-Z_:][a-zA-Z0-9_:]*\{(?:[^"{}]|"(?:[^"\\]|\\.)*")*\}/g;
  return (query.match(selector) ?? []).map(parseSelector);
}

/** The query with every string literal replaced by `""`: its structure without values. */
export function skeletonOf(query: string): string {
  return query.replace(/"(?:[^"\\]|\\.)*"/g, '""');
}
