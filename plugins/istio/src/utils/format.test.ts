import { formatBytesRate, formatMs, formatPercent, formatRate } from './format';

describe('format', () => {
  it.each([
    [null, 'n/a'],
    [0, '0 %'],
    [1, '100 %'],
    [0.0123, '1.23 %'],
    [0.5, '50.0 %'],
  ])('formatPercent(%p) is %p', (share, text) => {
    expect(formatPercent(share)).toBe(text);
  });

  it.each([
    [null, 'n/a'],
    [0, '0.0/s'],
    [2.345, '2.35/s'],
    [123.45, '123.5/s'],
  ])('formatRate(%p) is %p', (value, text) => {
    expect(formatRate(value)).toBe(text);
  });

  it.each([
    [null, 'n/a'],
    [4.56, '4.6 ms'],
    [42.4, '42 ms'],
    [1250, '1.25 s'],
  ])('formatMs(%p) is %p', (value, text) => {
    expect(formatMs(value)).toBe(text);
  });

  it.each([
    [null, 'n/a'],
    [512, '512 B/s'],
    [1536, '1.5 KiB/s'],
  ])('formatBytesRate(%p) is %p', (value, text) => {
    expect(formatBytesRate(value)).toBe(text);
  });
});
