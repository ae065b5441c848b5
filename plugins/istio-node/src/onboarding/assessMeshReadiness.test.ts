import { assessMeshReadiness } from './assessMeshReadiness';
import { MeshFacts } from './meshFacts';
import { meshConfigRef } from './meshFacts';

const ready: MeshFacts = {
  gatewayApi: { bundleVersion: 'v1.3.0', channel: 'standard' },
  istiod: [
    {
      namespace: 'istio-system',
      name: 'istiod',
      ambientEnabled: true,
      readyReplicas: 1,
      version: '1.28.6',
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
      'istiod-gateway-api-version:pass',
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

describe('assessMeshReadiness: istiod x Gateway API (istio/istio#59387, #59443, PR #59309)', () => {
  const trapped: MeshFacts = {
    ...ready,
    gatewayApi: {
      bundleVersion: 'v1.5.0',
      channel: 'standard',
      safeUpgradesPolicy: true,
    },
    istiod: [{ ...ready.istiod[0], version: '1.28.0', readyReplicas: 0 }],
  };

  it('fails istiod 1.28.0 with Gateway API v1.5.0 and names both fixes and the admission policy', () => {
    const report = assessMeshReadiness('sandbox', trapped);
    expect(report.ready).toBe(false);
    const check = report.checks.find(
      c => c.id === 'istiod-gateway-api-version',
    );
    expect(check).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(
        'istio-system/istiod runs Istio 1.28.0 (0 ready) with Gateway API v1.5.0',
      ),
    });
    expect(check?.fix).toMatch(/Upgrade Istio to 1\.28\.6 or later/);
    expect(check?.fix).toMatch(/Gateway API v1\.4 standard CRDs/);
    expect(check?.fix).toMatch(
      /refused by the ValidatingAdmissionPolicy safe-upgrades\.gateway\.networking\.k8s\.io/,
    );
  });

  it('passes the fixed patch 1.28.6 with v1.5.0', () => {
    const report = assessMeshReadiness('sandbox', {
      ...trapped,
      istiod: [{ ...ready.istiod[0], version: '1.28.6' }],
    });
    expect(
      report.checks.find(c => c.id === 'istiod-gateway-api-version')?.status,
    ).toBe('pass');
  });

  it('suggests pod selectors the charts set: app=ztunnel, k8s-app=istio-cni-node (manifests/charts/ztunnel/templates/daemonset.yaml)', () => {
    const report = assessMeshReadiness('sandbox', {
      ...ready,
      daemonSets: {
        ztunnel: { namespace: 'ztunnel', desired: 2, ready: 1 },
        'istio-cni-node': { namespace: 'istio-cni', desired: 2, ready: 1 },
      },
    });
    expect(report.checks.find(c => c.id === 'ztunnel-ready')?.fix).toContain(
      'kubectl -n ztunnel get pods -l app=ztunnel',
    );
    expect(report.checks.find(c => c.id === 'istio-cni-ready')?.fix).toContain(
      'kubectl -n istio-cni get pods -l k8s-app=istio-cni-node',
    );
  });
});

describe('meshConfigRef (istio/istio manifests/charts/istio-control/istio-discovery/templates/configmap.yaml: name istio{{- if not (eq .Values.revision "") }}-{{ .Values.revision }})', () => {
  const istiod = (revision: string, namespace = 'istio-system') => ({
    namespace,
    name: revision === 'default' ? 'istiod' : `istiod-${revision}`,
    ambientEnabled: true,
    readyReplicas: 1,
    revision,
  });
  it('reads istio-<rev> for a revisioned istiod, istio for the default revision', () => {
    expect(meshConfigRef([istiod('canary')])).toEqual({
      namespace: 'istio-system',
      name: 'istio-canary',
    });
    expect(meshConfigRef([istiod('default')])).toEqual({
      namespace: 'istio-system',
      name: 'istio',
    });
  });
  it('follows istiod into its namespace when none is given', () => {
    expect(meshConfigRef([istiod('1-28', 'mesh')])).toEqual({
      namespace: 'mesh',
      name: 'istio-1-28',
    });
  });
});
