import type {
  CheckDiagnosticId,
  DiagnosticId,
  DiagnosticSeverity,
} from '@ambient-mesh/plugin-istio-common';
import { assessMesh } from './assessMesh';
import {
  authorizationPolicy,
  healthySnapshot,
  NS,
  peerAuthentication,
  pod,
  service,
  waypointDeployment,
  waypointGateway,
} from './__fixtures__/snapshots';
import type { MeshSnapshot } from './snapshot';

type Case = {
  id: DiagnosticId;
  severity: DiagnosticSeverity;
  /** Turns the healthy snapshot into one showing the problem. */
  mutate: (s: MeshSnapshot) => void;
  evidence: string;
  fix: 'template' | 'yaml' | 'command' | 'none';
  /** A string the fix must contain (template values are JSON-encoded). */
  fixContains?: string;
};

const L7_RULES = [
  { to: [{ operation: { methods: ['GET'], paths: ['/api/*'] } }] },
];

const CASES: Case[] = [
  {
    id: 'namespace-not-found',
    severity: 'error',
    mutate: s => {
      s.namespaceObject = undefined;
    },
    evidence: 'GET namespace shop: not found',
    fix: 'template',
    fixContains: '"namespace":"shop"',
  },
  {
    id: 'namespace-not-enrolled',
    severity: 'warning',
    mutate: s => {
      s.namespaceObject!.metadata!.labels = {};
    },
    evidence: 'istio.io/dataplane-mode=(unset)',
    fix: 'template',
    fixContains:
      '"templateRef":"template:default/onboard-namespace","values":{"namespace":"shop","cluster":"dev","waypoint":false}',
  },
  {
    id: 'revision-label-on-ambient-namespace',
    severity: 'error',
    mutate: s => {
      s.namespaceObject!.metadata!.labels!['istio.io/rev'] = 'canary';
    },
    evidence: 'istio.io/rev=canary',
    fix: 'command',
    // Only the label that injects: istio-injection is absent (mutatingwebhook.yaml).
    fixContains: 'kubectl label namespace shop istio.io/rev-',
  },
  {
    id: 'pods-pending',
    severity: 'error',
    mutate: s => {
      s.pods[1] = pod(
        'orders-2',
        { spec: { nodeName: 'node-b', containers: [] } },
        { annotations: { 'ambient.istio.io/redirection': 'pending' } },
      );
    },
    evidence:
      'pod orders-2 on node node-b (Running): ambient.istio.io/redirection=pending',
    fix: 'command',
    fixContains: '--field-selector spec.nodeName=node-b',
  },
  {
    id: 'pods-with-sidecar',
    severity: 'warning',
    mutate: s => {
      s.pods[0] = pod(
        'orders-1',
        {},
        {
          annotations: {
            'ambient.istio.io/redirection': '',
            'sidecar.istio.io/status': '{}',
          },
        },
      );
    },
    evidence:
      'pod orders-1 on node node-a (Running): annotation sidecar.istio.io/status present',
    fix: 'command',
    fixContains: 'rollout restart deployment/orders',
  },
  {
    id: 'pods-not-captured',
    severity: 'error',
    mutate: s => {
      delete s.pods[0].metadata!.annotations!['ambient.istio.io/redirection'];
    },
    evidence:
      'pod orders-1 on node node-a (Running): no ambient.istio.io/redirection annotation',
    fix: 'command',
    fixContains: 'rollout status daemonset/istio-cni-node',
  },
  {
    id: 'pods-opted-out',
    severity: 'info',
    mutate: s => {
      s.pods[0] = pod(
        'orders-1',
        {},
        {
          labels: { 'istio.io/dataplane-mode': 'none' },
          annotations: { 'ambient.istio.io/redirection': '' },
        },
      );
    },
    evidence: 'label istio.io/dataplane-mode=none',
    fix: 'none',
  },
  {
    id: 'host-network-pods',
    severity: 'warning',
    mutate: s => {
      s.pods[0].spec!.hostNetwork = true;
    },
    evidence: 'pod orders-1 on node node-a (Running): spec.hostNetwork=true',
    fix: 'none',
  },
  {
    id: 'waypoint-missing-for-l7-policies',
    severity: 'error',
    mutate: s => {
      s.namespaceObject!.metadata!.labels = {
        'istio.io/dataplane-mode': 'ambient',
      };
      s.waypointGateways = [];
      s.authorizationPolicies = [
        authorizationPolicy('get-only', {
          targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
          rules: L7_RULES,
        }),
      ];
    },
    evidence: 'AuthorizationPolicy shop/get-only uses targetRefs',
    fix: 'template',
    fixContains: '"waypoint":true',
  },
  {
    id: 'waypoint-not-found',
    severity: 'error',
    mutate: s => {
      s.waypointGateways = [];
    },
    evidence: 'Gateway shop/waypoint: not found',
    fix: 'yaml',
    fixContains: 'gatewayClassName: istio-waypoint',
  },
  {
    id: 'waypoint-not-ready',
    severity: 'error',
    mutate: s => {
      s.waypointGateways = [waypointGateway('waypoint', NS, { ready: false })];
    },
    evidence: 'Programmed=false (AddressNotUsable)',
    fix: 'command',
    fixContains: 'kubectl -n shop describe gateway waypoint',
  },
  {
    id: 'service-not-bound',
    severity: 'error',
    mutate: s => {
      s.services = [service('orders', {}, false)];
    },
    evidence:
      'Service shop/orders: istio.io/WaypointBound=False (WaypointIsNotReady): waypoint not ready',
    fix: 'command',
    fixContains: 'get service orders',
  },
  {
    id: 'waypoint-for-mismatch',
    severity: 'error',
    mutate: s => {
      s.waypointGateways = [
        waypointGateway('waypoint', NS, {
          labels: { 'istio.io/waypoint-for': 'workload' },
        }),
      ];
    },
    evidence: 'label istio.io/waypoint-for=workload',
    fix: 'command',
    fixContains: 'label gateway waypoint istio.io/waypoint-for=all --overwrite',
  },
  {
    id: 'waypoint-attachment-denied',
    severity: 'error',
    mutate: s => {
      s.namespaceObject!.metadata!.labels!['istio.io/use-waypoint-namespace'] =
        'mesh-gw';
      s.waypointGateways = [waypointGateway('waypoint', 'mesh-gw')];
      s.waypointDeployments = [waypointDeployment('waypoint', 'mesh-gw')];
    },
    evidence: 'istio.io/use-waypoint-namespace=mesh-gw on the namespace',
    fix: 'yaml',
    fixContains: 'from: All',
  },
  {
    id: 'ingress-bypasses-waypoint',
    severity: 'warning',
    mutate: s => {
      delete s.services[0].metadata!.labels!['istio.io/ingress-use-waypoint'];
    },
    evidence: 'Service shop/orders: no istio.io/ingress-use-waypoint=true',
    fix: 'command',
    fixContains:
      'kubectl -n shop label service orders istio.io/ingress-use-waypoint=true',
  },
  {
    id: 'l7-allow-on-ztunnel',
    severity: 'error',
    mutate: s => {
      s.authorizationPolicies = [
        authorizationPolicy('get-only', {
          selector: { matchLabels: { app: 'orders' } },
          action: 'ALLOW',
          rules: L7_RULES,
        }),
      ];
    },
    evidence:
      'AuthorizationPolicy shop/get-only rule 1: HTTP fields methods, paths; ztunnel enforces nothing',
    fix: 'yaml',
    fixContains:
      'targetRefs:\n    - group: ""\n      kind: Service\n      name: orders',
  },
  {
    id: 'l7-deny-on-ztunnel',
    severity: 'error',
    mutate: s => {
      s.authorizationPolicies = [
        authorizationPolicy('no-admin', {
          action: 'DENY',
          rules: [{ to: [{ operation: { paths: ['/admin'] } }] }],
        }),
      ];
    },
    evidence:
      'AuthorizationPolicy shop/no-admin rule 1: HTTP fields paths; ztunnel enforces nothing',
    fix: 'yaml',
    fixContains: 'action: DENY',
  },
  {
    // istio/istio pilot/pkg/serviceregistry/ambient/authorization.go (PR #61166): the port
    // match of the operation survives, the paths are removed.
    id: 'l7-deny-broadened-on-ztunnel',
    severity: 'error',
    mutate: s => {
      s.authorizationPolicies = [
        authorizationPolicy('no-admin', {
          action: 'DENY',
          rules: [
            { to: [{ operation: { ports: ['8080'], paths: ['/admin'] } }] },
          ],
        }),
      ];
    },
    evidence:
      'AuthorizationPolicy shop/no-admin rule 1: HTTP fields paths; ztunnel enforces to ports [8080]',
    fix: 'yaml',
    fixContains: 'kind: Service',
  },
  {
    // pilot/pkg/model/policyattachment.go (1.28.0): waypoints never use selector.
    id: 'selector-policy-on-waypoint',
    severity: 'error',
    mutate: s => {
      s.authorizationPolicies = [
        authorizationPolicy('waypoint-only', {
          selector: {
            matchLabels: {
              'gateway.networking.k8s.io/gateway-name': 'waypoint',
            },
          },
          rules: [{ to: [{ operation: { methods: ['GET'] } }] }],
        }),
      ];
    },
    evidence:
      'AuthorizationPolicy shop/waypoint-only: selector gateway.networking.k8s.io/gateway-name=waypoint, no targetRefs',
    fix: 'yaml',
    fixContains: 'kind: Gateway',
  },
  {
    id: 'custom-action-on-ztunnel',
    severity: 'error',
    mutate: s => {
      s.authorizationPolicies = [
        authorizationPolicy('ext-authz', {
          selector: { matchLabels: { app: 'orders' } },
          action: 'CUSTOM',
          provider: { name: 'opa' },
          rules: [{}],
        }),
      ];
    },
    evidence: 'AuthorizationPolicy shop/ext-authz: action CUSTOM, selector',
    fix: 'yaml',
    fixContains: 'provider:\n    name: opa',
  },
  {
    id: 'client-identity-rules-behind-waypoint',
    severity: 'error',
    mutate: s => {
      s.authorizationPolicies = [
        authorizationPolicy('from-frontend', {
          selector: { matchLabels: { app: 'orders' } },
          rules: [
            {
              from: [
                {
                  source: { principals: ['cluster.local/ns/shop/sa/frontend'] },
                },
              ],
            },
          ],
        }),
      ];
    },
    evidence:
      'AuthorizationPolicy shop/from-frontend rule 1: source.principals',
    fix: 'yaml',
    fixContains: 'cluster.local/ns/shop/sa/frontend',
  },
  {
    id: 'request-authentication-on-ztunnel',
    severity: 'warning',
    mutate: s => {
      s.requestAuthentications = [
        {
          metadata: { name: 'jwt', namespace: NS },
          spec: {
            selector: { matchLabels: { app: 'orders' } },
            jwtRules: [{ issuer: 'https://issuer.example' }],
          },
        },
      ];
    },
    evidence: 'RequestAuthentication shop/jwt: no targetRefs',
    fix: 'yaml',
    fixContains: 'issuer: https://issuer.example',
  },
  {
    id: 'policy-not-accepted',
    severity: 'warning',
    mutate: s => {
      s.authorizationPolicies = [
        authorizationPolicy(
          'l4',
          {
            rules: [{ from: [{ source: { namespaces: ['shop'] } }] }],
            targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
          },
          NS,
          {
            conditions: [
              {
                type: 'WaypointAccepted',
                status: 'False',
                reason: 'TargetNotFound',
                message: 'no such target',
              },
            ],
          },
        ),
      ];
    },
    evidence: 'WaypointAccepted=False (TargetNotFound): no such target',
    fix: 'none',
  },
  {
    id: 'mtls-permissive',
    severity: 'warning',
    mutate: s => {
      s.peerAuthentications = [peerAuthentication('default', NS, 'PERMISSIVE')];
    },
    evidence: 'PeerAuthentication shop/default (namespace): mode PERMISSIVE',
    fix: 'yaml',
    fixContains: 'mode: STRICT',
  },
  {
    id: 'tracing-not-configured',
    severity: 'warning',
    mutate: s => {
      s.telemetries = [];
    },
    evidence: 'meshConfig extensionProviders (tracing): otel-tracing',
    fix: 'yaml',
    fixContains: 'name: otel-tracing',
  },
  {
    id: 'tracing-default-sampling',
    severity: 'info',
    mutate: s => {
      delete s.telemetries[0].spec!.tracing![0].randomSamplingPercentage;
    },
    evidence: 'no Telemetry with randomSamplingPercentage applies',
    fix: 'yaml',
    fixContains: 'randomSamplingPercentage: 10',
  },
  {
    id: 'ztunnel-missing',
    severity: 'error',
    mutate: s => {
      s.controlPlane.ztunnel = {
        present: false,
        desired: 0,
        ready: 0,
        allReady: false,
      };
    },
    evidence: 'no DaemonSet ztunnel in istio-system, kube-system or ztunnel',
    fix: 'template',
    fixContains:
      '"templateRef":"template:default/ambient-mesh","values":{"cluster":"dev"}',
  },
  {
    id: 'ztunnel-not-ready',
    severity: 'error',
    mutate: s => {
      s.controlPlane.ztunnel = {
        ...s.controlPlane.ztunnel,
        ready: 1,
        allReady: false,
      };
    },
    evidence: 'DaemonSet istio-system/ztunnel: 1/2 ready',
    fix: 'command',
    fixContains: 'rollout status daemonset/ztunnel',
  },
  {
    id: 'istio-cni-missing',
    severity: 'error',
    mutate: s => {
      s.controlPlane.istioCni = {
        present: false,
        desired: 0,
        ready: 0,
        allReady: false,
      };
    },
    evidence: 'no DaemonSet istio-cni-node',
    fix: 'template',
  },
  {
    id: 'istiod-not-ambient',
    severity: 'error',
    mutate: s => {
      s.controlPlane.istiod = { present: true, name: 'istiod', ambient: false };
    },
    evidence: 'Deployment istio-system/istiod: PILOT_ENABLE_AMBIENT not true',
    fix: 'template',
  },
  {
    // istio/istio#59387, #59443 (PR #59309): Gateway API v1.5 serves TLSRoute only
    // as v1; istiod 1.28.0-1.28.5 watches v1alpha2 and never becomes ready.
    id: 'istiod-gateway-api-incompatible',
    severity: 'error',
    mutate: s => {
      s.controlPlane.istiod = {
        present: true,
        name: 'istiod',
        ambient: true,
        version: '1.28.0',
        readyReplicas: 0,
      };
      s.controlPlane.gatewayApi = {
        installed: true,
        bundleVersion: 'v1.5.0',
        safeUpgradesPolicy: true,
      };
    },
    evidence:
      'Deployment istio-system/istiod: Istio 1.28.0, 0 ready replica(s)',
    fix: 'command',
    fixContains:
      'kubectl delete validatingadmissionpolicybinding,validatingadmissionpolicy safe-upgrades.gateway.networking.k8s.io',
  },
  {
    id: 'waypoint-gatewayclass-missing',
    severity: 'error',
    mutate: s => {
      s.controlPlane.waypointGatewayClass = false;
    },
    evidence: 'GatewayClass istio-waypoint: not found',
    fix: 'template',
  },
  {
    id: 'gateway-api-crds-missing',
    severity: 'error',
    mutate: s => {
      s.controlPlane.gatewayApi = { installed: false };
    },
    evidence: 'CRD gateways.gateway.networking.k8s.io: not found',
    fix: 'template',
  },
  {
    id: 'cilium-cni-exclusive',
    severity: 'error',
    mutate: s => {
      s.controlPlane.cilium = { present: true, cniExclusive: true };
    },
    evidence: 'cni-exclusive=true',
    fix: 'command',
    fixContains: '--set cni.exclusive=false',
  },
  {
    id: 'cilium-bpf-masquerade',
    severity: 'warning',
    mutate: s => {
      s.controlPlane.cilium = { present: true, bpfMasquerade: true };
    },
    evidence: 'enable-bpf-masquerade=true',
    fix: 'command',
    fixContains: '--set bpf.masquerade=false',
  },
  {
    id: 'cilium-socket-lb-host-namespace',
    severity: 'warning',
    mutate: s => {
      s.controlPlane.cilium = {
        present: true,
        socketLbHostNamespaceOnly: false,
      };
    },
    evidence: 'bpf-lb-sock-hostns-only=false',
    fix: 'command',
    fixContains: '--set socketLB.hostNamespaceOnly=true',
  },
  {
    id: 'network-policy-blocks-hbone',
    severity: 'error',
    mutate: s => {
      s.networkPolicies = [
        {
          metadata: { name: 'web-only', namespace: NS },
          spec: {
            podSelector: { matchLabels: { app: 'orders' } },
            policyTypes: ['Ingress'],
            ingress: [{ ports: [{ protocol: 'TCP', port: 8080 }] }],
          },
        },
      ];
    },
    evidence: 'pod orders-1: selected by web-only, none allows TCP 15008',
    fix: 'yaml',
    fixContains: 'port: 15008',
  },
];

/** Every diagnostic id, so that the compiler flags an id the table forgets. */
const ALL_IDS: Record<Exclude<DiagnosticId, CheckDiagnosticId>, true> = {
  'namespace-not-found': true,
  'namespace-not-enrolled': true,
  'revision-label-on-ambient-namespace': true,
  'pods-pending': true,
  'pods-with-sidecar': true,
  'pods-not-captured': true,
  'pods-opted-out': true,
  'host-network-pods': true,
  'waypoint-missing-for-l7-policies': true,
  'waypoint-not-found': true,
  'waypoint-not-ready': true,
  'service-not-bound': true,
  'waypoint-for-mismatch': true,
  'waypoint-attachment-denied': true,
  'ingress-bypasses-waypoint': true,
  'l7-allow-on-ztunnel': true,
  'l7-deny-on-ztunnel': true,
  'l7-deny-broadened-on-ztunnel': true,
  'selector-policy-on-waypoint': true,
  'custom-action-on-ztunnel': true,
  'client-identity-rules-behind-waypoint': true,
  'request-authentication-on-ztunnel': true,
  'policy-not-accepted': true,
  'mtls-permissive': true,
  'tracing-not-configured': true,
  'tracing-default-sampling': true,
  'ztunnel-missing': true,
  'ztunnel-not-ready': true,
  'istio-cni-missing': true,
  'istiod-not-ambient': true,
  'istiod-gateway-api-incompatible': true,
  'waypoint-gatewayclass-missing': true,
  'gateway-api-crds-missing': true,
  'cilium-cni-exclusive': true,
  'cilium-bpf-masquerade': true,
  'cilium-socket-lb-host-namespace': true,
  'network-policy-blocks-hbone': true,
};

describe('assessMesh diagnostics', () => {
  it('raises nothing for a healthy entity', () => {
    expect(assessMesh(healthySnapshot()).diagnostics).toEqual([]);
  });

  it('has a case for every diagnostic id', () => {
    expect(CASES.map(c => c.id).sort()).toEqual(Object.keys(ALL_IDS).sort());
  });

  it.each(CASES.map(c => [c.id, c] as const))('raises %s', (_id, c) => {
    const snapshot = healthySnapshot();
    c.mutate(snapshot);
    const diagnostics = assessMesh(snapshot).diagnostics;
    const found = diagnostics.find(d => d.id === c.id);
    expect(found).toBeDefined();
    expect(found!.severity).toBe(c.severity);
    expect(found!.title.length).toBeGreaterThan(0);
    expect(found!.message.length).toBeGreaterThan(20);
    expect(found!.evidence.join('\n')).toContain(c.evidence);
    expect(found!.fix?.kind ?? 'none').toBe(c.fix);
    const fix = found!.fix;
    let fixBody = JSON.stringify(fix ?? {});
    if (fix?.kind === 'yaml') fixBody = fix.yaml;
    if (fix?.kind === 'command') fixBody = fix.command;
    expect(fixBody).toContain(c.fixContains ?? '');
  });

  it('puts errors before warnings before information', () => {
    const snapshot = healthySnapshot();
    snapshot.controlPlane.cilium = { present: true, bpfMasquerade: true };
    snapshot.controlPlane.ztunnel = {
      present: false,
      desired: 0,
      ready: 0,
      allReady: false,
    };
    delete snapshot.telemetries[0].spec!.tracing![0].randomSamplingPercentage;
    expect(assessMesh(snapshot).diagnostics.map(d => d.severity)).toEqual([
      'error',
      'warning',
      'info',
    ]);
  });

  it.each([
    [
      'a DENY mixing L4 and L7 rules',
      {
        action: 'DENY' as const,
        rules: [{ from: [{ source: { namespaces: ['x'] } }] }, ...L7_RULES],
      },
      'warning',
    ],
    [
      'a DENY made only of L7 rules',
      { action: 'DENY' as const, rules: L7_RULES },
      'error',
    ],
  ])('grades %s on ztunnel as %s', (_name, spec, severity) => {
    const snapshot = healthySnapshot();
    snapshot.authorizationPolicies = [authorizationPolicy('deny', spec)];
    const found = assessMesh(snapshot).diagnostics.find(
      d => d.id === 'l7-deny-on-ztunnel',
    );
    expect(found?.severity).toBe(severity);
  });

  it.each([
    ['a NetworkPolicy allowing all ports', [{}]],
    [
      'a NetworkPolicy allowing 15008',
      [{ ports: [{ protocol: 'TCP', port: 15008 }] }],
    ],
    [
      'a NetworkPolicy allowing a port range over 15008',
      [{ ports: [{ port: 15000, endPort: 15010 }] }],
    ],
  ])('accepts %s', (_name, ingress) => {
    const snapshot = healthySnapshot();
    snapshot.networkPolicies = [
      {
        metadata: { name: 'deny-web', namespace: NS },
        spec: { podSelector: {}, ingress: [{ ports: [{ port: 8080 }] }] },
      },
      {
        metadata: { name: 'hbone', namespace: NS },
        spec: { podSelector: {}, ingress },
      },
    ];
    expect(assessMesh(snapshot).diagnostics.map(d => d.id)).not.toContain(
      'network-policy-blocks-hbone',
    );
  });

  it('flags a RequestAuthentication the waypoint did not accept', () => {
    const snapshot = healthySnapshot();
    snapshot.requestAuthentications = [
      {
        metadata: { name: 'jwt', namespace: NS },
        spec: {
          targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
          jwtRules: [{ issuer: 'https://issuer.example' }],
        },
        status: {
          conditions: [
            {
              type: 'WaypointAccepted',
              status: 'False',
              reason: 'Invalid',
              message: 'bad jwks',
            },
          ],
        },
      },
    ];
    expect(assessMesh(snapshot).diagnostics).toEqual([
      expect.objectContaining({
        id: 'policy-not-accepted',
        title: 'RequestAuthentication not fully accepted',
        evidence: ['WaypointAccepted=False (Invalid): bad jwks'],
      }),
    ]);
  });

  it.each(['Pending', 'Succeeded', 'Failed'])(
    'does not call a %s pod without the annotation uncaptured',
    phase => {
      const snapshot = healthySnapshot();
      delete snapshot.pods[0].metadata!.annotations![
        'ambient.istio.io/redirection'
      ];
      snapshot.pods[0].status!.phase = phase;
      expect(assessMesh(snapshot).diagnostics.map(d => d.id)).not.toContain(
        'pods-not-captured',
      );
    },
  );

  it('asks for a waypoint first when L7 rules sit on ztunnel and none exists', () => {
    const snapshot = healthySnapshot();
    snapshot.namespaceObject!.metadata!.labels = {
      'istio.io/dataplane-mode': 'ambient',
    };
    snapshot.authorizationPolicies = [
      authorizationPolicy('get-only', { rules: L7_RULES }),
    ];
    const found = assessMesh(snapshot).diagnostics.find(
      d => d.id === 'l7-allow-on-ztunnel',
    );
    expect(found?.message).toContain('No waypoint serves this service yet');
  });

  it('does not flag client-identity rules when no waypoint is in the path', () => {
    const snapshot = healthySnapshot();
    snapshot.namespaceObject!.metadata!.labels = {
      'istio.io/dataplane-mode': 'ambient',
    };
    snapshot.authorizationPolicies = [
      authorizationPolicy('from-frontend', {
        rules: [
          {
            from: [
              { source: { principals: ['cluster.local/ns/shop/sa/frontend'] } },
            ],
          },
        ],
      }),
    ];
    expect(assessMesh(snapshot).diagnostics.map(d => d.id)).toEqual([]);
  });
});
