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
