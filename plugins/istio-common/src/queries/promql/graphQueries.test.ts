import { buildTrafficGraphQueries, mergePeerTraffic } from './graphQueries';

// Label names and reporters follow istio-ambient.md §5 (ztunnel src/proxy/metrics.rs,
// Istio's waypoint reporter): callers behind a waypoint come from reporter="waypoint"
describe('buildTrafficGraphQueries', () => {
  it('selects the callers of the service and the services its workloads call', () => {
    const q = buildTrafficGraphQueries(
      { service: 'orders', namespace: 'microservices' },
      '5m',
    );
    expect(q.inboundRequests).toBe(
      'sum by (source_workload, source_workload_namespace, connection_security_policy) (rate(istio_requests_total{reporter="waypoint",destination_service_name="orders",destination_service_namespace="microservices"}[5m]))',
    );
    expect(q.inboundErrors).toContain('response_code=~"5.."');
    expect(q.inboundConnectionsBySource).toContain(
      'istio_tcp_connections_opened_total{reporter="source",destination_service_name="orders"',
    );
    expect(q.outboundRequests).toBe(
      'sum by (destination_service_name, destination_service_namespace, connection_security_policy) (rate(istio_requests_total{reporter="waypoint",source_canonical_service="orders",source_workload_namespace="microservices"}[5m]))',
    );
    expect(q.outboundConnections).toContain(
      'reporter="source",source_canonical_service="orders"',
    );
  });

  it('escapes every value and refuses a bad window or an empty name', () => {
    const q = buildTrafficGraphQueries(
      { service: 'a"}or vector(1)', namespace: 'n\\s' },
      '1m',
    );
    expect(q.inboundRequests).toContain(
      'destination_service_name="a\\"}or vector(1)",destination_service_namespace="n\\\\s"',
    );
    expect(() =>
      buildTrafficGraphQueries({ service: 'orders', namespace: 'x' }, '5m]'),
    ).toThrow(/window/i);
    expect(() =>
      buildTrafficGraphQueries({ service: '', namespace: 'x' }, '5m'),
    ).toThrow('service must not be empty');
  });
});

describe('mergePeerTraffic', () => {
  it('gives a peer with requests an L7 edge, and one seen only by ztunnel an L4 edge', () => {
    const peers = mergePeerTraffic({
      side: 'inbound',
      requests: [
        {
          labels: {
            source_workload: 'frontend',
            source_workload_namespace: 'ms',
            connection_security_policy: 'mutual_tls',
          },
          value: 18,
        },
        {
          labels: {
            source_workload: 'frontend',
            source_workload_namespace: 'ms',
            connection_security_policy: 'unknown',
          },
          value: 2,
        },
      ],
      errors: [
        {
          labels: {
            source_workload: 'frontend',
            source_workload_namespace: 'ms',
          },
          value: 1,
        },
      ],
      connections: [
        {
          labels: {
            source_workload: 'batch',
            source_workload_namespace: 'legacy',
            connection_security_policy: 'unknown',
          },
          value: 0.5,
        },
        {
          labels: {
            source_workload: 'idle',
            source_workload_namespace: 'legacy',
          },
          value: 0,
        },
      ],
    });
    expect(peers).toEqual([
      {
        name: 'frontend',
        namespace: 'ms',
        layer: 'L7',
        rate: 20,
        errorRatio: 0.05,
        mtlsShare: 0.9,
      },
      {
        name: 'batch',
        namespace: 'legacy',
        layer: 'L4',
        rate: 0.5,
        errorRatio: null,
        mtlsShare: 0,
      },
    ]);
  });
});
