/**
 * Quoting shared by PromQL and TraceQL: both parse double-quoted strings with Go's
 * escape rules (`strconv.Unquote`), so one escaper serves both languages.
 */

const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\\"\u0000-\u001f\u007f]/g;

const NAMED_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * Escapes a value for the inside of a Go-style double-quoted string literal: backslash,
 * double quote, newline, carriage return, tab and other control characters. Lone UTF-16
 * surrogates (which have no UTF-8 form) become U+FFFD.
 *
 * @public
 */
export function escapeDoubleQuoted(value: string): string {
  return value
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(
      NEEDS_ESCAPE,
      ch =>
        NAMED_ESCAPES[ch] ??
        `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
}

/**
 * Returns the value as a complete double-quoted string literal, e.g. `a"b` becomes `"a\"b"`.
 *
 * @public
 */
export function quoteDoubleQuoted(value: string): string {
  return `"${escapeDoubleQuoted(value)}"`;
}

const RE2_METACHARACTERS = /[\\.+*?()|[\]{}^$]/g;

/**
 * Escapes RE2 metacharacters so that the value matches only itself inside a regular
 * expression (the same set as Go's `regexp.QuoteMeta`). The result still has to be quoted
 * with {@link quoteDoubleQuoted} before it goes into a query.
 *
 * @public
 */
export function escapeRegexLiteral(value: string): string {
  return value.replace(RE2_METACHARACTERS, ch => `\\${ch}`);
}
