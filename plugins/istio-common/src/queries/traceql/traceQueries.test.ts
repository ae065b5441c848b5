import { HOSTILE_VALUES, skeletonOf } from '../__fixtures__/hostile';
import { buildTraceQuery, traceServiceNames } from './traceQueries';

/** Reads back the service names a TraceQL query matches on. */
function serviceNamesOf(query: string): string[] {
  const literal = /resource\.service\.name = ("(?:[^"\\\n]|\\.)*")/g;
  return [...query.matchAll(literal)].map(m => JSON.parse(m[1]));
}

describe('traceServiceNames', () => {
  it.each([
    [
      { service: 'orders', namespace: 'shop' },
      ['orders.shop.svc.cluster.local'],
    ],
    [
      { service: 'orders', namespace: 'shop', waypoint: 'waypoint' },
      ['waypoint.shop', 'orders.shop.svc.cluster.local'],
    ],
    [
      {
        service: 'orders',
        namespace: 'shop',
        waypoint: 'wp',
        waypointNamespace: 'mesh',
        clusterDomain: 'corp.local',
      },
      ['wp.mesh', 'orders.shop.svc.corp.local'],
    ],
  ])('names the spans of %j', (target, expected) => {
    expect(traceServiceNames(target)).toEqual(expected);
  });
});

describe('buildTraceQuery', () => {
  const both = ['waypoint.shop', 'orders.shop.svc.cluster.local'];

  it.each([
    [
      'recent',
      ['waypoint.shop'],
      undefined,
      '{ resource.service.name = "waypoint.shop" }',
    ],
    [
      'recent',
      both,
      undefined,
      '{ resource.service.name = "waypoint.shop" || resource.service.name = "orders.shop.svc.cluster.local" }',
    ],
    [
      'errors',
      both,
      undefined,
      '{ (resource.service.name = "waypoint.shop" || resource.service.name = "orders.shop.svc.cluster.local") && span.http.status_code =~ "5.." }',
    ],
    [
      'errors',
      ['waypoint.shop'],
      undefined,
      '{ resource.service.name = "waypoint.shop" && span.http.status_code =~ "5.." }',
    ],
    [
      'slow',
      both,
      1200,
      '{ (resource.service.name = "waypoint.shop" || resource.service.name = "orders.shop.svc.cluster.local") && duration > 1200ms }',
    ],
    [
      'slow',
      ['a'],
      undefined,
      '{ resource.service.name = "a" && duration > 500ms }',
    ],
  ] as const)('builds %s for %j (min %p ms)', (kind, names, ms, expected) => {
    expect(
      buildTraceQuery({ kind, serviceNames: names, minDurationMs: ms }),
    ).toBe(expected);
  });

  it.each(HOSTILE_VALUES)('keeps the hostile service name %j a literal', value => {
    for (const kind of ['recent', 'slow', 'errors'] as const) {
      const query = buildTraceQuery({ kind, serviceNames: [value, 'b'] });
      expect(serviceNamesOf(query)).toEqual([value, 'b']);
      expect(skeletonOf(query)).toBe(
        skeletonOf(buildTraceQuery({ kind, serviceNames: ['x', 'b'] })),
      );
    }
  });

  it.each([
    [{ kind: 'recent', serviceNames: [] }, /at least one service name/],
    [{ kind: 'slow', serviceNames: ['a'], minDurationMs: 1.5 }, /Invalid minDurationMs/],
    [{ kind: 'slow', serviceNames: ['a'], minDurationMs: -1 }, /Invalid minDurationMs/],
    [{ kind: 'all', serviceNames: ['a'] }, /Unknown trace query kind "all"/],
  ])('refuses %j', (options, error) => {
    expect(() => buildTraceQuery(options as any)).toThrow(error);
  });
});
