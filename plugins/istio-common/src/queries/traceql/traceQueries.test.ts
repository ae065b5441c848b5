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
  const W = 'resource.service.name = "waypoint.shop"';
  const F = 'resource.service.name = "orders.shop.svc.cluster.local"';

  it.each([
    ['recent', ['waypoint.shop'], undefined, `{ ${W} }`],
    ['recent', both, undefined, `{ ${W} || ${F} }`],
    [
      'errors',
      both,
      undefined,
      `{ ${W} && span.http.status_code =~ "5.." || ${F} && span.http.status_code =~ "5.." }`,
    ],
    [
      'errors',
      ['waypoint.shop'],
      undefined,
      `{ ${W} && span.http.status_code =~ "5.." }`,
    ],
    [
      'slow',
      both,
      1200,
      `{ ${W} && duration > 1200ms || ${F} && duration > 1200ms }`,
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

  it('narrows the waypoint name to the service by upstream_cluster', () => {
    const U =
      'span.upstream_cluster =~ ".*\\\\|orders\\\\.shop\\\\.svc\\\\.cluster\\\\.local$"';
    expect(
      buildTraceQuery({
        kind: 'errors',
        serviceNames: both,
        serviceFqdn: 'orders.shop.svc.cluster.local',
      }),
    ).toBe(
      `{ ${W} && ${U} && span.http.status_code =~ "5.." || ${F} && span.http.status_code =~ "5.." }`,
    );
  });

  it('writes an upstream_cluster pattern that matches the service only', () => {
    const query = buildTraceQuery({
      kind: 'recent',
      serviceNames: ['waypoint.shop'],
      serviceFqdn: 'orders.shop.svc.cluster.local',
    });
    const literal = /span\.upstream_cluster =~ ("(?:[^"\\]|\\.)*")/.exec(
      query,
    )![1];
    const pattern = new RegExp(`^(?:${JSON.parse(literal)})$`);
    expect(
      pattern.test('inbound-vip|8080|http|orders.shop.svc.cluster.local'),
    ).toBe(true);
    expect(
      pattern.test('inbound-vip|8080|http|payments.shop.svc.cluster.local'),
    ).toBe(false);
    expect(
      pattern.test('inbound-vip|8080|http|ordersXshop.svc.cluster.local'),
    ).toBe(false);
  });

  it.each(HOSTILE_VALUES)(
    'keeps the hostile service name %j a literal',
    value => {
      for (const kind of ['recent', 'slow', 'errors'] as const) {
        const query = buildTraceQuery({ kind, serviceNames: [value, 'b'] });
        expect(serviceNamesOf(query)).toEqual([value, 'b']);
        expect(skeletonOf(query)).toBe(
          skeletonOf(buildTraceQuery({ kind, serviceNames: ['x', 'b'] })),
        );
      }
    },
  );

  it.each([
    [{ kind: 'recent', serviceNames: [] }, /at least one service name/],
    [
      { kind: 'slow', serviceNames: ['a'], minDurationMs: 1.5 },
      /Invalid minDurationMs/,
    ],
    [
      { kind: 'slow', serviceNames: ['a'], minDurationMs: -1 },
      /Invalid minDurationMs/,
    ],
    [{ kind: 'all', serviceNames: ['a'] }, /Unknown trace query kind "all"/],
  ])('refuses %j', (options, error) => {
    expect(() => buildTraceQuery(options as any)).toThrow(error);
  });
});
