/*
 * Which Telemetry resources configure the waypoint that emits an ambient service's spans:
 * istio/istio pilot/pkg/model/telemetry.go applicableTelemetries and
 * pilot/pkg/model/policyattachment.go ShouldAttachPolicy, tag 1.28.0 (telemetry.istio.io/v1
 * shapes as in the Telemetry API reference).
 */
import { assessMesh } from './assessMesh';
import {
  healthySnapshot,
  NS,
  waypointDeployment,
  waypointGateway,
} from './__fixtures__/snapshots';
import type { TelemetrySpec } from './snapshot';
import { telemetryFollowsServiceNamespace } from './waypointTelemetry';

const sampling = (percent: number) => ({
  tracing: [
    {
      providers: [{ name: 'otel-tracing' }],
      randomSamplingPercentage: percent,
    },
  ],
});

describe('Telemetry for waypoints (pilot/pkg/model/telemetry.go 1.28.0)', () => {
  it.each<[string, string, TelemetrySpec, boolean, number]>([
    ["the waypoint's namespace-wide Telemetry", NS, sampling(50), false, 50],
    [
      'targetRefs to the waypoint Gateway',
      NS,
      {
        targetRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: 'waypoint',
          },
        ],
        ...sampling(60),
      },
      false,
      60,
    ],
    [
      'targetRefs to a Service the waypoint serves',
      NS,
      {
        targetRefs: [{ group: '', kind: 'Service', name: 'orders' }],
        ...sampling(65),
      },
      false,
      65,
    ],
    [
      "a selector matching the waypoint's own labels: waypoints never use selector",
      NS,
      {
        selector: {
          matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint' },
        },
        ...sampling(70),
      },
      false,
      10,
    ],
    [
      'a selector matching the app pods: they emit no spans in ambient',
      NS,
      { selector: { matchLabels: { app: 'orders' } }, ...sampling(75) },
      false,
      10,
    ],
    [
      "the Service's namespace-wide Telemetry behind a waypoint of another namespace",
      NS,
      sampling(80),
      true,
      10,
    ],
    [
      "the cross-namespace waypoint's namespace-wide Telemetry",
      'mesh-gw',
      sampling(85),
      true,
      85,
    ],
  ])('%s', (_name, namespace, spec, crossNamespace, expected) => {
    const snapshot = healthySnapshot();
    if (crossNamespace) {
      snapshot.namespaceObject!.metadata!.labels![
        'istio.io/use-waypoint-namespace'
      ] = 'mesh-gw';
      snapshot.waypointGateways = [
        waypointGateway('waypoint', 'mesh-gw', { allowedFrom: 'All' }),
      ];
      snapshot.waypointDeployments = [
        waypointDeployment('waypoint', 'mesh-gw'),
      ];
    }
    snapshot.telemetries.push({ metadata: { name: 't', namespace }, spec });
    expect(assessMesh(snapshot).controlPlane.tracing.samplingPercentage).toBe(
      expected,
    );
  });
});

// istio/istio#60673 "Allow Telemetry from other namespace": pilot/pkg/model/telemetry.go
// applicableTelemetries at 1.30.3 and 1.31.0 adds the Service's namespace-wide Telemetry
// when the waypoint is in another namespace, and looks up targetRefs Telemetries there;
// 1.28.10 and 1.29.6 do not.
describe('Telemetry for a waypoint of another namespace, by istiod version (telemetry.go 1.30.3, istio/istio#60673)', () => {
  it.each([
    ['1.28.6', false],
    ['1.28.10', false],
    ['1.29.6', false],
    ['1.30.2', false],
    ['1.30.3', true],
    ['1.31.0', true],
    ['1.32.1', true],
    [undefined, false],
  ])('istiod %s includes the Service namespace: %s', (version, expected) => {
    expect(telemetryFollowsServiceNamespace(version)).toBe(expected);
  });

  const crossNamespace = (istiodVersion: string) => {
    const snapshot = healthySnapshot();
    snapshot.controlPlane.istiod.version = istiodVersion;
    snapshot.namespaceObject!.metadata!.labels![
      'istio.io/use-waypoint-namespace'
    ] = 'mesh-gw';
    snapshot.waypointGateways = [
      waypointGateway('waypoint', 'mesh-gw', { allowedFrom: 'All' }),
    ];
    snapshot.waypointDeployments = [waypointDeployment('waypoint', 'mesh-gw')];
    return snapshot;
  };
  const sample = (
    istiodVersion: string,
    specs: Array<[string, TelemetrySpec]>,
  ) => {
    const snapshot = crossNamespace(istiodVersion);
    specs.forEach(([namespace, spec], i) =>
      snapshot.telemetries.push({
        metadata: { name: `t${i}`, namespace },
        spec,
      }),
    );
    return assessMesh(snapshot).controlPlane.tracing.samplingPercentage;
  };

  it.each([
    ['1.28.6', 10],
    ['1.30.3', 80],
  ])(
    "istiod %s: the Service's namespace-wide Telemetry gives %s",
    (v, expected) => {
      expect(sample(v, [[NS, sampling(80)]])).toBe(expected);
    },
  );

  it.each([
    ['1.28.6', 10],
    ['1.30.3', 66],
  ])(
    "istiod %s: targetRefs to the Service from the Service's namespace gives %s",
    (v, expected) => {
      expect(
        sample(v, [
          [
            NS,
            {
              targetRefs: [{ group: '', kind: 'Service', name: 'orders' }],
              ...sampling(66),
            },
          ],
        ]),
      ).toBe(expected);
    },
  );

  it.each([
    ['1.28.6', 40],
    ['1.30.3', 85],
  ])(
    "istiod %s: the waypoint's Gateway targetRefs Telemetry gives %s",
    (v, expected) => {
      expect(
        sample(v, [
          ['mesh-gw', sampling(85)],
          [
            'mesh-gw',
            {
              targetRefs: [
                {
                  group: 'gateway.networking.k8s.io',
                  kind: 'Gateway',
                  name: 'waypoint',
                },
              ],
              ...sampling(40),
            },
          ],
        ]),
      ).toBe(expected);
    },
  );
});
