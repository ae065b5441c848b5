import {
  KUBECONFIG_CONTEXTS,
  Sandbox,
  startSandbox,
} from '@ambient-mesh/mesh-sandbox';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { MeshReader } from './MeshReader';

const SCALE_NS = 'scale';

function kubeConfig(sandbox: Sandbox, user: 'admin' | 'readonly'): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(sandbox.kubeconfig);
  kc.setCurrentContext(KUBECONFIG_CONTEXTS[user]);
  return kc;
}

async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

describe('MeshReader against the mesh sandbox', () => {
  let sandbox: Sandbox;
  let readonly: KubeConfig;
  const kubeRequests = () =>
    sandbox.requestLog.count(e => e.server === 'kubernetes');

  beforeAll(async () => {
    sandbox = await startSandbox({ waypointDelayMs: 50, tickMs: 1000 });
    readonly = kubeConfig(sandbox, 'readonly');
    const admin = kubeConfig(sandbox, 'admin');
    await admin.makeApiClient(CoreV1Api).createNamespace({
      body: {
        metadata: {
          name: SCALE_NS,
          labels: { 'istio.io/dataplane-mode': 'ambient' },
        },
      },
    });
    const apps = admin.makeApiClient(AppsV1Api);
    for (const [name, replicas] of [
      ['small', 5],
      ['large', 500],
    ] as const) {
      await apps.createNamespacedDeployment({
        namespace: SCALE_NS,
        body: {
          metadata: { name, labels: { 'backstage.io/kubernetes-id': name } },
          spec: {
            replicas,
            selector: { matchLabels: { app: name } },
            template: {
              metadata: {
                labels: { app: name, 'backstage.io/kubernetes-id': name },
              },
              spec: { containers: [{ name, image: `example/${name}:1` }] },
            },
          },
        },
      });
    }
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  afterEach(() => {
    sandbox.faults.clear();
  });

  it('reads and assesses a demo service with the read-only credentials', async () => {
    const reader = new MeshReader();
    const status = await eventually(async () => {
      const s = await reader.readStatus('sandbox', readonly, {
        namespace: 'microservices',
        labelSelector: 'backstage.io/kubernetes-id=orders',
      });
      return s.waypoint.kind === 'waypoint' &&
        s.waypoint.ready &&
        s.enrollment.podCounts.captured === 2
        ? s
        : undefined;
    }, 15_000);

    expect(status.enrollment).toMatchObject({
      namespace: 'microservices',
      namespaceExists: true,
      mode: 'ambient',
    });
    expect(status.enrollment.pods).toHaveLength(2);
    expect(status.waypoint).toMatchObject({
      kind: 'waypoint',
      name: 'waypoint',
      namespace: 'microservices',
      exists: true,
      for: 'service',
    });
    expect(status.controlPlane).toMatchObject({
      istioNamespace: 'istio-system',
      ztunnel: { present: true },
      istioCni: { present: true },
      istiod: { present: true, ambient: true },
      waypointGatewayClass: true,
      gatewayApi: { installed: true },
      tracing: {
        providers: ['otel-tracing'],
        configured: true,
        samplingPercentage: 10,
      },
      cilium: { present: true, cniExclusive: false },
    });
    const ids = status.diagnostics.map(d => d.id);
    expect(ids).not.toContain('namespace-not-enrolled');
    expect(ids).not.toContain('ztunnel-missing');
  });

  it('makes the same number of Kubernetes requests for 5 pods and for 500', async () => {
    const measure = async (name: string, replicas: number) => {
      const target = {
        namespace: SCALE_NS,
        labelSelector: `backstage.io/kubernetes-id=${name}`,
      };
      await eventually(async () => {
        const s = await new MeshReader().readSnapshot(
          'sandbox',
          readonly,
          target,
        );
        return s.pods.length === replicas || undefined;
      }, 30_000);
      sandbox.requestLog.clear();
      const snapshot = await new MeshReader().readSnapshot(
        'sandbox',
        readonly,
        target,
      );
      return {
        requests: kubeRequests(),
        pods: snapshot.pods.length,
        podLists: sandbox.requestLog.count(
          e =>
            e.server === 'kubernetes' &&
            e.path === `/api/v1/namespaces/${SCALE_NS}/pods`,
        ),
      };
    };
    const counts = {
      small: await measure('small', 5),
      large: await measure('large', 500),
    };
    expect(counts.small.pods).toBe(5);
    expect(counts.large.pods).toBe(500);
    expect(counts.large.requests).toBe(counts.small.requests);
    // One list filtered by the entity's selector, one of the whole namespace (selector checks).
    expect(counts.small.podLists).toBe(2);
    expect(counts.large.podLists).toBe(2);
    // A fixed budget per view: the namespace views, the traffic objects (one list per
    // kind) and the cluster-wide facts (DaemonSets also in Sail's ztunnel and istio-cni
    // namespaces, Gateway API's safe-upgrades ValidatingAdmissionPolicy, and the root
    // namespace's RequestAuthentications).
    expect(counts.small.requests).toBeLessThanOrEqual(53);
  }, 90_000);

  it.each([
    ['allows routes from all namespaces', 'open', 'All' as const, true],
    ['keeps the default (same namespace)', 'closed', undefined, false],
  ])(
    'reads a waypoint in another namespace that %s',
    async (_name, suffix, allowedFrom, bound) => {
      const admin = kubeConfig(sandbox, 'admin');
      const core = admin.makeApiClient(CoreV1Api);
      const gatewayNs = `gateways-${suffix}`;
      const appNs = `cross-${suffix}`;
      await core.createNamespace({ body: { metadata: { name: gatewayNs } } });
      await core.createNamespace({
        body: {
          metadata: {
            name: appNs,
            labels: {
              'istio.io/dataplane-mode': 'ambient',
              'istio.io/use-waypoint': 'shared',
              'istio.io/use-waypoint-namespace': gatewayNs,
            },
          },
        },
      });
      await admin.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
        group: 'gateway.networking.k8s.io',
        version: 'v1',
        namespace: gatewayNs,
        plural: 'gateways',
        body: {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'Gateway',
          metadata: { name: 'shared', namespace: gatewayNs },
          spec: {
            gatewayClassName: 'istio-waypoint',
            listeners: [
              {
                name: 'mesh',
                port: 15008,
                protocol: 'HBONE',
                ...(allowedFrom
                  ? { allowedRoutes: { namespaces: { from: allowedFrom } } }
                  : {}),
              },
            ],
          },
        },
      });
      await core.createNamespacedService({
        namespace: appNs,
        body: {
          metadata: {
            name: 'api',
            labels: { 'backstage.io/kubernetes-id': 'api' },
          },
          spec: { selector: { app: 'api' }, ports: [{ port: 80 }] },
        },
      });
      const target = {
        namespace: appNs,
        labelSelector: 'backstage.io/kubernetes-id=api',
      };
      const status = await eventually(async () => {
        const s = await new MeshReader().readStatus(
          'sandbox',
          readonly,
          target,
        );
        return s.waypoint.kind === 'waypoint' &&
          s.waypoint.ready &&
          s.waypoint.services[0]?.status !== 'Unknown'
          ? s
          : undefined;
      }, 15_000);
      expect(status.waypoint).toMatchObject({
        kind: 'waypoint',
        name: 'shared',
        namespace: gatewayNs,
        boundFrom: 'namespace',
        exists: true,
        ready: true,
        bound,
      });
      expect(status.waypoint).toMatchObject({
        services: [
          bound
            ? { service: 'api', status: 'True', reason: 'WaypointAccepted' }
            : { service: 'api', status: 'False', reason: 'AttachmentDenied' },
        ],
      });
      expect(
        status.diagnostics.some(d => d.id === 'waypoint-attachment-denied'),
      ).toBe(!bound);
    },
  );

  it('lists root-namespace policies that target the GatewayClass istio-waypoint (pilot/pkg/model/policyattachment.go 1.28.0)', async () => {
    const custom = kubeConfig(sandbox, 'admin').makeApiClient(CustomObjectsApi);
    const classRef = {
      group: 'gateway.networking.k8s.io',
      kind: 'GatewayClass',
      name: 'istio-waypoint',
    };
    await custom.createNamespacedCustomObject({
      group: 'security.istio.io',
      version: 'v1',
      namespace: 'istio-system',
      plural: 'authorizationpolicies',
      body: {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: {
          name: 'all-waypoints-deny-debug',
          namespace: 'istio-system',
        },
        spec: {
          targetRefs: [classRef],
          action: 'DENY',
          rules: [{ to: [{ operation: { paths: ['/debug/*'] } }] }],
        },
      },
    });
    await custom.createNamespacedCustomObject({
      group: 'security.istio.io',
      version: 'v1',
      namespace: 'istio-system',
      plural: 'requestauthentications',
      body: {
        apiVersion: 'security.istio.io/v1',
        kind: 'RequestAuthentication',
        metadata: { name: 'all-waypoints-jwt', namespace: 'istio-system' },
        spec: {
          targetRefs: [classRef],
          jwtRules: [{ issuer: 'https://idp.example' }],
        },
      },
    });
    const status = await eventually(async () => {
      const s = await new MeshReader().readStatus('sandbox', readonly, {
        namespace: 'microservices',
        labelSelector: 'backstage.io/kubernetes-id=orders',
      });
      const ap = s.policies.items.find(
        p => p.name === 'all-waypoints-deny-debug',
      );
      return ap?.conditions.length ? s : undefined;
    }, 15_000);
    const byName = (name: string) =>
      status.policies.items.find(p => p.name === name);
    expect(byName('all-waypoints-deny-debug')).toMatchObject({
      scope: 'gatewayClass',
      enforcer: 'waypoint',
      conditions: [
        {
          type: 'WaypointAccepted',
          status: 'True',
          reason: 'Accepted',
          message: 'bound to istio-waypoint',
        },
      ],
    });
    expect(byName('all-waypoints-jwt')).toMatchObject({
      kind: 'RequestAuthentication',
      scope: 'gatewayClass',
      enforcer: 'waypoint',
    });
  });

  it('caches the control-plane facts per cluster for the TTL', async () => {
    let now = 1_000_000;
    const reader = new MeshReader({
      controlPlaneTtlMs: 60_000,
      now: () => now,
    });
    const target = {
      namespace: 'microservices',
      labelSelector: 'backstage.io/kubernetes-id=orders',
    };
    const istiodLists = () =>
      sandbox.requestLog.count(
        e =>
          e.server === 'kubernetes' &&
          e.path === '/apis/apps/v1/namespaces/istio-system/deployments',
      );
    sandbox.requestLog.clear();
    await Promise.all([
      reader.readSnapshot('sandbox', readonly, target),
      reader.readSnapshot('sandbox', readonly, target),
    ]);
    expect(istiodLists()).toBe(1);
    now += 30_000;
    await reader.readSnapshot('sandbox', readonly, target);
    expect(istiodLists()).toBe(1);
    now += 31_000;
    await reader.readSnapshot('sandbox', readonly, target);
    expect(istiodLists()).toBe(2);
  });

  it('names the missing verb and resource on a 403', async () => {
    sandbox.faults.add({
      server: 'kubernetes',
      method: 'GET',
      path: '/apis/security.istio.io/v1/namespaces/microservices/authorizationpolicies',
      status: 403,
      message: 'forbidden',
    });
    await expect(
      new MeshReader().readSnapshot('sandbox', readonly, {
        namespace: 'microservices',
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'need the "list" verb on "authorizationpolicies.security.istio.io" in namespace microservices',
      ),
    });
  });

  it('answers with a timeout error within the deadline when Kubernetes is slow', async () => {
    sandbox.faults.add({
      server: 'kubernetes',
      method: 'GET',
      path: '/api/v1/namespaces/microservices/pods',
      delayMs: 5_000,
    });
    const started = Date.now();
    await expect(
      new MeshReader({ requestTimeoutMs: 300 }).readSnapshot(
        'sandbox',
        readonly,
        { namespace: 'microservices' },
      ),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message:
        'Kubernetes did not answer within 300 ms: list pods in namespace microservices on cluster sandbox',
    });
    expect(Date.now() - started).toBeLessThan(1_300);
  });

  it('says the credentials were refused on a 401', async () => {
    sandbox.faults.add({
      server: 'kubernetes',
      path: '/api/v1/namespaces/microservices/services',
      status: 401,
    });
    await expect(
      new MeshReader().readSnapshot('sandbox', readonly, {
        namespace: 'microservices',
      }),
    ).rejects.toMatchObject({
      name: 'AuthenticationError',
      message: expect.stringContaining(
        'Kubernetes rejected the credentials of cluster sandbox (401)',
      ),
    });
  });

  it('refuses an invalid target, naming the field', async () => {
    await expect(
      new MeshReader().readSnapshot('sandbox', readonly, {
        namespace: 'Not_A/Namespace',
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'Invalid mesh target: namespace must be a Kubernetes namespace name',
      ),
    });
  });
});

describe('MeshReader against a cluster without the Gateway API CRDs', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ gatewayApi: false, tickMs: 1000 });
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('reads the missing CRDs as facts, not as errors', async () => {
    const status = await new MeshReader().readStatus(
      'sandbox',
      kubeConfig(sandbox, 'readonly'),
      {
        namespace: 'microservices',
        labelSelector: 'backstage.io/kubernetes-id=orders',
      },
    );
    expect(status.controlPlane.gatewayApi).toEqual({ installed: false });
    expect(status.controlPlane.waypointGatewayClass).toBe(false);
    expect(status.waypoint).toMatchObject({
      kind: 'waypoint',
      name: 'waypoint',
      exists: false,
    });
    expect(status.diagnostics.map(d => d.id)).toEqual(
      expect.arrayContaining([
        'gateway-api-crds-missing',
        'waypoint-gatewayclass-missing',
        'waypoint-not-found',
      ]),
    );
  });
});
