import type { PodCaptureState } from '@ambient-mesh/plugin-istio-common';
import { assessMesh } from './assessMesh';
import {
  authorizationPolicy,
  healthySnapshot,
  NS,
  peerAuthentication,
  pod,
  service,
} from './__fixtures__/snapshots';
import type { PeerAuthenticationObject } from './snapshot';

describe('capture state of each pod', () => {
  it.each<[string, Parameters<typeof pod>, PodCaptureState]>([
    ['redirection enabled', ['p', {}, {}], 'captured'],
    [
      'redirection pending',
      ['p', {}, { annotations: { 'ambient.istio.io/redirection': 'pending' } }],
      'pending',
    ],
    [
      'a sidecar',
      [
        'p',
        {},
        {
          annotations: {
            'ambient.istio.io/redirection': '',
            'sidecar.istio.io/status': '{"containers":["istio-proxy"]}',
          },
        },
      ],
      'sidecar',
    ],
    [
      'dataplane-mode=none',
      [
        'p',
        {},
        {
          labels: { 'istio.io/dataplane-mode': 'none' },
          annotations: { 'ambient.istio.io/redirection': '' },
        },
      ],
      'opted-out',
    ],
    [
      'no annotation',
      ['p', {}, { annotations: { 'ambient.istio.io/redirection': '' } }],
      'not-captured',
    ],
    [
      'hostNetwork',
      ['p', { spec: { hostNetwork: true, containers: [] } }, {}],
      'host-network',
    ],
    [
      'hostNetwork even if annotated',
      [
        'p',
        { spec: { hostNetwork: true, containers: [] } },
        { annotations: { 'sidecar.istio.io/status': '{}' } },
      ],
      'host-network',
    ],
    [
      'opted out but still annotated (the annotation is the truth)',
      ['p', {}, { labels: { 'istio.io/dataplane-mode': 'none' } }],
      'captured',
    ],
  ])('a pod with %s is %s', (_name, args, state) => {
    const snapshot = healthySnapshot();
    snapshot.pods = [pod(...args)];
    const { enrollment } = assessMesh(snapshot);
    expect(enrollment.pods).toEqual([
      expect.objectContaining({ name: 'p', namespace: NS, state }),
    ]);
    expect(enrollment.podCounts[state]).toBe(1);
    expect(Object.values(enrollment.podCounts).reduce((a, b) => a + b)).toBe(1);
  });

  it('reports name, node and phase', () => {
    const snapshot = healthySnapshot();
    snapshot.pods = [
      pod('orders-9', {
        spec: { nodeName: 'node-z', containers: [] },
        status: { phase: 'Pending' },
      }),
    ];
    expect(assessMesh(snapshot).enrollment.pods).toEqual([
      {
        name: 'orders-9',
        namespace: NS,
        node: 'node-z',
        phase: 'Pending',
        state: 'captured',
      },
    ]);
  });

  it.each([
    [{ 'istio.io/dataplane-mode': 'ambient' }, 'ambient'],
    [{ 'istio-injection': 'enabled' }, 'sidecar'],
    [{ 'istio.io/rev': 'stable' }, 'sidecar'],
    [
      { 'istio.io/dataplane-mode': 'ambient', 'istio.io/rev': 'stable' },
      'ambient',
    ],
    [{}, 'none'],
  ])('a namespace labelled %j is in %s mode', (labels, mode) => {
    const snapshot = healthySnapshot();
    snapshot.namespaceObject = { metadata: { name: NS, labels } };
    expect(assessMesh(snapshot).enrollment.mode).toBe(mode);
  });
});

describe('effective PeerAuthentication (workload > namespace > mesh)', () => {
  const APP = { app: 'orders' };
  const mesh = (mode?: string) =>
    peerAuthentication('mesh', 'istio-system', mode);
  const namespace = (mode?: string, name = 'default', created?: string) =>
    peerAuthentication(name, NS, mode, { created });
  const workload = (mode?: string, selector = APP) =>
    peerAuthentication('orders-mtls', NS, mode, {
      selector,
      portLevel: { '9090': 'PERMISSIVE' },
    });

  it.each<
    [string, PeerAuthenticationObject[], string, string, string | undefined]
  >([
    ['nothing', [], 'UNSET', 'default', undefined],
    ['mesh only', [mesh('STRICT')], 'STRICT', 'mesh', 'istio-system/mesh'],
    [
      'namespace beats mesh',
      [mesh('STRICT'), namespace('PERMISSIVE')],
      'PERMISSIVE',
      'namespace',
      'shop/default',
    ],
    [
      'workload beats namespace and mesh',
      [mesh('PERMISSIVE'), namespace('PERMISSIVE'), workload('STRICT')],
      'STRICT',
      'workload',
      'shop/orders-mtls',
    ],
    [
      'an UNSET workload inherits the namespace',
      [namespace('STRICT'), workload('UNSET')],
      'STRICT',
      'namespace',
      'shop/default',
    ],
    [
      'an UNSET namespace inherits the mesh',
      [mesh('STRICT'), namespace(undefined)],
      'STRICT',
      'mesh',
      'istio-system/mesh',
    ],
    [
      'a workload policy for other pods does not apply',
      [namespace('PERMISSIVE'), workload('STRICT', { app: 'other' })],
      'PERMISSIVE',
      'namespace',
      'shop/default',
    ],
    [
      'a policy of another namespace does not apply',
      [peerAuthentication('default', 'other', 'STRICT')],
      'UNSET',
      'default',
      undefined,
    ],
    [
      'a selector policy in the root namespace is not mesh-wide',
      [peerAuthentication('sel', 'istio-system', 'STRICT', { selector: APP })],
      'UNSET',
      'default',
      undefined,
    ],
    [
      'the oldest of two namespace policies wins',
      [
        namespace('PERMISSIVE', 'b-new', '2026-02-01T00:00:00Z'),
        namespace('STRICT', 'a-old', '2025-01-01T00:00:00Z'),
      ],
      'STRICT',
      'namespace',
      'shop/a-old',
    ],
  ])('%s', (_name, policies, mode, source, resource) => {
    const snapshot = healthySnapshot();
    snapshot.peerAuthentications = policies;
    const { configured } = assessMesh(snapshot).mtls;
    expect(configured.mode).toBe(mode);
    expect(configured.source).toBe(source);
    expect(
      configured.resource
        ? `${configured.resource.namespace}/${configured.resource.name}`
        : undefined,
    ).toBe(resource);
  });

  it('keeps the port-level modes of a workload policy', () => {
    const snapshot = healthySnapshot();
    snapshot.peerAuthentications = [workload('STRICT')];
    expect(assessMesh(snapshot).mtls.configured.portLevel).toEqual({
      '9090': 'PERMISSIVE',
    });
  });

  it('takes the weakest mode when pods differ', () => {
    const snapshot = healthySnapshot();
    snapshot.pods = [
      pod('a'),
      pod('b', {}, { labels: { app: 'orders-canary' } }),
    ];
    snapshot.peerAuthentications = [
      namespace('PERMISSIVE'),
      workload('STRICT'),
    ];
    expect(assessMesh(snapshot).mtls.configured).toMatchObject({
      mode: 'PERMISSIVE',
      source: 'namespace',
    });
  });

  it('lists the deciding PeerAuthentication among the policies', () => {
    const snapshot = healthySnapshot();
    snapshot.peerAuthentications = [mesh('STRICT')];
    expect(assessMesh(snapshot).policies.items).toContainEqual(
      expect.objectContaining({
        kind: 'PeerAuthentication',
        name: 'mesh',
        scope: 'mesh',
        enforcer: 'ztunnel',
        summary: 'mTLS STRICT',
      }),
    );
  });
});

describe('mTLS grade (configured part)', () => {
  it.each([
    ['STRICT with every pod captured', 'STRICT', 'strict'],
    ['PERMISSIVE', 'PERMISSIVE', 'partial'],
  ])('%s is %s', (_name, mode, grade) => {
    const snapshot = healthySnapshot();
    snapshot.peerAuthentications = [peerAuthentication('default', NS, mode)];
    const { mtls } = assessMesh(snapshot);
    expect(mtls.grade).toBe(grade);
    expect(mtls.observedShare).toBeNull();
  });

  it('is none when no pod is captured', () => {
    const snapshot = healthySnapshot();
    snapshot.pods = [
      pod('p', {}, { annotations: { 'ambient.istio.io/redirection': '' } }),
    ];
    expect(assessMesh(snapshot).mtls.grade).toBe('none');
  });
});

describe('policies and their enforcer', () => {
  it.each([
    [
      'namespace-wide',
      authorizationPolicy('ns', { rules: [{}] }),
      { scope: 'namespace', enforcer: 'ztunnel', layer: 'L4' },
    ],
    [
      'mesh-wide',
      authorizationPolicy(
        'mesh',
        {
          action: 'DENY',
          rules: [{ from: [{ source: { ipBlocks: ['1.2.3.4'] } }] }],
        },
        'istio-system',
      ),
      { scope: 'mesh', enforcer: 'ztunnel', layer: 'L4' },
    ],
    [
      'selector',
      authorizationPolicy('sel', {
        selector: { matchLabels: { app: 'orders' } },
        rules: [{ to: [{ operation: { ports: ['8080'] } }] }],
      }),
      { scope: 'selector', enforcer: 'ztunnel', layer: 'L4' },
    ],
    [
      'targetRefs Service',
      authorizationPolicy('svc', {
        targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
        rules: [{ to: [{ operation: { methods: ['GET'] } }] }],
      }),
      { scope: 'targetRefs', enforcer: 'waypoint', layer: 'L7' },
    ],
    [
      'targetRefs Gateway',
      authorizationPolicy('gw', {
        targetRefs: [
          {
            kind: 'Gateway',
            group: 'gateway.networking.k8s.io',
            name: 'waypoint',
          },
        ],
        rules: [
          {
            from: [{ source: { namespaces: ['a'] } }],
            to: [{ operation: { paths: ['/x'] } }],
          },
        ],
      }),
      { scope: 'targetRefs', enforcer: 'waypoint', layer: 'L4+L7' },
    ],
  ])('a %s AuthorizationPolicy applies', (_name, policy, expected) => {
    const snapshot = healthySnapshot();
    snapshot.authorizationPolicies = [policy];
    expect(
      assessMesh(snapshot).policies.items.filter(
        p => p.kind === 'AuthorizationPolicy',
      ),
    ).toEqual([
      expect.objectContaining({ name: policy.metadata.name, ...expected }),
    ]);
  });

  it.each([
    [
      'a selector for other pods',
      authorizationPolicy('x', { selector: { matchLabels: { app: 'other' } } }),
    ],
    [
      'targetRefs to another Service',
      authorizationPolicy('x', {
        targetRefs: [{ kind: 'Service', group: '', name: 'payments' }],
      }),
    ],
    [
      'targetRefs to another Gateway',
      authorizationPolicy('x', {
        targetRefs: [
          {
            kind: 'Gateway',
            group: 'gateway.networking.k8s.io',
            name: 'other',
          },
        ],
      }),
    ],
    ['another namespace', authorizationPolicy('x', {}, 'payments')],
  ])('a policy with %s does not apply', (_name, policy) => {
    const snapshot = healthySnapshot();
    snapshot.authorizationPolicies = [policy];
    expect(assessMesh(snapshot).policies.items.map(p => p.name)).not.toContain(
      'x',
    );
  });

  it.each([
    ['an allow-nothing policy', authorizationPolicy('deny-all', {}), true],
    [
      'an allow-nothing policy in the root namespace',
      authorizationPolicy('deny-all', { action: 'ALLOW' }, 'istio-system'),
      true,
    ],
    [
      'an allow-all policy',
      authorizationPolicy('allow-all', { rules: [{}] }),
      false,
    ],
    [
      'an empty DENY policy',
      authorizationPolicy('deny', { action: 'DENY' }),
      false,
    ],
  ])('with %s default deny is %s', (_name, policy, defaultDeny) => {
    const snapshot = healthySnapshot();
    snapshot.authorizationPolicies = [policy];
    expect(assessMesh(snapshot).policies.defaultDeny).toBe(defaultDeny);
  });

  it('summarises rules in one line', () => {
    const snapshot = healthySnapshot();
    snapshot.authorizationPolicies = [
      authorizationPolicy('get', {
        targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
        rules: [
          {
            from: [{ source: { namespaces: ['web'] } }],
            to: [{ operation: { methods: ['GET'] } }],
          },
        ],
      }),
    ];
    expect(
      assessMesh(snapshot).policies.items.find(p => p.name === 'get')?.summary,
    ).toBe('ALLOW: from namespaces [web]; to methods [GET]');
  });
});

describe('waypoint', () => {
  it('reports the bound, ready waypoint', () => {
    expect(assessMesh(healthySnapshot()).waypoint).toEqual({
      kind: 'waypoint',
      name: 'waypoint',
      namespace: NS,
      boundFrom: 'namespace',
      exists: true,
      for: 'service',
      ready: true,
      accepted: true,
      programmed: true,
      addresses: ['10.96.0.20'],
      readyReplicas: 1,
      bound: true,
      services: [
        {
          service: 'orders',
          status: 'True',
          reason: 'WaypointAccepted',
          ingress: { usesWaypoint: true, from: 'service', value: 'true' },
        },
      ],
      ingressUsesWaypoint: true,
    });
  });

  it('lets a Service label beat the namespace label, and none opt out', () => {
    const snapshot = healthySnapshot();
    snapshot.services = [
      service('orders', { 'istio.io/use-waypoint': 'none' }),
    ];
    expect(assessMesh(snapshot).waypoint).toEqual({ kind: 'none' });
    snapshot.services = [
      service('orders', { 'istio.io/use-waypoint': 'orders-wp' }),
    ];
    expect(assessMesh(snapshot).waypoint).toMatchObject({
      name: 'orders-wp',
      boundFrom: 'service',
      exists: false,
    });
  });

  it('is not ready while its Deployment has no ready replica', () => {
    const snapshot = healthySnapshot();
    snapshot.waypointDeployments = [];
    expect(assessMesh(snapshot).waypoint).toMatchObject({
      ready: false,
      programmed: true,
      readyReplicas: 0,
    });
  });

  it('uses a pod label when the entity has no Service', () => {
    const snapshot = healthySnapshot();
    snapshot.services = [];
    snapshot.namespaceObject!.metadata!.labels = {
      'istio.io/dataplane-mode': 'ambient',
    };
    snapshot.pods = [
      pod('p', {}, { labels: { 'istio.io/use-waypoint': 'waypoint' } }),
    ];
    expect(assessMesh(snapshot).waypoint).toMatchObject({
      kind: 'waypoint',
      boundFrom: 'pod',
      bound: false,
      services: [],
    });
    expect(assessMesh(snapshot).diagnostics.map(d => d.id)).toContain(
      'waypoint-for-mismatch',
    );
  });
});
