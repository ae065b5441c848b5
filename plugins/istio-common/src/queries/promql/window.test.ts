import { QUERY_LIMITS, normalizeDuration } from './window';

describe('normalizeDuration', () => {
  it.each([
    ['60m', '1h'],
    ['3600s', '1h'],
    ['1h', '1h'],
    ['90s', '90s'],
    ['120s', '2m'],
    ['30s', '30s'],
  ])('gives %s one cache key form: %s', (value, canonical) => {
    expect(normalizeDuration(value, QUERY_LIMITS.window)).toBe(canonical);
  });

  it.each(['29s', '61m', '999999d', '0s', '5m)', '-5m', '1.5h', ''])(
    'refuses the window %s',
    value => {
      expect(normalizeDuration(value, QUERY_LIMITS.window)).toBeUndefined();
    },
  );

  it('bounds the range to 5m..7d', () => {
    expect(normalizeDuration('168h', QUERY_LIMITS.range)).toBe('7d');
    expect(normalizeDuration('8d', QUERY_LIMITS.range)).toBeUndefined();
    expect(normalizeDuration('4m', QUERY_LIMITS.range)).toBeUndefined();
  });
});
