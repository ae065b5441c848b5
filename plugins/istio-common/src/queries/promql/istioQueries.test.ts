import {
  HOSTILE_VALUES,
  selectorsOf,
  skeletonOf,
} from '../__fixtures__/hostile';
import {
  buildWaypointQueries,
  buildZtunnelQueries,
  latencyQuantileQuery,
} from './istioQueries';
import { labelEquals } from './labels';
import { validatePromWindow } from './window';

const WAYPOINT_BASE =
  'reporter="waypoint",destination_service_name="orders",destination_service_namespace="shop"';
const ZTUNNEL_BASE =
  'reporter="destination",destination_workload_namespace="shop",destination_workload=~"orders|orders\\\\.v2"';

describe('buildWaypointQueries', () => {
  const queries = buildWaypointQueries(
    { service: 'orders', namespace: 'shop' },
    '5m',
  );

  it.each([
    ['requestRate', `sum(rate(istio_requests_total{${WAYPOINT_BASE}}[5m]))`],
    [
      'errorRatio5xx',
      `sum(rate(istio_requests_total{${WAYPOINT_BASE},response_code=~"5.."}[5m])) / sum(rate(istio_requests_total{${WAYPOINT_BASE}}[5m]))`,
    ],
    [
      'errorRatio4xx',
      `sum(rate(istio_requests_total{${WAYPOINT_BASE},response_code=~"4.."}[5m])) / sum(rate(istio_requests_total{${WAYPOINT_BASE}}[5m]))`,
    ],
    [
      'latencyP50',
      `histogram_quantile(0.5, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${WAYPOINT_BASE}}[5m])))`,
    ],
    [
      'latencyP95',
      `histogram_quantile(0.95, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${WAYPOINT_BASE}}[5m])))`,
    ],
    [
      'latencyP99',
      `histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${WAYPOINT_BASE}}[5m])))`,
    ],
    [
      'trafficBySource',
      `sum by (source_workload, source_workload_namespace) (rate(istio_requests_total{${WAYPOINT_BASE}}[5m]))`,
    ],
  ] as const)('builds %s', (name, expected) => {
    expect(queries[name]).toBe(expected);
  });

  it.each(HOSTILE_VALUES.filter(v => v !== ''))(
    'keeps the meaning of every query with the hostile value %j',
    value => {
      const hostile = buildWaypointQueries(
        { service: value, namespace: value },
        '5m',
      );
      for (const [name, query] of Object.entries(hostile)) {
        // Same structure as the benign query once string values are blanked out...
        expect(skeletonOf(query)).toBe(
          skeletonOf(queries[name as keyof typeof queries]),
        );
        // ...and every selector carries the value verbatim in exactly its own matchers.
        for (const { matchers } of selectorsOf(query)) {
          expect(matchers.slice(0, 3)).toEqual([
            ['reporter', '=', 'waypoint'],
            ['destination_service_name', '=', value],
            ['destination_service_namespace', '=', value],
          ]);
        }
      }
    },
  );

  it.each([
    [{ service: '', namespace: 'shop' }, '5m', /service must not be empty/],
    [{ service: 'a', namespace: '' }, '5m', /namespace must not be empty/],
    [{ service: 'a', namespace: 'b' }, '5m]) or up[5m', /Invalid window/],
  ])('refuses %j with window %j', (target, window, error) => {
    expect(() => buildWaypointQueries(target, window)).toThrow(error);
  });
});

describe('buildZtunnelQueries', () => {
  const queries = buildZtunnelQueries(
    { namespace: 'shop', workloads: ['orders', 'orders.v2'] },
    '1m',
  );

  it.each([
    [
      'connectionRate',
      `sum(rate(istio_tcp_connections_opened_total{${ZTUNNEL_BASE}}[1m]))`,
    ],
    [
      'receivedBytesRate',
      `sum(rate(istio_tcp_received_bytes_total{${ZTUNNEL_BASE}}[1m]))`,
    ],
    [
      'sentBytesRate',
      `sum(rate(istio_tcp_sent_bytes_total{${ZTUNNEL_BASE}}[1m]))`,
    ],
    [
      'mtlsShare',
      `sum(rate(istio_tcp_connections_opened_total{${ZTUNNEL_BASE},connection_security_policy="mutual_tls"}[1m])) / sum(rate(istio_tcp_connections_opened_total{${ZTUNNEL_BASE}}[1m]))`,
    ],
    [
      'deniedRate',
      `sum(rate(istio_tcp_connections_closed_total{${ZTUNNEL_BASE},response_flags="DENY"}[1m]))`,
    ],
    [
      'trafficBySource',
      `sum by (source_workload, source_workload_namespace) (rate(istio_tcp_connections_opened_total{${ZTUNNEL_BASE}}[1m]))`,
    ],
    [
      'plaintextBySource',
      `sum by (source_workload, source_workload_namespace) (rate(istio_tcp_connections_opened_total{${ZTUNNEL_BASE},connection_security_policy!="mutual_tls"}[1m]))`,
    ],
  ] as const)('builds %s', (name, expected) => {
    expect(queries[name]).toBe(expected);
  });

  // istio/ztunnel 1.28.0 src/proxy/metrics.rs: destination_workload is the pod's
  // controller (Deployment productpage-v1 behind Service productpage), so a
  // Service is selected by destination_service_name/_namespace
  it('selects a Service by destination_service_name and destination_service_namespace (ztunnel src/proxy/metrics.rs)', () => {
    const byService = buildZtunnelQueries(
      { namespace: 'bookinfo', service: 'productpage' },
      '1m',
    );
    expect(byService.connectionRate).toBe(
      'sum(rate(istio_tcp_connections_opened_total{reporter="destination",destination_service_name="productpage",destination_service_namespace="bookinfo"}[1m]))',
    );
    expect(byService.deniedRate).toBe(
      'sum(rate(istio_tcp_connections_closed_total{reporter="destination",destination_service_name="productpage",destination_service_namespace="bookinfo",response_flags="DENY"}[1m]))',
    );
    expect(byService.connectionRate).not.toContain('destination_workload');
  });

  // ztunnel src/proxy/inbound.rs: behind a waypoint the destination side names the
  // waypoint as source; the callers' ztunnels (reporter="source") name the callers
  it('reads the callers from reporter="source" (ztunnel src/proxy/inbound.rs, outbound.rs)', () => {
    const byService = buildZtunnelQueries(
      { namespace: 'shop', service: 'orders' },
      '1m',
    );
    expect(byService.callersBySource).toBe(
      'sum by (source_workload, source_workload_namespace) (rate(istio_tcp_connections_opened_total{reporter="source",destination_service_name="orders",destination_service_namespace="shop"}[1m]))',
    );
  });

  it('matches the whole namespace when no workload is given', () => {
    expect(
      buildZtunnelQueries({ namespace: 'shop' }, '1m').connectionRate,
    ).toBe(
      'sum(rate(istio_tcp_connections_opened_total{reporter="destination",destination_workload_namespace="shop"}[1m]))',
    );
  });

  it.each(HOSTILE_VALUES.filter(v => v !== ''))(
    'matches the hostile workload %j literally',
    value => {
      const hostile = buildZtunnelQueries(
        { namespace: value, workloads: [value] },
        '1m',
      );
      for (const query of Object.values(hostile)) {
        for (const { matchers } of selectorsOf(query)) {
          expect(matchers[1]).toEqual([
            'destination_workload_namespace',
            '=',
            value,
          ]);
          const [label, op, pattern] = matchers[2];
          expect([label, op]).toEqual(['destination_workload', '=~']);
          const anchored = new RegExp(`^(?:${pattern})$`, 's');
          expect(anchored.test(value)).toBe(true);
          expect(anchored.test(`${value}-other`)).toBe(false);
        }
      }
    },
  );
});

describe('latencyQuantileQuery', () => {
  it.each([0, 1, -0.5, 95, Number.NaN])('refuses the quantile %p', q => {
    expect(() =>
      latencyQuantileQuery(q, [labelEquals('reporter', 'waypoint')], '5m'),
    ).toThrow(/Invalid quantile/);
  });
});

describe('validatePromWindow', () => {
  it.each(['30s', '5m', '1h', '7d', '120m'])('accepts %j', w => {
    expect(validatePromWindow(w)).toBe(w);
  });
  it.each([
    '',
    '5',
    'm',
    '0m',
    '05m',
    '5ms',
    '1w',
    '5m]',
    ' 5m',
    '5m\n',
    '-1m',
    '1.5m',
  ])('refuses %j', w => {
    expect(() => validatePromWindow(w)).toThrow(/Invalid window/);
  });
});
