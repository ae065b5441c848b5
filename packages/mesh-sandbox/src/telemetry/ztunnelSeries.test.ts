import { KEYS } from '../controllers/keys';
import { startSandbox, Sandbox } from '../startSandbox';
import {
  ORDERS_FROM_FRONTEND_SOURCE_OPENED,
  ORDERS_FROM_WAYPOINT_OPENED,
  PRODUCTPAGE_DENIED_CLOSED,
  PRODUCTPAGE_DENIED_OPENED,
  PRODUCTPAGE_PLAINTEXT_OPENED,
} from './__fixtures__/ztunnelSeries';
import { METRICS } from './istioMetrics';
import { TrafficSimulator } from './simulator';
import { SpanStore } from './spanStore';
import { trafficSchema } from './trafficConfig';

jest.setTimeout(30000);

const ms = 'microservices';
const AP = 'security.istio.io/authorizationpolicies';

describe('ztunnel series of the demo (istio/ztunnel 1.28.0 src/proxy/metrics.rs, inbound.rs, outbound.rs)', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ traffic: { edges: [] } });
  });

  afterAll(async () => {
    await sandbox.stop();
  });

  function simulate(
    edges: unknown[],
    seconds = 5,
  ): TrafficSimulator['metrics'] {
    const t0 = 1_000_000;
    const simulator = new TrafficSimulator(
      sandbox.store,
      new SpanStore(10),
      trafficSchema.parse({ edges }),
      'service',
      t0,
    );
    simulator.advance(t0 + seconds * 1000);
    return simulator.metrics;
  }

  const frontendToProductpage = {
    source: { namespace: ms, workload: 'frontend' },
    destination: { namespace: 'bookinfo', service: 'productpage' },
    rps: 4,
  };
  const reportsToProductpage = {
    source: { namespace: 'reporting', workload: 'reports' },
    destination: { namespace: 'bookinfo', service: 'productpage' },
    rps: 2,
  };

  it('names the Deployment productpage-v1, not the Service, as destination_workload (pkg/kube/util.go GetDeployMetaFromPod)', () => {
    const metrics = simulate([reportsToProductpage]);
    const opened = metrics.seriesOf(METRICS.tcpOpened);
    expect(opened).toEqual([
      { labels: PRODUCTPAGE_PLAINTEXT_OPENED, value: 10 },
    ]);
  });

  // seed/bookinfo.ts: DENY from namespaces [microservices] to ports [9080] + methods
  // [DELETE]; istiod drops methods (pilot/pkg/serviceregistry/ambient/authorization.go)
  it('denies every connection matching the L4 part of the mixed L4/L7 DENY, DENY on the destination closed counter only', () => {
    const metrics = simulate([frontendToProductpage]);
    const closed = metrics.seriesOf(METRICS.tcpClosed);
    expect(closed).toContainEqual({
      labels: PRODUCTPAGE_DENIED_CLOSED,
      value: 20,
    });
    expect(metrics.seriesOf(METRICS.tcpOpened)).toContainEqual({
      labels: PRODUCTPAGE_DENIED_OPENED,
      value: 20,
    });
    // the source ztunnel records its side without a flag (outbound.rs record(res))
    const source = closed.filter(s => s.labels.reporter === 'source');
    expect(source.map(s => [s.labels.response_flags, s.value])).toEqual([
      ['-', 20],
    ]);
    // denied: no byte flowed
    const bytes = metrics
      .seriesOf(METRICS.tcpSent)
      .reduce((sum, s) => sum + s.value, 0);
    expect(bytes).toBe(0);
  });

  it('reports callers behind the waypoint as the waypoint on the destination side, and the waypoint as destination on the source side', () => {
    const metrics = simulate([
      {
        source: { namespace: ms, workload: 'frontend' },
        destination: { namespace: ms, service: 'orders' },
        rps: 2,
      },
    ]);
    const opened = metrics.seriesOf(METRICS.tcpOpened);
    expect(opened).toEqual(
      expect.arrayContaining([
        { labels: ORDERS_FROM_WAYPOINT_OPENED, value: 10 },
        { labels: ORDERS_FROM_FRONTEND_SOURCE_OPENED, value: 10 },
      ]),
    );
    expect(opened).toHaveLength(2);
    // the waypoint's L7 series name the real caller and the backend workload
    const requests = metrics.seriesOf(METRICS.requests);
    expect(new Set(requests.map(s => s.labels.source_workload))).toEqual(
      new Set(['frontend']),
    );
    expect(new Set(requests.map(s => s.labels.destination_workload))).toEqual(
      new Set(['orders']),
    );
  });

  // istio/ztunnel src/state.rs assert_rbac: an ALLOW whose rules were all dropped
  // (L7, authorization.go handleRule) matches nothing, so everything is denied
  it('denies everything behind an ALLOW of only L7 rules, and a caller that no ALLOW matches', () => {
    const allow = {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'allow-get', namespace: 'bookinfo' },
      spec: {
        selector: { matchLabels: { app: 'productpage' } },
        action: 'ALLOW',
        rules: [{ to: [{ operation: { methods: ['GET'] } }] }],
      },
    };
    sandbox.store.create(AP, allow);
    try {
      const metrics = simulate([reportsToProductpage]);
      const closed = metrics.seriesOf(METRICS.tcpClosed);
      expect(
        closed.map(s => [s.labels.reporter, s.labels.response_flags]),
      ).toEqual([['destination', 'DENY']]);
    } finally {
      sandbox.store.delete(AP, 'bookinfo', 'allow-get');
    }
  });

  // ztunnel src/state.rs assert_rbac: namespace policies apply to every workload
  // of the namespace, selector policies only to the pods they select
  it('applies a namespace-wide allow-nothing policy, and a selector policy only to the pods it selects', () => {
    const flagsOf = () =>
      simulate([reportsToProductpage])
        .seriesOf(METRICS.tcpClosed)
        .map(s => s.labels.response_flags);
    sandbox.store.create(AP, {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'allow-nothing-elsewhere', namespace: 'bookinfo' },
      spec: { selector: { matchLabels: { app: 'details' } } },
    });
    try {
      expect(flagsOf()).toEqual(['-']);
      sandbox.store.create(AP, {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: 'allow-nothing', namespace: 'bookinfo' },
        spec: {},
      });
      expect(flagsOf()).toEqual(['DENY']);
    } finally {
      sandbox.store.delete(AP, 'bookinfo', 'allow-nothing-elsewhere');
      sandbox.store.delete(AP, 'bookinfo', 'allow-nothing');
    }
  });

  it('lets plaintext callers through the mixed DENY (no identity, no namespace to match)', () => {
    const metrics = simulate([reportsToProductpage]);
    const flags = metrics
      .seriesOf(METRICS.tcpClosed)
      .map(s => s.labels.response_flags);
    expect(flags).toEqual(['-']);
  });

  it('fails the waypoint requests whose upstream the destination ztunnel denies', () => {
    const deny = {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'deny-waypoint', namespace: ms },
      spec: {
        selector: { matchLabels: { app: 'payments' } },
        action: 'DENY',
        rules: [
          {
            from: [
              {
                source: {
                  principals: ['cluster.local/ns/microservices/sa/waypoint'],
                },
              },
            ],
          },
        ],
      },
    };
    sandbox.store.create(AP, deny);
    try {
      const metrics = simulate([
        {
          source: { namespace: ms, workload: 'orders' },
          destination: { namespace: ms, service: 'payments' },
          rps: 2,
        },
      ]);
      const destination = metrics
        .seriesOf(METRICS.tcpClosed)
        .filter(s => s.labels.reporter === 'destination');
      expect(
        destination.map(s => [
          s.labels.source_workload,
          s.labels.response_flags,
          s.value,
        ]),
      ).toEqual([['waypoint', 'DENY', 10]]);
      const codes = metrics
        .seriesOf(METRICS.requests)
        .map(s => s.labels.response_code);
      expect(new Set(codes)).toEqual(new Set(['503']));
    } finally {
      sandbox.store.delete(AP, ms, 'deny-waypoint');
    }
  });

  it('has no reporter="source" series for an ingress that no ztunnel captures, even through the waypoint', () => {
    const frontend = sandbox.store.get(KEYS.services, ms, 'frontend')!;
    sandbox.store.update(KEYS.services, {
      ...frontend,
      metadata: {
        ...frontend.metadata,
        labels: {
          ...frontend.metadata.labels,
          'istio.io/ingress-use-waypoint': 'true',
        },
      },
    });
    try {
      const metrics = simulate([
        {
          source: { namespace: 'traefik', workload: 'traefik' },
          destination: { namespace: ms, service: 'frontend' },
          rps: 2,
          ingress: true,
        },
      ]);
      const opened = metrics.seriesOf(METRICS.tcpOpened);
      expect(
        opened.map(s => [s.labels.reporter, s.labels.source_workload]),
      ).toEqual([['destination', 'waypoint']]);
      expect(metrics.seriesOf(METRICS.requests).length).toBeGreaterThan(0);
    } finally {
      const current = sandbox.store.get(KEYS.services, ms, 'frontend')!;
      const labels = { ...current.metadata.labels };
      delete labels['istio.io/ingress-use-waypoint'];
      sandbox.store.update(KEYS.services, {
        ...current,
        metadata: { ...current.metadata, labels },
      });
    }
  });
});
