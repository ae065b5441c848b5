import {
  gradeMtls,
  gradingMode,
  MtlsGradeInput,
  plaintextPorts,
} from './mtlsGrade';
import type { ConfiguredMtls } from './types';

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

// Port-level grading follows istio/istio 1.28.0
// pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go convertPeerAuthentication:
// a STRICT policy with a PERMISSIVE port lets plaintext in on that workload port.
describe('gradingMode', () => {
  it.each<[string, ConfiguredMtls, string]>([
    [
      'no ports listed: the policy mode',
      { mode: 'STRICT', source: 'namespace' },
      'STRICT',
    ],
    [
      "STRICT with the Service's only port PERMISSIVE",
      {
        mode: 'STRICT',
        source: 'workload',
        ports: [
          { targetPort: 8080, servicePorts: ['orders:80'], mode: 'PERMISSIVE' },
        ],
      },
      'PERMISSIVE',
    ],
    [
      'PERMISSIVE with every listed port STRICT',
      {
        mode: 'PERMISSIVE',
        source: 'workload',
        ports: [
          { targetPort: 8080, servicePorts: ['orders:80'], mode: 'STRICT' },
        ],
      },
      'STRICT',
    ],
    [
      'the weakest port wins',
      {
        mode: 'STRICT',
        source: 'workload',
        ports: [
          { targetPort: 8080, servicePorts: [], mode: 'PERMISSIVE' },
          { targetPort: 9090, servicePorts: [], mode: 'DISABLE' },
        ],
      },
      'DISABLE',
    ],
  ])('%s', (_name, configured, mode) => {
    expect(gradingMode(configured)).toBe(mode);
    expect(plaintextPorts(configured).length > 0).toBe(mode !== 'STRICT');
  });
});
