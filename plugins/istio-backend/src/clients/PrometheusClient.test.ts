import { RunningPrometheus, startPrometheus } from '@ambient-mesh/mesh-sandbox';
import { scrapeTargetFacts } from '@ambient-mesh/plugin-istio-node';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { PrometheusClient } from './PrometheusClient';

// The real Prometheus (Debian package) scraping one endpoint; the
// targets API shape is prometheus/prometheus web/api/v1 (GET /api/v1/targets).
describe('PrometheusClient.activeTargets against a real Prometheus', () => {
  let metrics: Server;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    metrics = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end('istio_build{component="ztunnel",tag="1.28.0"} 1\n');
    });
    await new Promise<void>(resolve => metrics.listen(0, '127.0.0.1', resolve));
    const { port } = metrics.address() as AddressInfo;
    prometheus = await startPrometheus({
      scrapeUrl: `http://127.0.0.1:${port}/stats/prometheus`,
      scrapeInterval: '1s',
    });
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await new Promise(resolve => metrics?.close(resolve));
  });

  it('reads the scrape health of each active target', async () => {
    const client = new PrometheusClient(
      { name: 'local', baseUrl: prometheus.url, auth: { type: 'none' } },
      5_000,
    );
    let facts = scrapeTargetFacts(await client.activeTargets());
    const deadline = Date.now() + 20_000;
    while (facts.every(f => f.health !== 'up') && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 500));
      facts = scrapeTargetFacts(await client.activeTargets());
    }
    expect(facts).toEqual([
      expect.objectContaining({ job: 'mesh-sandbox', health: 'up' }),
    ]);
  }, 30_000);
});
