import {
  CHECK_DIAGNOSTIC_IDS,
  type DiagnosticFix,
} from '@ambient-mesh/plugin-istio-common';
import { assessMesh } from '../assessMesh';
import { CHECK_CASES, CheckCase } from '../__fixtures__/checkCases';
import { trafficSnapshot } from '../__fixtures__/traffic';

function fixBody(fix: DiagnosticFix | undefined): string {
  if (fix?.kind === 'yaml') return fix.yaml;
  if (fix?.kind === 'command') return fix.command;
  return JSON.stringify(fix ?? {});
}

function run(change: CheckCase['bad']) {
  const snapshot = trafficSnapshot();
  change(snapshot, snapshot.traffic!);
  return assessMesh(snapshot);
}

describe('configuration checks (one case per upstream check)', () => {
  it('raises nothing for the healthy entity with its traffic objects', () => {
    expect(assessMesh(trafficSnapshot()).diagnostics).toEqual([]);
  });

  it('has a case for every check id', () => {
    const covered = new Set(CHECK_CASES.map(c => c.id));
    expect(CHECK_DIAGNOSTIC_IDS.filter(id => !covered.has(id))).toEqual([]);
  });

  it.each(CHECK_CASES.map(c => [c.code, c.id, c] as const))(
    '%s (%s): fires on the bad shape',
    (_code, _id, c) => {
      const found = run(c.bad).diagnostics.filter(d => d.id === c.id);
      expect(found.map(d => d.object?.name)).toContain(c.object.name);
      const d = found.find(x => x.object?.name === c.object.name)!;
      expect(d.severity).toBe(c.severity);
      expect(d.object).toMatchObject(c.object);
      expect(d.evidence.join('\n')).toContain(c.evidence);
      expect(d.message.length).toBeGreaterThan(30);
      expect(d.fix?.kind).toBe(c.fix);
      expect(fixBody(d.fix)).toContain(c.fixContains ?? '');
    },
  );

  it.each(CHECK_CASES.map(c => [c.code, c.id, c] as const))(
    '%s (%s): stays quiet on the good shape',
    (_code, _id, c) => {
      expect(run(c.good).diagnostics.filter(d => d.id === c.id)).toEqual([]);
    },
  );

  it('reads nothing into a snapshot without traffic objects', () => {
    const snapshot = trafficSnapshot();
    delete snapshot.traffic;
    snapshot.services[0].spec!.ports![0].name = 'web';
    expect(assessMesh(snapshot).diagnostics.map(d => d.id)).not.toContain(
      'service-port-name-invalid',
    );
  });
});
