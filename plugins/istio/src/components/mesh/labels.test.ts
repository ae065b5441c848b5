import type { Diagnostic } from '@ambient-mesh/plugin-istio-common';
import { sortDiagnostics, worstDiagnostic } from './labels';

const diag = (title: string, severity: Diagnostic['severity']): Diagnostic => ({
  id: 'mtls-permissive',
  severity,
  title,
  message: title,
  evidence: [],
});

describe('diagnostic ordering', () => {
  it('puts errors first, then warnings, then infos, keeping the order within each', () => {
    const sorted = sortDiagnostics([
      diag('i1', 'info'),
      diag('w1', 'warning'),
      diag('e1', 'error'),
      diag('w2', 'warning'),
    ]);
    expect(sorted.map(d => d.title)).toEqual(['e1', 'w1', 'w2', 'i1']);
  });

  it('finds the worst diagnostic, or none', () => {
    expect(
      worstDiagnostic([diag('i', 'info'), diag('w', 'warning')])?.title,
    ).toBe('w');
    expect(worstDiagnostic([])).toBeUndefined();
  });
});
