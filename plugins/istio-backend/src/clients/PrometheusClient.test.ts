import { RunningPrometheus, startPrometheus } from '@ambient-mesh/mesh-sandbox';
import type { ClusterMeshStatus } from '@ambient-mesh/plugin-istio-common';
import {
  applyScrapeTargets,
  scrapeTargetFacts,
} from '@ambient-mesh/plugin-istio-node';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { PrometheusClient } from './PrometheusClient';

// The real Prometheus (Debian package) scraping ztunnel's pod (answers) and the
// waypoint's pod (nothing listens: the unscraped case). The targets API shape is
// prometheus/prometheus web/api/v1 (GET /api/v1/targets); the pod and namespace target
// labels are those Kubernetes service discovery relabelling gives.
describe('PrometheusClient.activeTargets against a real Prometheus', () => {
  let metrics: Server;
  let prometheus: RunningPrometheus;
  let closedPort: number;

  beforeAll(async () => {
    metrics = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end('istio_build{component="ztunnel",tag="1.28.0"} 1\n');
    });
    await new Promise<void>(resolve => metrics.listen(0, '127.0.0.1', resolve));
    const { port } = metrics.address() as AddressInfo;
    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    closedPort = (closed.address() as AddressInfo).port;
    await new Promise(resolve => closed.close(resolve));
    prometheus = await startPrometheus({
      scrapeUrl: `http://127.0.0.1:${port}/stats/prometheus`,
      scrapeInterval: '1s',
      extraTargets: [
        {
          job: 'ztunnel',
          url: `http://127.0.0.1:${port}/stats/prometheus`,
          labels: { pod: 'ztunnel-x7k2p', namespace: 'istio-system' },
        },
        {
          job: 'waypoint',
          url: `http://127.0.0.1:${closedPort}/stats/prometheus`,
          labels: { pod: 'waypoint-5d8f9', namespace: 'shop' },
        },
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await new Promise(resolve => metrics?.close(resolve));
  });

  it('reads the scrape health of each target and explains the unscraped waypoint', async () => {
    const client = new PrometheusClient(
      { name: 'local', baseUrl: prometheus.url, auth: { type: 'none' } },
      5_000,
    );
    const read = async () => scrapeTargetFacts(await client.activeTargets());
    let facts = await read();
    const deadline = Date.now() + 20_000;
    while (
      facts.filter(f => f.health !== 'unknown').length < 3 &&
      Date.now() < deadline
    ) {
      await new Promise(resolve => setTimeout(resolve, 500));
      facts = await read();
    }
    expect(facts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ job: 'mesh-sandbox', health: 'up' }),
        expect.objectContaining({
          job: 'ztunnel',
          pod: 'ztunnel-x7k2p',
          namespace: 'istio-system',
          health: 'up',
        }),
        expect.objectContaining({
          job: 'waypoint',
          pod: 'waypoint-5d8f9',
          namespace: 'shop',
          health: 'down',
          lastError: expect.stringContaining('connection refused'),
        }),
      ]),
    );

    const status = {
      diagnostics: [],
      controlPlane: {
        istioNamespace: 'istio-system',
        ztunnel: { present: true },
      },
      waypoint: {
        kind: 'waypoint',
        name: 'waypoint',
        namespace: 'shop',
        exists: true,
      },
    } as unknown as ClusterMeshStatus;
    const explained = applyScrapeTargets(status, facts).diagnostics;
    expect(explained.map(d => [d.id, d.object?.kind])).toEqual([
      ['telemetry-not-scraped', 'Gateway'],
    ]);
    expect(explained[0].evidence[0]).toContain(
      'Prometheus target waypoint-5d8f9 (job waypoint) up=0',
    );
    expect(explained[0].fix).toMatchObject({
      kind: 'yaml',
      yaml: expect.stringContaining('kind: PodMonitor'),
    });
  }, 30_000);
});
