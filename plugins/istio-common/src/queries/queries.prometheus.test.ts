/**
 * @jest-environment node
 */
// A Node-only test: the sandbox (a devDependency) starts the real Prometheus; nothing here is bundled.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { startPrometheus, RunningPrometheus } from '@ambient-mesh/mesh-sandbox';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { HOSTILE_VALUES } from './__fixtures__/hostile';
import {
  buildFleetHealthQuery,
  buildWaypointQueries,
  buildZtunnelQueries,
  labelEquals,
  labelOneOf,
  metricSelector,
} from './promql';

/*
 * Sends the built queries to a real Prometheus (Debian package `prometheus`) that scrapes
 * series whose label values are hostile, next to decoys a broken escaper would also match.
 */

const VALUES = HOSTILE_VALUES.filter(v => v !== '');

/** Decoys: what an unescaped value or an unanchored regex would also match. */
function decoysOf(value: string): string[] {
  const loosened = value.replace(/[\\.+*?()|[\]{}^$"]/g, 'a');
  return [...new Set([`${value}x`, `x${value}`, loosened])].filter(
    d => d !== value && !VALUES.includes(d),
  );
}

function exposition(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
}

function seriesLines(): string {
  const lines: string[] = [];
  VALUES.forEach((value, i) => {
    for (const [kind, v] of [
      ['literal', value],
      ...decoysOf(value).map(d => ['decoy', d]),
    ]) {
      const e = exposition(v);
      lines.push(
        `istio_requests_total{reporter="waypoint",destination_service_name="${e}",destination_service_namespace="${e}",response_code="500",case_id="${i}",kind="${kind}"} 1`,
        `istio_tcp_connections_opened_total{reporter="destination",destination_workload="${e}",destination_workload_namespace="${e}",case_id="${i}",kind="${kind}"} 1`,
      );
    }
  });
  return [
    '# TYPE istio_requests_total counter',
    ...lines.filter(l => l.startsWith('istio_requests_total')),
    '# TYPE istio_tcp_connections_opened_total counter',
    ...lines.filter(l => l.startsWith('istio_tcp')),
    '',
  ].join('\n');
}

interface PromResult {
  status: string;
  error?: string;
  data?: { result: Array<{ metric: Record<string, string> }> };
}

describe('query builders against a real Prometheus', () => {
  let server: Server;
  let prometheus: RunningPrometheus;

  async function query(promql: string): Promise<PromResult> {
    const response = await fetch(`${prometheus.url}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: promql }),
    });
    return (await response.json()) as PromResult;
  }

  beforeAll(async () => {
    const body = seriesLines();
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(body);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    prometheus = await startPrometheus({
      scrapeUrl: `http://127.0.0.1:${port}/metrics`,
      scrapeInterval: '1s',
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const up = await query('count(istio_requests_total)');
      if (up.data?.result.length) break;
      if (Date.now() > deadline)
        throw new Error(`no series scraped: ${JSON.stringify(up)}`);
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await new Promise(resolve => server?.close(resolve));
  });

  it('scraped every hostile value intact', async () => {
    const all = await query('istio_requests_total{kind="literal"}');
    const names = all.data!.result.map(r => r.metric.destination_service_name);
    expect(names.sort()).toEqual([...VALUES].sort());
  });

  it.each(VALUES.map((v, i) => [v, i] as const))(
    'labelEquals(%j) matches its literal series only',
    async (value, i) => {
      const result = await query(
        metricSelector('istio_requests_total', [
          labelEquals('destination_service_name', value),
          labelEquals('destination_service_namespace', value),
        ]),
      );
      expect(result.status).toBe('success');
      expect(
        result.data!.result.map(r => [r.metric.case_id, r.metric.kind]),
      ).toEqual([[String(i), 'literal']]);
    },
  );

  it.each(VALUES.map((v, i) => [v, i] as const))(
    'labelOneOf(%j) matches its literal series only',
    async (value, i) => {
      const result = await query(
        metricSelector('istio_tcp_connections_opened_total', [
          labelOneOf('destination_workload', [value]),
        ]),
      );
      expect(result.status).toBe('success');
      expect(
        result.data!.result.map(r => [r.metric.case_id, r.metric.kind]),
      ).toEqual([[String(i), 'literal']]);
    },
  );

  it('the fleet health query of every hostile value at once parses and groups by service', async () => {
    const result = await query(
      buildFleetHealthQuery(
        VALUES.map(v => ({ namespace: v, service: v })),
        '5m',
      ),
    );
    expect(result.status).toBe('success');
  });

  it.each(VALUES)('every built query for %j parses', async value => {
    const queries = {
      ...buildWaypointQueries({ service: value, namespace: value }, '5m'),
      ...Object.fromEntries(
        Object.entries(
          buildZtunnelQueries(
            { namespace: value, workloads: [value, 'other'] },
            '5m',
          ),
        ).map(([k, q]) => [`l4.${k}`, q]),
      ),
    };
    const results = await Promise.all(
      Object.entries(queries).map(async ([name, q]) => [
        name,
        (await query(q)).status,
      ]),
    );
    expect(Object.fromEntries(results)).toEqual(
      Object.fromEntries(Object.keys(queries).map(name => [name, 'success'])),
    );
  });
});
