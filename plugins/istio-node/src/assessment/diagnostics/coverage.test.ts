import type {
  CheckDiagnosticId,
  DiagnosticId,
} from '@ambient-mesh/plugin-istio-common';
import { CHECK_DIAGNOSTIC_IDS } from '@ambient-mesh/plugin-istio-common';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHECK_CASES } from '../__fixtures__/checkCases';

/** The ids of the core rules; the compiler flags one that is added without being listed. */
const CORE_IDS: Record<Exclude<DiagnosticId, CheckDiagnosticId>, true> = {
  'namespace-not-found': true,
  'namespace-not-enrolled': true,
  'revision-label-on-ambient-namespace': true,
  'pods-pending': true,
  'pods-with-sidecar': true,
  'pods-not-captured': true,
  'pods-opted-out': true,
  'host-network-pods': true,
  'waypoint-missing-for-l7-policies': true,
  'waypoint-not-found': true,
  'waypoint-not-ready': true,
  'service-not-bound': true,
  'waypoint-for-mismatch': true,
  'waypoint-attachment-denied': true,
  'ingress-bypasses-waypoint': true,
  'l7-allow-on-ztunnel': true,
  'l7-deny-on-ztunnel': true,
  'l7-deny-broadened-on-ztunnel': true,
  'selector-policy-on-waypoint': true,
  'istiod-gateway-api-incompatible': true,
  'custom-action-on-ztunnel': true,
  'client-identity-rules-behind-waypoint': true,
  'request-authentication-on-ztunnel': true,
  'policy-not-accepted': true,
  'mtls-permissive': true,
  'tracing-not-configured': true,
  'tracing-default-sampling': true,
  'ztunnel-missing': true,
  'ztunnel-not-ready': true,
  'istio-cni-missing': true,
  'istiod-not-ambient': true,
  'waypoint-gatewayclass-missing': true,
  'gateway-api-crds-missing': true,
  'cilium-cni-exclusive': true,
  'cilium-bpf-masquerade': true,
  'cilium-socket-lb-host-namespace': true,
  'network-policy-blocks-hbone': true,
};

interface Row {
  row: string;
  ids: string[];
  coverage: string;
  tests: string[];
  note: string;
}

const DOC = resolve(__dirname, '../../../../../docs/checks-coverage.md');

function rows(section: string): Row[] {
  const text = readFileSync(DOC, 'utf8');
  const start = text.indexOf(`## ${section}`);
  const end = text.indexOf('\n## ', start + 1);
  return text
    .slice(start, end === -1 ? undefined : end)
    .split('\n')
    .filter(
      l =>
        l.startsWith('|') && !/^\|\s*Row\s*\|/.test(l) && !/^[\s|:-]+$/.test(l),
    )
    .map(l =>
      l
        .split('|')
        .slice(1, -1)
        .map(c => c.trim()),
    )
    .map(c => ({
      row: c[0],
      ids: [...c[4].matchAll(/`([a-z0-9-]+)`/g)].map(m => m[1]),
      coverage: c[5],
      tests: c[6] === '—' ? [] : c[6].split(',').map(t => t.trim()),
      note: c[7],
    }));
}

describe('docs/checks-coverage.md', () => {
  const upstream = rows('Upstream checks');
  const all = [...upstream, ...rows('Status istiod writes')];
  const known = new Set<string>([
    ...Object.keys(CORE_IDS),
    ...CHECK_DIAGNOSTIC_IDS,
  ]);
  const caseCodes = new Map(CHECK_CASES.map(c => [c.code, c.id]));

  it('lists the 79 ambient-relevant upstream checks once each', () => {
    expect(upstream).toHaveLength(79);
    expect(new Set(upstream.map(r => r.row)).size).toBe(79);
  });

  it('covers at least 70 of them, and gives the reason for each one that is not fully covered', () => {
    expect(
      upstream.filter(r => r.coverage === 'covered').length,
    ).toBeGreaterThanOrEqual(70);
    for (const r of upstream.filter(x => x.coverage !== 'covered')) {
      expect([r.row, r.note.length > 20]).toEqual([r.row, true]);
    }
    for (const r of upstream)
      expect(['covered', 'partial', 'not covered']).toContain(r.coverage);
  });

  it('states the totals the table adds up to', () => {
    const count = (c: string) => upstream.filter(r => r.coverage === c).length;
    expect(readFileSync(DOC, 'utf8')).toContain(
      `Totals: ${upstream.length} checks, ${count('covered')} covered, ${count(
        'partial',
      )} partial, ${count('not covered')} not covered.`,
    );
  });

  it('names only diagnostic ids the code defines', () => {
    const unknown = all.flatMap(r =>
      r.ids.filter(id => !known.has(id)).map(id => `${r.row}: ${id}`),
    );
    expect(unknown).toEqual([]);
  });

  it('names every check id the code defines', () => {
    const named = new Set(all.flatMap(r => r.ids));
    expect(CHECK_DIAGNOSTIC_IDS.filter(id => !named.has(id))).toEqual([]);
  });

  it('points every covered row at a table-test case for one of its ids', () => {
    const broken = all
      .filter(r => r.coverage !== 'not covered')
      .filter(r => {
        if (r.tests.length === 1 && r.tests[0] === 'core')
          return !r.ids.some(id => id in CORE_IDS);
        return (
          r.tests.length === 0 ||
          r.tests.some(
            t => !caseCodes.has(t) || !r.ids.includes(caseCodes.get(t)!),
          )
        );
      })
      .map(r => r.row);
    expect(broken).toEqual([]);
  });

  it('has no table-test case that the document does not name', () => {
    const named = new Set(all.flatMap(r => r.tests));
    expect(CHECK_CASES.map(c => c.code).filter(c => !named.has(c))).toEqual([]);
  });
});
