import { summarizeControlPlane, ControlPlaneObjects } from './controlPlane';

function objects(
  overrides: Partial<ControlPlaneObjects> = {},
): ControlPlaneObjects {
  return {
    istioNamespace: 'istio-system',
    daemonSets: [
      {
        metadata: { name: 'ztunnel', namespace: 'istio-system' },
        status: {
          desiredNumberScheduled: 3,
          numberReady: 3,
          currentNumberScheduled: 3,
          numberMisscheduled: 0,
        },
      },
      {
        metadata: { name: 'istio-cni-node', namespace: 'istio-system' },
        status: {
          desiredNumberScheduled: 3,
          numberReady: 2,
          currentNumberScheduled: 3,
          numberMisscheduled: 0,
        },
      },
    ],
    istiodDeployments: [
      {
        metadata: {
          name: 'istiod-canary',
          namespace: 'istio-system',
          labels: { app: 'istiod', 'istio.io/rev': 'canary' },
        },
        spec: {
          selector: {},
          template: {
            spec: {
              containers: [
                {
                  name: 'discovery',
                  env: [{ name: 'PILOT_ENABLE_AMBIENT', value: 'true' }],
                },
              ],
            },
          },
        },
      },
    ],
    meshConfigMap: {
      metadata: { name: 'istio-canary' },
      data: {
        mesh: [
          'enableTracing: true',
          'defaultProviders:',
          '  tracing: [otel-tracing]',
          'extensionProviders:',
          '- name: otel-tracing',
          '  opentelemetry: {service: otel-collector.observability.svc.cluster.local, port: 4317}',
          '- name: prom',
          '  prometheus: {}',
        ].join('\n'),
      },
    },
    cniConfigMap: {
      metadata: { name: 'istio-cni-config' },
      data: { AMBIENT_ENABLED: 'true' },
    },
    waypointGatewayClass: true,
    gatewayCrd: {
      metadata: {
        name: 'gateways.gateway.networking.k8s.io',
        annotations: { 'gateway.networking.k8s.io/bundle-version': 'v1.2.1' },
      },
      spec: {
        group: 'gateway.networking.k8s.io',
        names: { kind: 'Gateway', plural: 'gateways' },
        scope: 'Namespaced',
        versions: [],
      },
    },
    ciliumConfigMap: {
      metadata: { name: 'cilium-config' },
      data: { 'cni-exclusive': 'true', 'bpf-lb-sock-hostns-only': 'false' },
    },
    ...overrides,
  };
}

describe('summarizeControlPlane', () => {
  it('reads every fact', () => {
    expect(summarizeControlPlane(objects())).toEqual({
      istioNamespace: 'istio-system',
      ztunnel: {
        present: true,
        name: 'ztunnel',
        namespace: 'istio-system',
        desired: 3,
        ready: 3,
        allReady: true,
      },
      istioCni: {
        present: true,
        name: 'istio-cni-node',
        namespace: 'istio-system',
        desired: 3,
        ready: 2,
        allReady: false,
        ambientEnabled: true,
      },
      istiod: {
        present: true,
        name: 'istiod-canary',
        revision: 'canary',
        ambient: true,
      },
      waypointGatewayClass: true,
      gatewayApi: { installed: true, bundleVersion: 'v1.2.1' },
      tracing: {
        enableTracing: true,
        providers: ['otel-tracing'],
        configured: true,
        samplingPercentage: null,
      },
      cilium: {
        present: true,
        cniExclusive: true,
        socketLbHostNamespaceOnly: false,
      },
    });
  });

  it('reports what is missing', () => {
    const facts = summarizeControlPlane({
      istioNamespace: 'istio-system',
      daemonSets: [],
      istiodDeployments: [],
      waypointGatewayClass: false,
    });
    expect(facts).toEqual({
      istioNamespace: 'istio-system',
      ztunnel: { present: false, desired: 0, ready: 0, allReady: false },
      istioCni: { present: false, desired: 0, ready: 0, allReady: false },
      istiod: { present: false },
      waypointGatewayClass: false,
      gatewayApi: { installed: false },
      tracing: { providers: [], configured: false, samplingPercentage: null },
      cilium: { present: false },
    });
  });

  it('survives a mesh config that is not YAML', () => {
    const facts = summarizeControlPlane(
      objects({
        meshConfigMap: { metadata: {}, data: { mesh: '{{ not yaml' } },
      }),
    );
    expect(facts.tracing).toEqual({
      providers: [],
      configured: false,
      samplingPercentage: null,
    });
  });

  it('reads istiod without PILOT_ENABLE_AMBIENT as not ambient', () => {
    const facts = summarizeControlPlane(
      objects({
        istiodDeployments: [
          {
            metadata: { name: 'istiod' },
            spec: {
              selector: {},
              template: { spec: { containers: [{ name: 'discovery' }] } },
            },
          },
        ],
      }),
    );
    expect(facts.istiod).toEqual({
      present: true,
      name: 'istiod',
      ambient: false,
    });
  });
});
