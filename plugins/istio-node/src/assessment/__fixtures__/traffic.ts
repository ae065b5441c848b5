/*
 * A healthy entity with its traffic objects, written to follow the upstream shapes:
 * Istio's networking/security/telemetry v1 APIs (istio/api), Gateway API v1 (GAMMA
 * Service parentRefs, kubernetes-sigs/gateway-api), Prometheus Operator v1 monitors, and
 * the ambient test data of istio/istio tests/integration/ambient/testdata (1.28).
 */
import type {
  V1Namespace,
  V1Service,
  V1ServicePort,
} from '@kubernetes/client-node';
import type { MeshSnapshot } from '../snapshot';
import type { TrafficSnapshot } from '../trafficObjects';
import {
  APP_LABELS,
  healthySnapshot,
  NS,
  pod,
  service,
  waypointGateway,
} from './snapshots';

export function namespaceObject(
  name: string,
  labels: Record<string, string> = {},
): V1Namespace {
  return { metadata: { name, labels } };
}

/** A Service with a selector and named ports, as the checks expect. */
export function namedService(
  name: string,
  namespace: string,
  options: { labels?: Record<string, string>; ports?: V1ServicePort[] } = {},
): V1Service {
  return {
    metadata: { name, namespace, labels: { app: name, ...options.labels } },
    spec: {
      selector: { app: name },
      ports: options.ports ?? [
        { name: 'http', port: 80, targetPort: 8080 as never },
      ],
    },
  };
}

export const ENTITY_SERVICE = 'orders';

/** The healthy snapshot of the assessment tests, with its traffic objects read. */
export function trafficSnapshot(): MeshSnapshot {
  const s = healthySnapshot();
  s.pods = [
    pod('orders-1', {}, { labels: { version: 'v1' } }),
    pod('orders-2', {}, { labels: { version: 'v1' } }),
  ];
  const orders = service();
  orders.metadata!.labels = { ...orders.metadata!.labels };
  orders.spec = {
    selector: { app: 'orders' },
    ports: [{ name: 'http', port: 80, targetPort: 8080 as never }],
  };
  s.services = [orders];
  s.deployments = [
    {
      metadata: { name: 'orders', namespace: NS },
      spec: {
        selector: { matchLabels: { app: 'orders' } },
        template: {
          metadata: { labels: APP_LABELS },
          spec: {
            containers: [
              { name: 'app', ports: [{ name: 'http', containerPort: 8080 }] },
            ],
          },
        },
      },
    },
  ];
  s.authorizationPolicies = [
    {
      metadata: { name: 'orders-callers', namespace: NS },
      spec: {
        targetRefs: [{ group: '', kind: 'Service', name: 'orders' }],
        action: 'ALLOW',
        rules: [
          {
            from: [
              { source: { principals: ['cluster.local/ns/shop/sa/frontend'] } },
            ],
          },
        ],
      },
    },
  ];
  const traffic: TrafficSnapshot = {
    namespaces: [
      namespaceObject(NS, {
        'istio.io/dataplane-mode': 'ambient',
        'istio.io/use-waypoint': 'waypoint',
      }),
      namespaceObject('istio-system'),
      namespaceObject('legacy', { 'istio.io/dataplane-mode': 'ambient' }),
      namespaceObject('reporting'),
      namespaceObject('other', {
        'istio.io/dataplane-mode': 'ambient',
        'istio.io/use-waypoint': 'waypoint',
      }),
    ],
    services: [
      orders,
      namedService('frontend', NS),
      namedService('legacy', 'legacy'),
      namedService('reports', 'reporting'),
      namedService('billing', 'other'),
    ],
    namespacePods: [
      ...s.pods,
      pod(
        'frontend-1',
        {},
        {
          labels: { app: 'frontend', 'backstage.io/kubernetes-id': 'frontend' },
        },
      ),
    ],
    serviceAccounts: [`${NS}/orders`, `${NS}/frontend`, 'other/billing'],
    virtualServices: [
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'orders', namespace: NS },
        spec: {
          hosts: ['orders'],
          http: [
            {
              timeout: '5s',
              route: [
                { destination: { host: 'orders', subset: 'v1' }, weight: 100 },
              ],
            },
          ],
        },
      },
    ],
    destinationRules: [
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'orders', namespace: NS },
        spec: {
          host: 'orders.shop.svc.cluster.local',
          trafficPolicy: {
            connectionPool: { http: { http1MaxPendingRequests: 100 } },
          },
          subsets: [{ name: 'v1', labels: { version: 'v1' } }],
        },
      },
    ],
    serviceEntries: [
      {
        metadata: { name: 'payments-api', namespace: NS },
        spec: {
          hosts: ['api.payments.example.com'],
          ports: [{ number: 443, name: 'https', protocol: 'TLS' }],
          resolution: 'DNS',
          location: 'MESH_EXTERNAL',
        },
      },
    ],
    istioGateways: [],
    httpRoutes: [
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'orders', namespace: NS },
        spec: {
          parentRefs: [
            { group: '', kind: 'Service', name: 'orders', port: 80 },
          ],
          rules: [{ backendRefs: [{ name: 'orders', port: 80 }] }],
        },
        status: {
          parents: [
            {
              parentRef: { group: '', kind: 'Service', name: 'orders' },
              controllerName: 'istio.io/gateway-controller',
              conditions: [
                { type: 'Accepted', status: 'True', reason: 'Accepted' },
                {
                  type: 'ResolvedRefs',
                  status: 'True',
                  reason: 'ResolvedRefs',
                },
              ],
            },
          ],
        },
      },
    ],
    grpcRoutes: [],
    gateways: [waypointGateway()],
    gatewayClasses: ['istio', 'istio-waypoint'],
    referenceGrants: [],
    wasmPlugins: [],
    sidecars: [],
    telemetries: s.telemetries,
    serviceMonitors: [],
    podMonitors: [
      {
        metadata: { name: 'ztunnel', namespace: 'istio-system' },
        spec: {
          selector: { matchLabels: { app: 'ztunnel' } },
          podMetricsEndpoints: [
            { port: 'ztunnel-stats', path: '/stats/prometheus' },
          ],
        },
      },
      {
        metadata: { name: 'waypoint', namespace: NS },
        spec: {
          selector: {
            matchLabels: {
              'gateway.networking.k8s.io/gateway-name': 'waypoint',
            },
          },
          podMetricsEndpoints: [{ port: 'metrics', path: '/stats/prometheus' }],
        },
      },
    ],
    meshDefaultAccessLogging: [],
    istiodEnv: { PILOT_ENABLE_AMBIENT: 'true' },
  };
  s.traffic = traffic;
  return s;
}
