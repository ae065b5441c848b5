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

  const S =
    ' | select(span.http.status_code, span.http.method, span.http.url, span.http.response.status_code, span.http.request.method, span.url.full)';
  const NEWEST = ' with (most_recent=true)';
  const E = 'span.http.status_code =~ "5.."';

  it.each([
    ['recent', ['waypoint.shop'], undefined, `{ ${W} }${S}${NEWEST}`],
    ['recent', both, undefined, `{ ${W} || ${F} }${S}${NEWEST}`],
    [
      'errors',
      both,
      undefined,
      `{ (${W} && ${E}) || (${F} && ${E}) }${S}${NEWEST}`,
    ],
    ['errors', ['waypoint.shop'], undefined, `{ ${W} && ${E} }${S}${NEWEST}`],
    [
      'slow',
      both,
      1200,
      `{ (${W} && duration > 1200ms) || (${F} && duration > 1200ms) }${S}`,
    ],
    [
      'slow',
      ['a'],
      undefined,
      `{ resource.service.name = "a" && duration > 500ms }${S}`,
    ],
  ] as const)('builds %s for %j (min %p ms)', (kind, names, ms, expected) => {
    expect(
      buildTraceQuery({ kind, serviceNames: names, minDurationMs: ms }),
    ).toBe(expected);
  });

  // grafana/tempo v2.8.0 pkg/traceql/expr.y declares `%left AND OR`: one precedence
  // level, left-associative. Unparenthesized, `a && b || c && d` means
  // `((a && b) || c) && d`, which drops every span of the first service name.
  it('parenthesizes every AND-group of an OR (Tempo pkg/traceql/expr.y: %left AND OR)', () => {
    const query = buildTraceQuery({ kind: 'errors', serviceNames: both });
    const filter = /^\{ (.*) \}/.exec(query)![1];
    const groups = filter.split(' || ');
    expect(groups).toHaveLength(2);
    for (const group of groups) {
      expect(group).toMatch(/^\(.* && .*\)$/);
    }
  });

  // grafana/tempo v2.8.0 pkg/traceql/engine.go asTraceSearchMetadata: the spans of a
  // search result carry only the attributes the query fetched (conditions and select)
  it.each(['recent', 'slow', 'errors'] as const)(
    'selects the status code, method and URL for %s (Tempo pkg/traceql/engine.go)',
    kind => {
      const query = buildTraceQuery({ kind, serviceNames: both });
      expect(query).toMatch(
        /\| select\(span\.http\.status_code, span\.http\.method, span\.http\.url[,)]/,
      );
    },
  );

  // grafana/tempo v2.8.0 pkg/traceql/engine.go ExecuteSearch reads the hint
  // `most_recent`; without it a search returns the first matches found
  it.each([
    ['recent', true],
    ['errors', true],
    ['slow', false],
  ] as const)(
    '%s asks for the newest traces: %s (Tempo hint most_recent)',
    (kind, newest) => {
      const query = buildTraceQuery({ kind, serviceNames: both });
      expect(query.endsWith(' with (most_recent=true)')).toBe(newest);
    },
  );

  it('narrows the waypoint name to the service by upstream_cluster', () => {
    const U =
      'span.upstream_cluster =~ ".*\\\\|orders\\\\.shop\\\\.svc\\\\.cluster\\\\.local$"';
    expect(
      buildTraceQuery({
        kind: 'errors',
        serviceNames: both,
        serviceFqdn: 'orders.shop.svc.cluster.local',
      }),
    ).toBe(`{ (${W} && ${U} && ${E}) || (${F} && ${E}) }${S}${NEWEST}`);
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
