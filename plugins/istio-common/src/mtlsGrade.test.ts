import { gradeMtls, MtlsGradeInput } from './mtlsGrade';

describe('gradeMtls', () => {
  it.each<[MtlsGradeInput, string]>([
    [
      { mode: 'STRICT', capturedPods: 3, totalPods: 3, observedShare: null },
      'strict',
    ],
    [
      { mode: 'STRICT', capturedPods: 3, totalPods: 3, observedShare: 1 },
      'strict',
    ],
    [
      { mode: 'STRICT', capturedPods: 3, totalPods: 3, observedShare: 0.9995 },
      'strict',
    ],
    [
      { mode: 'STRICT', capturedPods: 3, totalPods: 3, observedShare: 0.8 },
      'partial',
    ],
    [
      { mode: 'STRICT', capturedPods: 2, totalPods: 3, observedShare: null },
      'partial',
    ],
    [
      { mode: 'PERMISSIVE', capturedPods: 3, totalPods: 3, observedShare: 1 },
      'partial',
    ],
    [
      { mode: 'UNSET', capturedPods: 3, totalPods: 3, observedShare: null },
      'partial',
    ],
    [
      { mode: 'STRICT', capturedPods: 0, totalPods: 3, observedShare: null },
      'none',
    ],
    [
      { mode: 'PERMISSIVE', capturedPods: 3, totalPods: 3, observedShare: 0 },
      'none',
    ],
    [
      { mode: 'UNSET', capturedPods: 0, totalPods: 0, observedShare: null },
      'unknown',
    ],
    [
      { mode: 'STRICT', capturedPods: 0, totalPods: 0, observedShare: 1 },
      'strict',
    ],
  ])('%j -> %s', (input, grade) => {
    expect(gradeMtls(input)).toBe(grade);
  });
});
