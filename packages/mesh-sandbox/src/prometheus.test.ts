import {
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { startPrometheus, RunningPrometheus } from './prometheus';
import { startSandbox, Sandbox } from './startSandbox';
import { eventually, kubeConfigFor } from './__testUtils__/clients';

jest.setTimeout(90000);

const ms = 'microservices';
const ORDERS_RPS = 12;

async function query(
  prometheus: RunningPrometheus,
  promql: string,
): Promise<number | undefined> {
  const response = await fetch(
    `${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`,
  );
  const body = await response.json();
  if (body.status !== 'success')
    throw new Error(`PromQL failed: ${JSON.stringify(body)}`);
  const first = body.data.result[0];
  return first ? Number(first.value[1]) : undefined;
}

describe('a real Prometheus scraping the sandbox', () => {
  let sandbox: Sandbox;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    sandbox = await startSandbox({
      traffic: {
        edges: [
          {
            source: { namespace: ms, workload: 'frontend' },
            destination: { namespace: ms, service: 'orders' },
            rps: ORDERS_RPS,
            errorRatio: 0.05,
            latencyMs: 30,
          },
          {
            source: { namespace: 'reporting', workload: 'reports' },
            destination: { namespace: ms, service: 'orders' },
            rps: 3,
            latencyMs: 80,
          },
        ],
      },
    });
    prometheus = await startPrometheus({
      scrapeUrl: sandbox.metricsUrl,
      scrapeInterval: '1s',
    });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await sandbox?.stop();
  });

  it('measures the configured request rate within 10 %', async () => {
    const selector = `reporter="waypoint",destination_service_name="orders",destination_service_namespace="${ms}",response_code="200"`;
    // wait until the 5 s window is full of scrapes
    await eventually(
      async () =>
        ((await query(
          prometheus,
          `count_over_time(istio_requests_total{${selector}}[5s])`,
        )) ?? 0) >= 5,
      30000,
      500,
    );
    const rate = await query(
      prometheus,
      `sum(rate(istio_requests_total{reporter="waypoint",destination_service_name="orders",destination_service_namespace="${ms}"}[5s]))`,
    );
    if (rate === undefined) throw new Error('no request rate for orders');
    expect(Math.abs(rate - ORDERS_RPS) / ORDERS_RPS).toBeLessThan(0.1);
    const errorRatio = await query(
      prometheus,
      `sum(increase(istio_requests_total{reporter="waypoint",destination_service_name="orders",response_code=~"5.."}[10s])) / sum(increase(istio_requests_total{reporter="waypoint",destination_service_name="orders"}[10s]))`,
    );
    expect(errorRatio).toBeGreaterThan(0);
    expect(errorRatio).toBeLessThan(0.15);
  });

  // The share of connections into orders that used mTLS, as orders' ztunnel
  // reports them. Once reporting is enrolled its calls go through the waypoint,
  // and the destination ztunnel then names the waypoint as their source
  // (istio/ztunnel 1.28.0 src/proxy/inbound.rs: source looked up by source IP)
  it('sees the mTLS share into orders go to 1 when reporting is enrolled, the callers then reported as the waypoint', async () => {
    const share = () =>
      query(
        prometheus,
        `sum(rate(istio_tcp_connections_opened_total{reporter="destination",destination_service_name="orders",connection_security_policy="mutual_tls"}[3s]) or vector(0)) / sum(rate(istio_tcp_connections_opened_total{reporter="destination",destination_service_name="orders"}[3s]))`,
      );
    const before = await eventually(
      async () => {
        const value = await share();
        return value !== undefined ? { value } : undefined;
      },
      20000,
      500,
    );
    // frontend through the waypoint (mTLS) and reports in plaintext
    expect(before.value).toBeGreaterThan(0.5);
    expect(before.value).toBeLessThan(1);

    const core = kubeConfigFor(sandbox).makeApiClient(CoreV1Api);
    await core.patchNamespace(
      {
        name: 'reporting',
        body: {
          metadata: { labels: { 'istio.io/dataplane-mode': 'ambient' } },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const after = await eventually(
      async () => {
        const value = await share();
        return value === 1 ? value : undefined;
      },
      20000,
      500,
    );
    expect(after).toBe(1);
    const reportsViaWaypoint = await eventually(
      async () => {
        const value = await query(
          prometheus,
          `sum(rate(istio_tcp_connections_opened_total{reporter="source",source_workload="reports",destination_workload="waypoint",destination_service_name="orders"}[3s]))`,
        );
        return value ? value : undefined;
      },
      20000,
      500,
    );
    expect(reportsViaWaypoint).toBeGreaterThan(0);
  });
});
