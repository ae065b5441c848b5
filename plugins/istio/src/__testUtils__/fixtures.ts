import type { Entity } from '@backstage/catalog-model';
import type {
  ClusterMeshStatus,
  ClusterMetrics,
  ClusterTraces,
  ControlPlaneFacts,
} from '@ambient-mesh/plugin-istio-common';

/** A component of the demo system with the Kubernetes annotations. */
export const ordersEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'orders',
      'backstage.io/kubernetes-namespace': 'microservices',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-commerce' },
};

const controlPlane: ControlPlaneFacts = {
  istioNamespace: 'istio-system',
  ztunnel: {
    present: true,
    name: 'ztunnel',
    namespace: 'istio-system',
    desired: 1,
    ready: 1,
    allReady: true,
  },
  istioCni: {
    present: true,
    name: 'istio-cni-node',
    namespace: 'istio-system',
    desired: 1,
    ready: 1,
    allReady: true,
    ambientEnabled: true,
  },
  istiod: { present: true, name: 'istiod', ambient: true },
  waypointGatewayClass: true,
  gatewayApi: { installed: true, bundleVersion: 'v1.2.1' },
  tracing: {
    enableTracing: true,
    providers: ['otel-tracing'],
    configured: true,
    samplingPercentage: 100,
  },
  cilium: { present: false },
};

/** The mesh status of a service enrolled in ambient mode with a ready waypoint. */
export function enrolledStatus(cluster = 'sandbox'): ClusterMeshStatus {
  return {
    cluster,
    namespace: 'microservices',
    labelSelector: 'backstage.io/kubernetes-id=orders',
    enrollment: {
      namespace: 'microservices',
      namespaceExists: true,
      mode: 'ambient',
      pods: [
        {
          name: 'orders-7d9f-abcde',
          namespace: 'microservices',
          node: 'node-1',
          phase: 'Running',
          state: 'captured',
        },
        {
          name: 'orders-7d9f-fghij',
          namespace: 'microservices',
          node: 'node-1',
          phase: 'Running',
          state: 'captured',
        },
      ],
      podCounts: {
        captured: 2,
        pending: 0,
        sidecar: 0,
        'opted-out': 0,
        'not-captured': 0,
        'host-network': 0,
      },
    },
    waypoint: {
      kind: 'waypoint',
      name: 'waypoint',
      namespace: 'microservices',
      boundFrom: 'namespace',
      exists: true,
      for: 'service',
      ready: true,
      accepted: true,
      programmed: true,
      addresses: ['10.96.0.42'],
      readyReplicas: 1,
      bound: true,
      services: [
        { service: 'orders', status: 'True', reason: 'WaypointAccepted' },
      ],
      ingressUsesWaypoint: false,
    },
    controlPlane,
    mtls: {
      configured: {
        mode: 'STRICT',
        source: 'namespace',
        resource: { name: 'default', namespace: 'microservices' },
      },
      observedShare: 1,
      plaintextSources: [],
      grade: 'strict',
    },
    policies: {
      defaultDeny: true,
      items: [
        {
          kind: 'AuthorizationPolicy',
          name: 'allow-frontend',
          namespace: 'microservices',
          action: 'ALLOW',
          scope: 'targetRefs',
          enforcer: 'waypoint',
          layer: 'L7',
          summary: 'from sa frontend: GET /orders/*',
          conditions: [{ type: 'WaypointAccepted', status: 'True' }],
        },
      ],
    },
    diagnostics: [],
  };
}

/** The mesh status of a service whose namespace is not enrolled. */
export function notEnrolledStatus(cluster = 'sandbox'): ClusterMeshStatus {
  const status = enrolledStatus(cluster);
  return {
    ...status,
    namespace: 'legacy',
    enrollment: {
      namespace: 'legacy',
      namespaceExists: true,
      mode: 'none',
      pods: [
        {
          name: 'legacy-1',
          namespace: 'legacy',
          phase: 'Running',
          state: 'not-captured',
        },
      ],
      podCounts: {
        captured: 0,
        pending: 0,
        sidecar: 0,
        'opted-out': 0,
        'not-captured': 1,
        'host-network': 0,
      },
    },
    waypoint: { kind: 'none' },
    mtls: {
      configured: { mode: 'UNSET', source: 'default' },
      observedShare: 0,
      plaintextSources: [],
      grade: 'none',
    },
    policies: { defaultDeny: false, items: [] },
    diagnostics: [
      {
        id: 'mtls-permissive',
        severity: 'warning',
        title: 'Plaintext accepted',
        message: 'No PeerAuthentication sets STRICT.',
        evidence: [],
        fix: {
          kind: 'yaml',
          yaml: 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\n',
        },
      },
      {
        id: 'namespace-not-enrolled',
        severity: 'error',
        title: 'Namespace legacy is not in the mesh',
        message: 'Its pods are not captured by ztunnel: no mTLS, no policies.',
        evidence: ['namespace legacy has no label istio.io/dataplane-mode'],
        fix: {
          kind: 'template',
          templateRef: 'template:default/onboard-namespace',
          values: { cluster: 'sandbox', namespace: 'legacy', waypoint: true },
        },
      },
    ],
  };
}

/** L7 metrics of a service served by a waypoint. */
export function l7Metrics(cluster = 'sandbox'): ClusterMetrics {
  return {
    cluster,
    source: 'waypoint',
    layer: 'L7',
    window: '5m',
    rangeSeconds: 3600,
    stepSeconds: 60,
    golden: {
      rps: 12.5,
      errorRatio5xx: 0.02,
      errorRatio4xx: 0.01,
      p50Ms: 12,
      p95Ms: 48,
      p99Ms: 130,
    },
    l4: {
      connectionsPerSecond: 3,
      receivedBytesPerSecond: 2048,
      sentBytesPerSecond: 4096,
      mtlsShare: 1,
      deniedPerSecond: 0,
    },
    series: {
      rps: [
        { t: 0, v: 10 },
        { t: 60, v: 12 },
        { t: 120, v: 12.5 },
      ],
      errorRatio5xx: [
        { t: 0, v: 0.01 },
        { t: 60, v: 0.02 },
      ],
      p95Ms: [
        { t: 0, v: 40 },
        { t: 60, v: 48 },
      ],
    },
    traffic: [
      {
        sourceWorkload: 'frontend',
        sourceNamespace: 'microservices',
        value: 10,
      },
      {
        sourceWorkload: 'checkout',
        sourceNamespace: 'microservices',
        value: 2.5,
      },
    ],
    health: 'degraded',
  };
}

/** Traces of a service served by a waypoint. */
export function someTraces(
  kind: ClusterTraces['kind'],
  cluster = 'sandbox',
): ClusterTraces {
  return {
    cluster,
    kind,
    serviceNames: ['orders.microservices', 'orders'],
    query: '{ resource.service.name = "orders.microservices" }',
    traces: [
      {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        rootServiceName: 'frontend.microservices',
        rootTraceName: `GET /orders (${kind})`,
        start: '2026-11-26T09:00:00Z',
        durationMs: 87,
        statusCode: '200',
        error: false,
        link: 'https://grafana.example.com/explore?trace=4bf92f3577b34da6a3ce929d0e0e4736',
      },
    ],
  };
}
