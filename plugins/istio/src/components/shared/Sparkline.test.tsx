import { sparklinePath } from './Sparkline';

describe('sparklinePath', () => {
  it('scales the series into the box, the highest value at the top', () => {
    const path = sparklinePath(
      [
        { t: 0, v: 0 },
        { t: 10, v: 5 },
        { t: 20, v: 10 },
      ],
      100,
      20,
    );
    expect(path).toBe('M0.0,20.0L50.0,10.0L100.0,0.0');
  });

  it('breaks the line at a gap', () => {
    const path = sparklinePath(
      [
        { t: 0, v: 1 },
        { t: 1, v: 2 },
        { t: 2, v: null },
        { t: 3, v: 1 },
        { t: 4, v: 2 },
      ],
      40,
      10,
    );
    expect(path.match(/M/g)).toHaveLength(2);
  });

  it('draws nothing with fewer than two values', () => {
    expect(
      sparklinePath(
        [
          { t: 0, v: 1 },
          { t: 1, v: null },
        ],
        10,
        10,
      ),
    ).toBe('');
  });
});
