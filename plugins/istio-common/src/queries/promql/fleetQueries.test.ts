import {
  buildFleetHealthQuery,
  fleetHealthKey,
  fleetHealthOf,
} from './fleetQueries';

const sample = (
  namespace: string,
  service: string,
  code: string,
  value: number | null,
) => ({
  labels: {
    destination_service_namespace: namespace,
    destination_service_name: service,
    response_code: code,
  },
  value,
});

describe('buildFleetHealthQuery', () => {
  it('asks once for every service, grouped by service and response code', () => {
    expect(
      buildFleetHealthQuery(
        [
          { namespace: 'shop', service: 'orders' },
          { namespace: 'shop', service: 'payments' },
          { namespace: 'finance', service: 'orders' },
        ],
        '5m',
      ),
    ).toBe(
      'sum by (destination_service_namespace, destination_service_name, response_code) ' +
        '(rate(istio_requests_total{reporter="waypoint",destination_service_namespace=~"finance|shop",destination_service_name=~"orders|payments"}[5m]))',
    );
  });

  it('escapes every value', () => {
    const q = buildFleetHealthQuery(
      [{ namespace: 'a"b', service: 'x|y.*' }],
      '1m',
    );
    expect(q).toContain('destination_service_namespace=~"a\\"b"');
    expect(q).toContain('destination_service_name=~"x\\\\|y\\\\.\\\\*"');
  });

  it('refuses an empty page, a bad window and a target without a name', () => {
    expect(() => buildFleetHealthQuery([], '5m')).toThrow(/1 to 500/);
    expect(() =>
      buildFleetHealthQuery([{ namespace: 'a', service: 'b' }], '5m)'),
    ).toThrow(/window/);
    expect(() =>
      buildFleetHealthQuery([{ namespace: 'a', service: '' }], '5m'),
    ).toThrow(/namespace and a service/);
  });
});

describe('fleetHealthOf', () => {
  const targets = [
    { namespace: 'shop', service: 'orders' },
    { namespace: 'shop', service: 'payments' },
    { namespace: 'shop', service: 'idle' },
    { namespace: 'shop', service: 'dark' },
  ];

  it('grades each service from its own series, as gradeHealth does', () => {
    const health = fleetHealthOf(targets, [
      sample('shop', 'orders', '200', 9),
      sample('shop', 'orders', '503', 1),
      sample('shop', 'payments', '200', 10),
      sample('shop', 'idle', '200', 0),
      // Same name in another namespace: part of the query's cross product only
      sample('finance', 'dark', '500', 5),
    ]);
    expect(health.get(fleetHealthKey(targets[0]))).toEqual({
      grade: 'failure',
      rps: 10,
      errorRatio5xx: 0.1,
      errorRatio4xx: 0,
    });
    expect(health.get('shop/payments')?.grade).toBe('healthy');
    expect(health.get('shop/idle')?.grade).toBe('no-traffic');
    expect(health.get('shop/dark')).toEqual({
      grade: 'unknown',
      rps: null,
      errorRatio5xx: null,
      errorRatio4xx: null,
    });
  });

  it('counts 4xx apart from 5xx', () => {
    const health = fleetHealthOf(
      [targets[0]],
      [sample('shop', 'orders', '200', 7), sample('shop', 'orders', '404', 3)],
    );
    expect(health.get('shop/orders')).toMatchObject({
      grade: 'failure',
      errorRatio4xx: 0.3,
      errorRatio5xx: 0,
    });
  });
});
