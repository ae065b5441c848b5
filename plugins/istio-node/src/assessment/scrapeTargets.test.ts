import { assessMesh } from './assessMesh';
import { trafficSnapshot } from './__fixtures__/traffic';
import { applyScrapeTargets, scrapeTargetFacts } from './scrapeTargets';

// Target shapes of the Prometheus HTTP API, GET /api/v1/targets (prometheus/prometheus
// web/api/v1/api.go, v3): labels after relabelling, discoveredLabels before.
const ztunnelTarget = (health: string, lastError = '') => ({
  labels: {
    job: 'podMonitor/istio-system/ztunnel/0',
    instance: '10.0.0.5:15020',
  },
  discoveredLabels: {
    __meta_kubernetes_pod_name: 'ztunnel-x7k2p',
    __meta_kubernetes_namespace: 'istio-system',
  },
  scrapePool: 'podMonitor/istio-system/ztunnel/0',
  health,
  lastError,
});

describe('applyScrapeTargets', () => {
  it('reads pod and namespace from target labels or from the discovery labels', () => {
    expect(
      scrapeTargetFacts([
        ztunnelTarget('up'),
        {
          labels: { job: 'waypoint', pod: 'waypoint-5d8f', namespace: 'shop' },
          health: 'down',
          lastError: 'connection refused',
        },
      ]),
    ).toEqual([
      {
        job: 'podMonitor/istio-system/ztunnel/0',
        health: 'up',
        pod: 'ztunnel-x7k2p',
        namespace: 'istio-system',
      },
      {
        job: 'waypoint',
        health: 'down',
        pod: 'waypoint-5d8f',
        namespace: 'shop',
        lastError: 'connection refused',
      },
    ]);
  });

  it('drops the monitor-based diagnostic when Prometheus scrapes ztunnel successfully', () => {
    const snapshot = trafficSnapshot();
    snapshot.traffic!.podMonitors = [];
    const status = assessMesh(snapshot);
    expect(
      status.diagnostics.filter(d => d.id === 'telemetry-not-scraped'),
    ).toHaveLength(2);
    const after = applyScrapeTargets(
      status,
      scrapeTargetFacts([ztunnelTarget('up')]),
    );
    expect(
      after.diagnostics
        .filter(d => d.id === 'telemetry-not-scraped')
        .map(d => d.object?.kind),
    ).toEqual(['Gateway']);
  });

  it('names the scrape error when every ztunnel target is down, keeping the PodMonitor fix', () => {
    const status = assessMesh(trafficSnapshot());
    expect(status.diagnostics).toEqual([]);
    const after = applyScrapeTargets(
      status,
      scrapeTargetFacts([
        ztunnelTarget('down', 'server returned HTTP status 503'),
      ]),
    );
    const d = after.diagnostics.find(x => x.id === 'telemetry-not-scraped')!;
    expect(d.object).toMatchObject({ kind: 'DaemonSet', name: 'ztunnel' });
    expect(d.evidence[0]).toBe(
      'Prometheus target ztunnel-x7k2p (job podMonitor/istio-system/ztunnel/0) up=0: server returned HTTP status 503',
    );
    expect(d.fix).toMatchObject({
      kind: 'yaml',
      yaml: expect.stringContaining('kind: PodMonitor'),
    });
  });

  it('changes nothing when the targets carry no pod labels (a static scrape config)', () => {
    const status = assessMesh(trafficSnapshot());
    const after = applyScrapeTargets(
      status,
      scrapeTargetFacts([
        {
          labels: { job: 'mesh-sandbox', instance: '127.0.0.1:9999' },
          health: 'down',
        },
      ]),
    );
    expect(after).toEqual(status);
  });
});
