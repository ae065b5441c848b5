/*
 * Which Telemetry resources set a waypoint's tracing, as istiod computes them:
 * istio/istio pilot/pkg/model/telemetry.go (applicableTelemetries, Tracing) and
 * pilot/pkg/model/policyattachment.go (ShouldAttachPolicy) at tag 1.28.0, and at 1.30.3
 * for istio/istio#60673 ("Allow Telemetry from other namespace"). Telemetry shapes:
 * istio/api telemetry/v1 (telemetry.istio.io/v1).
 */
import { KEYS } from '../controllers/keys';
import { ObjectStore } from '../kube/store';
import {
  followsServiceNamespace,
  waypointTelemetries,
  waypointTracing,
} from './waypointTracing';

const sampling = (percent: number) => ({
  tracing: [
    {
      providers: [{ name: 'otel-tracing' }],
      randomSamplingPercentage: percent,
    },
  ],
});
const gatewayRef = (name: string) => ({
  group: 'gateway.networking.k8s.io',
  kind: 'Gateway',
  name,
});

function storeWith(
  istiodVersion: string,
  telemetries: Array<[namespace: string, name: string, spec: object]>,
) {
  const store = new ObjectStore();
  store.create(KEYS.deployments, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'istiod',
      namespace: 'istio-system',
      labels: { app: 'istiod', 'app.kubernetes.io/version': istiodVersion },
    },
  });
  for (const [namespace, name, spec] of telemetries) {
    store.create(KEYS.telemetries, {
      apiVersion: 'telemetry.istio.io/v1',
      kind: 'Telemetry',
      metadata: { name, namespace },
      spec: spec as Record<string, unknown>,
    });
  }
  return store;
}

const root: [string, string, object] = [
  'istio-system',
  'mesh-default',
  sampling(10),
];
const sameNamespace = {
  waypoint: { namespace: 'shop', name: 'waypoint' },
  service: { namespace: 'shop', name: 'orders' },
};
const otherNamespace = {
  waypoint: { namespace: 'mesh-gw', name: 'waypoint' },
  service: { namespace: 'shop', name: 'orders' },
};

describe('waypoint tracing (pilot/pkg/model/telemetry.go 1.28.0)', () => {
  it.each<[string, Array<[string, string, object]>, number | undefined]>([
    ['the root namespace-wide Telemetry', [root], 10],
    [
      "the waypoint's namespace-wide Telemetry overrides the root one",
      [root, ['shop', 'shop-wide', sampling(50)]],
      50,
    ],
    [
      'targetRefs to the waypoint Gateway override the namespace-wide one',
      [
        root,
        ['shop', 'shop-wide', sampling(50)],
        [
          'shop',
          'to-waypoint',
          { targetRefs: [gatewayRef('waypoint')], ...sampling(60) },
        ],
      ],
      60,
    ],
    [
      'targetRefs to the Service the waypoint serves',
      [
        root,
        [
          'shop',
          'to-orders',
          {
            targetRefs: [{ group: '', kind: 'Service', name: 'orders' }],
            ...sampling(65),
          },
        ],
      ],
      65,
    ],
    [
      "a selector matching the waypoint's labels: waypoints never use selector (policyattachment.go)",
      [
        root,
        [
          'shop',
          'by-selector',
          {
            selector: {
              matchLabels: {
                'gateway.networking.k8s.io/gateway-name': 'waypoint',
              },
            },
            ...sampling(70),
          },
        ],
      ],
      10,
    ],
    [
      'targetRefs to another Gateway',
      [
        root,
        [
          'shop',
          'to-other',
          { targetRefs: [gatewayRef('ingress')], ...sampling(75) },
        ],
      ],
      10,
    ],
  ])('%s', (_title, telemetries, expected) => {
    const store = storeWith('1.28.6', telemetries);
    expect(
      waypointTracing(store, sameNamespace.waypoint, sameNamespace.service)
        .samplingPercent,
    ).toBe(expected);
  });

  it('is off without a provider, and when disableSpanReporting is set', () => {
    expect(
      waypointTracing(
        storeWith('1.28.6', [
          [
            'istio-system',
            'no-provider',
            { tracing: [{ randomSamplingPercentage: 5 }] },
          ],
        ]),
        sameNamespace.waypoint,
        sameNamespace.service,
      ),
    ).toEqual({ enabled: false, samplingPercent: 5 });
    expect(
      waypointTracing(
        storeWith('1.28.6', [
          root,
          ['shop', 'off', { tracing: [{ disableSpanReporting: true }] }],
        ]),
        sameNamespace.waypoint,
        sameNamespace.service,
      ).enabled,
    ).toBe(false);
  });

  it.each([
    ['1.28.10', false],
    ['1.29.6', false],
    ['1.30.2', false],
    ['1.30.3', true],
    ['1.31.0', true],
    [undefined, false],
  ])(
    'istiod %s includes the Service namespace (istio/istio#60673): %s',
    (v, expected) => {
      expect(followsServiceNamespace(v)).toBe(expected);
    },
  );

  it.each([
    ['1.28.6', ['mesh-default', 'gw-wide', 'to-waypoint'], 40],
    ['1.30.3', ['mesh-default', 'gw-wide', 'shop-wide', 'to-orders'], 66],
  ])(
    'a waypoint of another namespace on istiod %s applies %j (telemetry.go at 1.28.0 and 1.30.3)',
    (version, names, expected) => {
      const store = storeWith(version, [
        root,
        ['mesh-gw', 'gw-wide', sampling(85)],
        [
          'mesh-gw',
          'to-waypoint',
          { targetRefs: [gatewayRef('waypoint')], ...sampling(40) },
        ],
        ['shop', 'shop-wide', sampling(80)],
        [
          'shop',
          'to-orders',
          {
            targetRefs: [{ group: '', kind: 'Service', name: 'orders' }],
            ...sampling(66),
          },
        ],
      ]);
      expect(
        waypointTelemetries(
          store,
          otherNamespace.waypoint,
          otherNamespace.service,
        ).map(t => t.metadata.name),
      ).toEqual(names);
      expect(
        waypointTracing(store, otherNamespace.waypoint, otherNamespace.service)
          .samplingPercent,
      ).toBe(expected);
    },
  );
});
