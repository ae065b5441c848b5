import {
  escapeDoubleQuoted,
  escapeRegexLiteral,
  quoteDoubleQuoted,
} from './quoting';
import { HOSTILE_VALUES } from './__fixtures__/hostile';

describe('quoteDoubleQuoted', () => {
  it.each(HOSTILE_VALUES)(
    'round-trips %j through a Go-style string literal',
    value => {
      const literal = quoteDoubleQuoted(value);
      // Our escapes (\\ \" \n \r \t \uXXXX) are a subset of both Go's and JSON's,
      // so JSON.parse reads the literal exactly as PromQL and TraceQL do.
      expect(JSON.parse(literal)).toBe(value);
      // The literal ends where it should: no unescaped quote and no raw newline inside.
      expect(literal.slice(1, -1)).not.toMatch(/(^|[^\\])(\\\\)*"/);
      expect(literal).not.toMatch(/[\n\r]/);
    },
  );

  it.each([
    ['a"b', 'a\\"b'],
    ['a\\b', 'a\\\\b'],
    ['a\nb', 'a\\nb'],
    ['\u0001', '\\u0001'],
  ])('escapes %j as %j', (value, expected) => {
    expect(escapeDoubleQuoted(value)).toBe(expected);
  });

  it('replaces a lone surrogate, which has no UTF-8 form', () => {
    expect(escapeDoubleQuoted('a\uD800b')).toBe('a\uFFFDb');
    expect(escapeDoubleQuoted('🚀')).toBe('🚀');
  });
});

describe('escapeRegexLiteral', () => {
  it.each(HOSTILE_VALUES)('matches %j and only it', value => {
    const pattern = escapeRegexLiteral(value);
    // PromQL anchors regexes; RE2 and JS agree on escaped metacharacters.
    const anchored = new RegExp(`^(?:${pattern})$`, 's');
    expect(anchored.test(value)).toBe(true);
    expect(anchored.test(`${value}x`)).toBe(false);
    expect(anchored.test(`x${value}`)).toBe(false);
    expect(anchored.test(`${value}${value}`)).toBe(value === '');
  });

  it('escapes every RE2 metacharacter', () => {
    expect(escapeRegexLiteral('\\.+*?()|[]{}^$')).toBe(
      '\\\\\\.\\+\\*\\?\\(\\)\\|\\[\\]\\{\\}\\^\\$',
    );
    expect(escapeRegexLiteral('orders-v1_2')).toBe('orders-v1_2');
  });
});
