import {
  DEFAULT_HEALTH_THRESHOLDS,
  gradeErrorRatio,
  gradeHealth,
  HealthThresholds,
} from './health';

describe('gradeHealth with Kiali defaults', () => {
  it.each([
    // rps, 5xx, 4xx, grade
    [10, 0, 0, 'healthy'],
    [10, 0.0001, 0, 'degraded'], // any 5xx degrades
    [10, 0.0999, 0, 'degraded'],
    [10, 0.1, 0, 'failure'], // 10 % 5xx fails
    [10, 0.5, 0, 'failure'],
    [10, 0, 0.0999, 'healthy'], // 4xx below 10 % is fine
    [10, 0, 0.1, 'degraded'],
    [10, 0, 0.1999, 'degraded'],
    [10, 0, 0.2, 'failure'],
    [10, 0.01, 0.25, 'failure'], // worst of both
    [10, 0.2, 0.15, 'failure'],
    [10, null, 0.15, 'degraded'], // one known ratio is enough
    [10, null, null, 'unknown'],
    [null, null, null, 'unknown'],
    [0, null, null, 'no-traffic'],
    [0, 0.5, 0.5, 'no-traffic'],
    [10, Number.NaN, 0, 'healthy'],
  ] as const)('rps %p, 5xx %p, 4xx %p -> %s', (rps, e5, e4, grade) => {
    expect(gradeHealth({ rps, errorRatio5xx: e5, errorRatio4xx: e4 })).toBe(
      grade,
    );
  });
});

describe('gradeHealth with configured thresholds', () => {
  const lenient: HealthThresholds = {
    errorRatio5xx: { degraded: 0.05, failure: 0.25 },
    errorRatio4xx: { degraded: 0.3, failure: 0.5 },
  };

  it.each([
    [0.01, 0.2, 'healthy'],
    [0.05, 0, 'degraded'],
    [0.25, 0, 'failure'],
    [0, 0.3, 'degraded'],
    [0, 0.5, 'failure'],
  ] as const)('5xx %p, 4xx %p -> %s', (e5, e4, grade) => {
    expect(
      gradeHealth({ rps: 1, errorRatio5xx: e5, errorRatio4xx: e4 }, lenient),
    ).toBe(grade);
  });

  it.each([
    [{ degraded: 0.2, failure: 0.1 }],
    [{ degraded: -0.1, failure: 0.1 }],
    [{ degraded: 0, failure: 0 }],
    [{ degraded: 0, failure: 10 }], // percent instead of ratio
    [{ degraded: Number.NaN, failure: 0.1 }],
  ])('refuses the thresholds %j', bad => {
    expect(() =>
      gradeHealth(
        { rps: 1, errorRatio5xx: 0, errorRatio4xx: 0 },
        { ...DEFAULT_HEALTH_THRESHOLDS, errorRatio5xx: bad },
      ),
    ).toThrow(/Invalid health thresholds for errorRatio5xx/);
  });
});

describe('gradeErrorRatio', () => {
  it('treats a non-zero degraded threshold as inclusive', () => {
    expect(gradeErrorRatio(0.1, { degraded: 0.1, failure: 0.2 })).toBe(
      'degraded',
    );
    expect(gradeErrorRatio(0, { degraded: 0.1, failure: 0.2 })).toBe('healthy');
  });
});
