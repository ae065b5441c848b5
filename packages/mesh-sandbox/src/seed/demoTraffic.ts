import { KubeObject } from '../kube/types';

/**
 * PodMonitors (Prometheus Operator `monitoring.coreos.com/v1`) that collect ztunnel
 * (port `ztunnel-stats`, 15020, as Istio's ztunnel chart names it) and the
 * `microservices` waypoint (port `metrics`, 15020, as istiod's waypoint template names
 * it), the way Istio's Prometheus Operator sample scrapes `/stats/prometheus`. The
 * `reporting` namespace has none: the unscraped case.
 */
export function monitoringObjects(): KubeObject[] {
  return [
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'ztunnel', namespace: 'istio-system' },
      spec: {
        selector: { matchLabels: { app: 'ztunnel' } },
        podMetricsEndpoints: [
          { port: 'ztunnel-stats', path: '/stats/prometheus', interval: '15s' },
        ],
      },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'waypoint', namespace: 'microservices' },
      spec: {
        selector: {
          matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint' },
        },
        podMetricsEndpoints: [
          { port: 'metrics', path: '/stats/prometheus', interval: '15s' },
        ],
      },
    },
  ];
}

/**
 * Traffic objects a team migrating from sidecars brings along, each showing one problem
 * the Service Mesh tab explains (shapes of istio/api networking v1 and Gateway API v1):
 * - a VirtualService for `reports`, whose namespace has no waypoint (nothing applies it);
 * - an HTTPRoute for `payments` whose parent Service `payments-canary` does not exist;
 * - a PeerAuthentication whose selector (`version: v0`) matches no pod.
 */
export function demoTrafficObjects(
  options: { gatewayApi?: boolean } = {},
): KubeObject[] {
  const objects: KubeObject[] = [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reports', namespace: 'reporting' },
      spec: {
        hosts: ['reports'],
        http: [
          {
            timeout: '10s',
            retries: { attempts: 3, perTryTimeout: '2s' },
            route: [{ destination: { host: 'reports' } }],
          },
        ],
      },
    },
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'orders-v0-strict', namespace: 'microservices' },
      spec: {
        selector: {
          matchLabels: {
            'backstage.io/kubernetes-id': 'orders',
            version: 'v0',
          },
        },
        mtls: { mode: 'STRICT' },
      },
    },
  ];
  if (options.gatewayApi !== false) {
    objects.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'payments-canary', namespace: 'microservices' },
      spec: {
        parentRefs: [
          { group: '', kind: 'Service', name: 'payments-canary', port: 8080 },
        ],
        rules: [{ backendRefs: [{ name: 'payments', port: 8080 }] }],
      },
    });
  }
  return objects;
}
