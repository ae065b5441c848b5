import { spawnSync } from 'node:child_process';
import { startSandbox, Sandbox } from '../startSandbox';
import { SpanStore } from './spanStore';
import { TrafficSimulator } from './simulator';
import { trafficSchema } from './trafficConfig';
import { METRICS } from './istioMetrics';
import { KubeObject } from '../kube/types';

jest.setTimeout(30000);

const ms = 'microservices';

async function getJson(url: string) {
  const response = await fetch(url);
  return {
    status: response.status,
    body: response.ok ? await response.json() : await response.text(),
  };
}

describe('telemetry', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({
      tickMs: 50,
      traffic: {
        samplingPercent: 100,
        edges: [
          {
            source: { namespace: ms, workload: 'frontend' },
            destination: { namespace: ms, service: 'orders' },
            rps: 40,
            latencyMs: 30,
            errorRatio: 0.25,
            paths: ['/api/orders'],
          },
          {
            source: { namespace: ms, workload: 'orders' },
            destination: { namespace: ms, service: 'payments' },
            rps: 20,
            latencyMs: 300,
            paths: ['/api/charges'],
          },
          {
            source: { namespace: 'reporting', workload: 'reports' },
            destination: { namespace: ms, service: 'orders' },
            rps: 10,
            latencyMs: 50,
          },
        ],
      },
    });
    await new Promise(resolve => setTimeout(resolve, 1200));
  });

  afterAll(async () => {
    await sandbox.stop();
  });

  /**
   * Five seconds of one edge into orders with the given Istio objects in the
   * store; they are removed again afterwards.
   */
  const fiveSecondsIntoOrders = (options: {
    from: { namespace: string; workload: string };
    rps: number;
    t0: number;
    objects: Array<{ resource: string; object: KubeObject }>;
    spans?: SpanStore;
  }) => {
    const simulator = new TrafficSimulator(
      sandbox.store,
      options.spans ?? new SpanStore(10),
      trafficSchema.parse({
        edges: [
          {
            source: options.from,
            destination: { namespace: ms, service: 'orders' },
            rps: options.rps,
          },
        ],
      }),
      'service',
      options.t0,
    );
    for (const { resource, object } of options.objects) {
      sandbox.store.create(resource, object);
    }
    try {
      simulator.advance(options.t0 + 5000);
    } finally {
      for (const { resource, object } of options.objects) {
        sandbox.store.delete(resource, ms, object.metadata.name);
      }
    }
    return simulator;
  };

  it('serves Istio metrics that promtool parses, with only the Istio unit-name lint', async () => {
    const response = await fetch(sandbox.metricsUrl);
    expect(response.headers.get('content-type')).toContain(
      'text/plain; version=0.0.4',
    );
    const text = await response.text();
    const check = spawnSync('promtool', ['check', 'metrics'], {
      input: text,
      encoding: 'utf8',
    });
    if (check.error) {
      throw new Error(
        'promtool is missing: apt-get install -y --no-install-recommends prometheus',
      );
    }
    const findings = `${check.stdout}${check.stderr}`
      .trim()
      .split('\n')
      .filter(Boolean);
    // exit 3 = lint findings only (1 would be a parse error)
    expect([0, 3]).toContain(check.status);
    expect(findings).toEqual([
      'istio_request_duration_milliseconds use base unit "seconds" instead of "milliseconds"',
    ]);
    expect(text).toContain('# TYPE istio_tcp_connections_opened_total counter');
    expect(text).toContain(
      '# TYPE istio_request_duration_milliseconds histogram',
    );
  });

  it('labels ztunnel series by capture state and adds waypoint series only through a ready waypoint', () => {
    sandbox.traffic.advance();
    const opened = sandbox.traffic.metrics.seriesOf(METRICS.tcpOpened);
    const fromReports = opened.filter(
      s => s.labels.source_workload === 'reports',
    );
    expect(
      fromReports.map(s => [
        s.labels.reporter,
        s.labels.connection_security_policy,
      ]),
    ).toEqual([['destination', 'unknown']]);
    expect(fromReports[0].labels.source_principal).toBe('unknown');
    const fromFrontend = opened.filter(
      s => s.labels.source_workload === 'frontend',
    );
    // Through the waypoint, the destination ztunnel knows the source by the
    // connection's source IP: the waypoint (istio/ztunnel 1.28.0 src/proxy/inbound.rs)
    expect(fromFrontend.map(s => s.labels.reporter).sort()).toEqual(['source']);
    const intoOrders = opened.filter(
      s =>
        s.labels.reporter === 'destination' &&
        s.labels.destination_service_name === 'orders' &&
        s.labels.connection_security_policy === 'mutual_tls',
    );
    expect(intoOrders.map(s => s.labels.source_workload)).toEqual(['waypoint']);
    expect(intoOrders[0].labels.source_principal).toBe(
      'spiffe://cluster.local/ns/microservices/sa/waypoint',
    );
    expect(
      fromFrontend.every(
        s => s.labels.connection_security_policy === 'mutual_tls',
      ),
    ).toBe(true);
    // the source ztunnel sends to the waypoint
    expect(
      fromFrontend.find(s => s.labels.reporter === 'source')?.labels
        .destination_workload,
    ).toBe('waypoint');

    const requests = sandbox.traffic.metrics.seriesOf(METRICS.requests);
    expect(new Set(requests.map(s => s.labels.reporter))).toEqual(
      new Set(['waypoint']),
    );
    // reports is not captured: it bypasses the waypoint, so no L7 series for it
    expect(requests.some(s => s.labels.source_workload === 'reports')).toBe(
      false,
    );
    const codes = new Set(
      requests
        .filter(s => s.labels.destination_service_name === 'orders')
        .map(s => s.labels.response_code),
    );
    expect(codes).toEqual(new Set(['200', '503']));
  });

  it('grows counters at exactly the configured rate', () => {
    const config = trafficSchema.parse({
      edges: [
        {
          source: { namespace: ms, workload: 'frontend' },
          destination: { namespace: ms, service: 'inventory' },
          rps: 7.5,
          errorRatio: 0.1,
        },
      ],
    });
    const t0 = 1_000_000;
    const simulator = new TrafficSimulator(
      sandbox.store,
      new SpanStore(10),
      config,
      'service',
      t0,
    );
    for (let t = t0; t <= t0 + 20_000; t += 250) simulator.advance(t);
    const total = simulator.metrics
      .seriesOf(METRICS.requests)
      .reduce((sum, s) => sum + s.value, 0);
    const errors = simulator.metrics
      .seriesOf(METRICS.requests)
      .filter(s => s.labels.response_code === '503')
      .reduce((sum, s) => sum + s.value, 0);
    expect(total).toBe(150);
    expect(errors).toBe(15);
    const opened = simulator.metrics
      .seriesOf(METRICS.tcpOpened)
      .filter(s => s.labels.reporter === 'destination');
    expect(opened.reduce((sum, s) => sum + s.value, 0)).toBe(150);
  });

  it('denies plaintext into a STRICT namespace with response_flags="DENY"', () => {
    const config = trafficSchema.parse({
      edges: [
        {
          source: { namespace: 'reporting', workload: 'reports' },
          destination: { namespace: ms, service: 'orders' },
          rps: 4,
        },
      ],
    });
    const t0 = 2_000_000;
    const simulator = new TrafficSimulator(
      sandbox.store,
      new SpanStore(10),
      config,
      'service',
      t0,
    );
    sandbox.store.create('security.istio.io/peerauthentications', {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'strict', namespace: ms },
      spec: { mtls: { mode: 'STRICT' } },
    });
    try {
      simulator.advance(t0 + 5000);
    } finally {
      sandbox.store.delete(
        'security.istio.io/peerauthentications',
        ms,
        'strict',
      );
    }
    const closed = simulator.metrics.seriesOf(METRICS.tcpClosed);
    expect(
      closed.map(s => [s.labels.reporter, s.labels.response_flags, s.value]),
    ).toEqual([['destination', 'DENY', 20]]);
    expect(simulator.metrics.seriesOf(METRICS.requests)).toEqual([]);
  });

  // istio/istio 1.28.0 pilot/pkg/serviceregistry/ambient/authorization.go
  // convertPeerAuthentication: a workload policy's portLevelMtls turns into a
  // DENY of plaintext on its STRICT ports, or exempts its PERMISSIVE/DISABLE
  // ports from a STRICT parent; istio/api peer_authentication.proto: the key
  // is the workload's port (orders listens on 8080), UNSET inherits.
  describe('portLevelMtls on the destination port (ambient/authorization.go convertPeerAuthentication)', () => {
    const plaintextIntoOrders = (
      policies: Array<{ name: string; spec: Record<string, unknown> }>,
      t0: number,
    ) => {
      const simulator = fiveSecondsIntoOrders({
        from: { namespace: 'reporting', workload: 'reports' },
        rps: 4,
        t0,
        objects: policies.map(({ name, spec }) => ({
          resource: 'security.istio.io/peerauthentications',
          object: {
            apiVersion: 'security.istio.io/v1',
            kind: 'PeerAuthentication',
            metadata: { name, namespace: ms },
            spec,
          },
        })),
      });
      return simulator.metrics
        .seriesOf(METRICS.tcpClosed)
        .map(s => [s.labels.reporter, s.labels.response_flags, s.value]);
    };
    const orders = { matchLabels: { app: 'orders' } };

    it.each([
      [
        'STRICT with the only port PERMISSIVE: plaintext gets through',
        [
          {
            name: 'orders',
            spec: {
              selector: orders,
              mtls: { mode: 'STRICT' },
              portLevelMtls: { '8080': { mode: 'PERMISSIVE' } },
            },
          },
        ],
        '-',
      ],
      [
        'a STRICT namespace with the workload port DISABLE: plaintext gets through',
        [
          { name: 'strict', spec: { mtls: { mode: 'STRICT' } } },
          {
            name: 'orders',
            spec: {
              selector: orders,
              portLevelMtls: { '8080': { mode: 'DISABLE' } },
            },
          },
        ],
        '-',
      ],
      [
        'PERMISSIVE with the port STRICT: plaintext is denied',
        [
          {
            name: 'orders',
            spec: {
              selector: orders,
              mtls: { mode: 'PERMISSIVE' },
              portLevelMtls: { '8080': { mode: 'STRICT' } },
            },
          },
        ],
        'DENY',
      ],
      [
        'a PERMISSIVE entry for another port: the workload STRICT holds',
        [
          {
            name: 'orders',
            spec: {
              selector: orders,
              mtls: { mode: 'STRICT' },
              portLevelMtls: { '9090': { mode: 'PERMISSIVE' } },
            },
          },
        ],
        'DENY',
      ],
      [
        'a workload policy with mode UNSET inherits the STRICT namespace',
        [
          { name: 'strict', spec: { mtls: { mode: 'STRICT' } } },
          {
            name: 'orders',
            spec: { selector: orders, mtls: { mode: 'UNSET' } },
          },
        ],
        'DENY',
      ],
    ])('%s', (_title, policies, flags) => {
      expect(plaintextIntoOrders(policies, 3_000_000)).toEqual([
        ['destination', flags, 20],
      ]);
    });
  });

  // istio/istio 1.28.0 pilot/pkg/model/policyattachment.go ShouldAttachPolicy: a policy
  // without targetRefs never attaches to a waypoint ("waypoints never use selector"); and
  // the waypoint's pods carry istio.io/dataplane-mode=none
  // (manifests/charts/istio-control/istio-discovery/files/waypoint.yaml), so no ztunnel
  // enforces a selector policy on them either. The same DENY-all on the app's pods denies.
  it.each([
    [
      'the waypoint pods: changes nothing',
      { 'gateway.networking.k8s.io/gateway-name': 'waypoint' },
      [['destination', '-', 20]],
    ],
    [
      "orders' own pods: denies at the destination ztunnel",
      { app: 'orders' },
      [['destination', 'DENY', 20]],
    ],
  ])(
    'a DENY-all AuthorizationPolicy whose selector matches %s (policyattachment.go)',
    (_t, matchLabels, expected) => {
      const simulator = fiveSecondsIntoOrders({
        from: { namespace: ms, workload: 'frontend' },
        rps: 4,
        t0: 4_000_000,
        objects: [
          {
            resource: 'security.istio.io/authorizationpolicies',
            object: {
              apiVersion: 'security.istio.io/v1',
              kind: 'AuthorizationPolicy',
              metadata: { name: 'deny-all-selected', namespace: ms },
              spec: { selector: { matchLabels }, action: 'DENY', rules: [{}] },
            },
          },
        ],
      });
      const closed = simulator.metrics
        .seriesOf(METRICS.tcpClosed)
        .filter(s => s.labels.reporter === 'destination');
      expect(
        closed.map(s => [s.labels.reporter, s.labels.response_flags, s.value]),
      ).toEqual(expected);
      // the requests still go through the waypoint
      const viaWaypoint = simulator.metrics
        .seriesOf(METRICS.requests)
        .filter(s => s.labels.reporter === 'waypoint');
      expect(viaWaypoint.reduce((sum, s) => sum + s.value, 0)).toBe(20);
    },
  );

  // The waypoint samples its requests as its Telemetry resources say
  // (../istio/waypointTracing.ts, pilot/pkg/model/telemetry.go 1.28.0) when the
  // traffic does not force a percentage; the seed's mesh-default says 10.
  it.each([
    [0, 0],
    [100, 40],
  ])(
    'a Telemetry targeting the waypoint Gateway with %s %% sampling gives %s spans for 40 requests',
    (percent, spans) => {
      const store = new SpanStore(100);
      fiveSecondsIntoOrders({
        from: { namespace: ms, workload: 'frontend' },
        rps: 8,
        t0: 5_000_000,
        spans: store,
        objects: [
          {
            resource: 'telemetry.istio.io/telemetries',
            object: {
              apiVersion: 'telemetry.istio.io/v1',
              kind: 'Telemetry',
              metadata: { name: 'waypoint-tracing', namespace: ms },
              spec: {
                targetRefs: [
                  {
                    group: 'gateway.networking.k8s.io',
                    kind: 'Gateway',
                    name: 'waypoint',
                  },
                ],
                tracing: [{ randomSamplingPercentage: percent }],
              },
            },
          },
        ],
      });
      expect(store.size).toBe(spans);
    },
  );

  describe('Tempo API', () => {
    const search = (q: string, extra = '') =>
      getJson(
        `${sandbox.tempoUrl}/api/search?q=${encodeURIComponent(
          q,
        )}&limit=50${extra}`,
      );

    it('answers health and buildinfo', async () => {
      expect(await (await fetch(`${sandbox.tempoUrl}/ready`)).text()).toBe(
        'ready',
      );
      expect(await (await fetch(`${sandbox.tempoUrl}/api/echo`)).text()).toBe(
        'echo',
      );
      expect(
        (await getJson(`${sandbox.tempoUrl}/api/status/buildinfo`)).body
          .version,
      ).toMatch(/^2\./);
    });

    it('searches by service name, status code regex and duration', async () => {
      const byService = await search(
        '{ resource.service.name = "payments.microservices.svc.cluster.local" }',
        '&spss=2',
      );
      expect(byService.status).toBe(200);
      expect(byService.body.traces.length).toBeGreaterThan(0);
      for (const trace of byService.body.traces) {
        expect(trace).toMatchObject({
          rootServiceName: 'payments.microservices.svc.cluster.local',
          traceID: expect.stringMatching(/^[0-9a-f]{32}$/),
        });
        expect(typeof trace.startTimeUnixNano).toBe('string');
        expect(trace.spanSets[0].spans.length).toBeLessThanOrEqual(2);
      }
      const errors = await search(
        '{ resource.service.name = "orders.microservices.svc.cluster.local" && span.http.status_code =~ "5.." }',
      );
      expect(errors.body.traces.length).toBeGreaterThan(0);
      for (const trace of errors.body.traces) {
        const code = trace.spanSets[0].spans[0].attributes.find(
          (a: any) => a.key === 'http.status_code',
        );
        expect(code.value.stringValue).toBe('503');
      }
      const slow = await search('{ duration > 100ms }');
      expect(slow.body.traces.length).toBeGreaterThan(0);
      const slowSpans = slow.body.traces.flatMap(
        (t: any) => t.spanSets[0].spans,
      );
      expect(
        slowSpans.every((span: any) => Number(span.durationNanos) > 100e6),
      ).toBe(true);
      expect(
        slow.body.traces.some((t: any) =>
          t.rootServiceName.startsWith('payments'),
        ),
      ).toBe(true);
      const none = await search('{ duration > 1h }');
      expect(none.body.traces).toEqual([]);
      const future = await search(
        '{}',
        `&start=${Math.floor(Date.now() / 1000) + 3600}`,
      );
      expect(future.body.traces).toEqual([]);
      const limited = await getJson(
        `${sandbox.tempoUrl}/api/search?q=${encodeURIComponent('{}')}&limit=3`,
      );
      expect(limited.body.traces).toHaveLength(3);
      const bad = await search('{ resource.service.name = }');
      expect(bad.status).toBe(400);
    });

    it('returns a trace by id in the v1 and v2 shapes, 404 when unknown', async () => {
      const { body } = await search('{}');
      const id = body.traces[0].traceID;
      const v1 = await getJson(`${sandbox.tempoUrl}/api/traces/${id}`);
      const span = v1.body.batches[0].scopeSpans[0].spans[0];
      expect(Buffer.from(span.traceId, 'base64').toString('hex')).toBe(id);
      expect(span.attributes).toContainEqual({
        key: 'istio.canonical_service',
        value: { stringValue: 'waypoint' },
      });
      const v2 = await getJson(`${sandbox.tempoUrl}/api/v2/traces/${id}`);
      expect(v2.body.trace.resourceSpans[0].resource.attributes).toContainEqual(
        {
          key: 'service.name',
          value: {
            stringValue: expect.stringMatching(/\.svc\.cluster\.local$/),
          },
        },
      );
      expect(
        (await fetch(`${sandbox.tempoUrl}/api/traces/${'0'.repeat(32)}`))
          .status,
      ).toBe(404);
    });

    it('switches span service names to the 1.24-1.27 scheme', async () => {
      const response = await fetch(`${sandbox.adminUrl}/spans/scheme`, {
        method: 'PUT',
        body: JSON.stringify({ scheme: 'waypoint' }),
      });
      expect(response.status).toBe(200);
      await new Promise(resolve => setTimeout(resolve, 300));
      const { body } = await search(
        '{ resource.service.name = "waypoint.microservices" }',
      );
      expect(body.traces.length).toBeGreaterThan(0);
      const invalid = await fetch(`${sandbox.adminUrl}/spans/scheme`, {
        method: 'PUT',
        body: JSON.stringify({ scheme: 'pod' }),
      });
      expect(invalid.status).toBe(400);
      expect((await invalid.json()).error).toContain('scheme');
    });
  });

  it('takes fault rules through the admin endpoint and logs requests', async () => {
    const invalid = await fetch(`${sandbox.adminUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/api/search', status: 42 }),
    });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error).toMatch(/^status:/);
    const created = await fetch(`${sandbox.adminUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({
        server: 'tempo',
        method: 'GET',
        path: '/api/search',
        status: 500,
        message: 'tempo is down',
      }),
    });
    expect(created.status).toBe(201);
    const rule = await created.json();
    const failed = await fetch(`${sandbox.tempoUrl}/api/search?q=%7B%7D`);
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe('tempo is down');
    expect(
      (
        await fetch(`${sandbox.adminUrl}/faults/${rule.id}`, {
          method: 'DELETE',
        })
      ).status,
    ).toBe(200);
    expect(
      (await fetch(`${sandbox.tempoUrl}/api/search?q=%7B%7D`)).status,
    ).toBe(200);
    const log = await getJson(`${sandbox.adminUrl}/requests?server=tempo`);
    const searches = log.body.filter(
      (e: any) => e.path === '/api/search' && e.query === 'q=%7B%7D',
    );
    expect(searches.map((e: any) => e.status)).toEqual([500, 200]);
  });
});
