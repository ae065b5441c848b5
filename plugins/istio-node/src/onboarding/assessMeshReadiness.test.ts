import { assessMeshReadiness } from './assessMeshReadiness';
import { MeshFacts } from './meshFacts';

const ready: MeshFacts = {
  gatewayApi: { bundleVersion: 'v1.3.0', channel: 'standard' },
  istiod: [
    {
      namespace: 'istio-system',
      name: 'istiod',
      ambientEnabled: true,
      readyReplicas: 1,
    },
  ],
  daemonSets: {
    ztunnel: { namespace: 'istio-system', desired: 2, ready: 2 },
    'istio-cni-node': { namespace: 'istio-system', desired: 2, ready: 2 },
  },
  waypointGatewayClass: true,
  meshConfig: {
    enableTracing: true,
    extensionProviders: [
      {
        name: 'otel-tracing',
        opentelemetry: {
          service: 'otel-collector.observability.svc.cluster.local',
          port: 4317,
        },
      },
    ],
  },
};

describe('assessMeshReadiness', () => {
  it('passes a ready cluster and skips Cilium when absent', () => {
    const report = assessMeshReadiness('sandbox', ready);
    expect(report.ready).toBe(true);
    expect(report.checks.map(c => `${c.id}:${c.status}`)).toEqual([
      'gateway-api-crds:pass',
      'istiod-ambient:pass',
      'ztunnel-ready:pass',
      'istio-cni-ready:pass',
      'waypoint-gatewayclass:pass',
      'tracing-provider:pass',
      'cilium-cni-exclusive:skip',
    ]);
    expect(report.checks[0].detail).toContain('v1.3.0');
  });

  it.each<[string, Partial<MeshFacts>, string, RegExp]>([
    [
      'no Gateway API CRDs',
      { gatewayApi: undefined },
      'gateway-api-crds',
      /standard-install.yaml/,
    ],
    [
      'istiod without ambient',
      {
        istiod: [
          {
            namespace: 'istio-system',
            name: 'istiod',
            ambientEnabled: false,
            readyReplicas: 1,
          },
        ],
      },
      'istiod-ambient',
      /profile ambient/,
    ],
    [
      'ztunnel not ready',
      {
        daemonSets: {
          ...ready.daemonSets,
          ztunnel: { namespace: 'istio-system', desired: 2, ready: 1 },
        },
      },
      'ztunnel-ready',
      /ztunnel pods/,
    ],
    [
      'istio-cni missing',
      { daemonSets: { ztunnel: ready.daemonSets.ztunnel } },
      'istio-cni-ready',
      /Helm chart cni/,
    ],
    [
      'no waypoint class',
      { waypointGatewayClass: false },
      'waypoint-gatewayclass',
      /profile ambient/,
    ],
    [
      'no tracing provider',
      { meshConfig: { extensionProviders: [] } },
      'tracing-provider',
      /otel-collector.observability.svc.cluster.local, port: 4317/,
    ],
    [
      'Cilium exclusive',
      {
        daemonSets: {
          ...ready.daemonSets,
          cilium: { namespace: 'kube-system', desired: 1, ready: 1 },
        },
        ciliumConfig: {},
      },
      'cilium-cni-exclusive',
      /cni.exclusive=false/,
    ],
  ])('fails with the fix when %s', (_name, patch, id, fix) => {
    const report = assessMeshReadiness('sandbox', { ...ready, ...patch });
    expect(report.ready).toBe(false);
    const failed = report.checks.filter(c => c.status === 'fail');
    expect(failed.map(c => c.id)).toEqual([id]);
    expect(failed[0].fix).toMatch(fix);
  });
});
