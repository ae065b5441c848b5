/* Builders of mesh snapshots for the assessment tests: a healthy baseline and small helpers. */
import type { ControlPlaneFacts } from '@ambient-mesh/plugin-istio-common';
import type { V1Deployment, V1Pod, V1Service } from '@kubernetes/client-node';
import type {
  AuthorizationPolicyObject,
  GatewayObject,
  MeshSnapshot,
  PeerAuthenticationObject,
} from '../snapshot';

export const NS = 'shop';
export const APP_LABELS = {
  'backstage.io/kubernetes-id': 'orders',
  app: 'orders',
};

export function pod(
  name: string,
  overrides: Partial<V1Pod> = {},
  extra: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  } = {},
): V1Pod {
  return {
    metadata: {
      name,
      namespace: NS,
      labels: { ...APP_LABELS, ...extra.labels },
      annotations: {
        'ambient.istio.io/redirection': 'enabled',
        ...extra.annotations,
      },
    },
    spec: {
      nodeName: 'node-a',
      containers: [{ name: 'app' }],
      ...overrides.spec,
    },
    status: { phase: 'Running', ...overrides.status },
  };
}

export function service(
  name = 'orders',
  labels: Record<string, string> = {},
  bound = true,
): V1Service {
  return {
    metadata: {
      name,
      namespace: NS,
      labels: {
        ...APP_LABELS,
        'istio.io/ingress-use-waypoint': 'true',
        ...labels,
      },
    },
    spec: { ports: [{ port: 80 }] },
    status: {
      conditions: [
        bound
          ? {
              type: 'istio.io/WaypointBound',
              status: 'True',
              reason: 'WaypointAccepted',
              message: '',
              lastTransitionTime: new Date(0),
            }
          : {
              type: 'istio.io/WaypointBound',
              status: 'False',
              reason: 'WaypointIsNotReady',
              message: 'waypoint not ready',
              lastTransitionTime: new Date(0),
            },
      ],
    },
  };
}

export function waypointGateway(
  name = 'waypoint',
  namespace = NS,
  options: {
    labels?: Record<string, string>;
    ready?: boolean;
    allowedFrom?: 'Same' | 'All';
  } = {},
): GatewayObject {
  const ready = options.ready ?? true;
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace, labels: options.labels },
    spec: {
      gatewayClassName: 'istio-waypoint',
      listeners: [
        {
          name: 'mesh',
          port: 15008,
          protocol: 'HBONE',
          ...(options.allowedFrom
            ? { allowedRoutes: { namespaces: { from: options.allowedFrom } } }
            : {}),
        },
      ],
    },
    status: {
      conditions: [
        { type: 'Accepted', status: 'True', reason: 'Accepted' },
        ready
          ? { type: 'Programmed', status: 'True', reason: 'Programmed' }
          : { type: 'Programmed', status: 'False', reason: 'AddressNotUsable' },
      ],
      addresses: ready ? [{ type: 'IPAddress', value: '10.96.0.20' }] : [],
    },
  };
}

export function waypointDeployment(
  name = 'waypoint',
  namespace = NS,
  readyReplicas = 1,
): V1Deployment {
  return { metadata: { name, namespace }, status: { readyReplicas } };
}

export function peerAuthentication(
  name: string,
  namespace: string,
  mode: string | undefined,
  options: {
    selector?: Record<string, string>;
    created?: string;
    portLevel?: Record<string, string>;
  } = {},
): PeerAuthenticationObject {
  return {
    metadata: {
      name,
      namespace,
      creationTimestamp: options.created ?? '2026-01-01T00:00:00Z',
    },
    spec: {
      ...(options.selector
        ? { selector: { matchLabels: options.selector } }
        : {}),
      ...(mode !== undefined ? { mtls: { mode } } : {}),
      ...(options.portLevel
        ? {
            portLevelMtls: Object.fromEntries(
              Object.entries(options.portLevel).map(([p, m]) => [
                p,
                { mode: m },
              ]),
            ),
          }
        : {}),
    },
  };
}

export function authorizationPolicy(
  name: string,
  spec: AuthorizationPolicyObject['spec'],
  namespace = NS,
  status?: AuthorizationPolicyObject['status'],
): AuthorizationPolicyObject {
  return { metadata: { name, namespace }, spec, ...(status ? { status } : {}) };
}

export function healthyControlPlane(): ControlPlaneFacts {
  return {
    istioNamespace: 'istio-system',
    ztunnel: {
      present: true,
      name: 'ztunnel',
      namespace: 'istio-system',
      desired: 2,
      ready: 2,
      allReady: true,
    },
    istioCni: {
      present: true,
      name: 'istio-cni-node',
      namespace: 'istio-system',
      desired: 2,
      ready: 2,
      allReady: true,
      ambientEnabled: true,
    },
    istiod: { present: true, name: 'istiod', ambient: true },
    waypointGatewayClass: true,
    gatewayApi: { installed: true, bundleVersion: 'v1.2.1' },
    tracing: {
      enableTracing: true,
      providers: ['otel-tracing'],
      configured: false,
      samplingPercentage: null,
    },
    cilium: { present: false },
  };
}

/**
 * A healthy entity: ambient namespace bound to a ready waypoint, two captured pods, one
 * bound Service, STRICT mTLS, tracing at 10 %. It raises no diagnostic.
 */
export function healthySnapshot(): MeshSnapshot {
  return {
    cluster: 'dev',
    namespace: NS,
    labelSelector: 'backstage.io/kubernetes-id=orders',
    namespaceObject: {
      metadata: {
        name: NS,
        labels: {
          'istio.io/dataplane-mode': 'ambient',
          'istio.io/use-waypoint': 'waypoint',
        },
      },
    },
    pods: [
      pod('orders-1'),
      pod('orders-2', { spec: { nodeName: 'node-b', containers: [] } }),
    ],
    services: [service()],
    deployments: [{ metadata: { name: 'orders', namespace: NS } }],
    statefulSets: [],
    daemonSets: [],
    waypointGateways: [waypointGateway()],
    waypointDeployments: [waypointDeployment()],
    peerAuthentications: [peerAuthentication('default', NS, 'STRICT')],
    authorizationPolicies: [],
    requestAuthentications: [],
    telemetries: [
      {
        metadata: { name: 'mesh-default', namespace: 'istio-system' },
        spec: {
          tracing: [
            {
              providers: [{ name: 'otel-tracing' }],
              randomSamplingPercentage: 10,
            },
          ],
        },
      },
    ],
    networkPolicies: [],
    controlPlane: healthyControlPlane(),
  };
}
