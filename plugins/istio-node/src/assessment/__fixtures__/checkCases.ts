import type {
  CheckDiagnosticId,
  DiagnosticSeverity,
} from '@ambient-mesh/plugin-istio-common';
import { NS, pod } from './snapshots';
import { namedService, namespaceObject } from './traffic';
import type { MeshSnapshot } from '../snapshot';
import type { TrafficSnapshot } from '../trafficObjects';

/**
 * One case per upstream check: the upstream code, the file whose condition it follows,
 * a change to the healthy snapshot that shows the bad shape (the diagnostic fires on the
 * named object and field) and one that shows the good shape next to it (it does not).
 */
export type CheckCase = {
  code: string;
  upstream: string;
  id: CheckDiagnosticId;
  severity: DiagnosticSeverity;
  bad: (s: MeshSnapshot, t: TrafficSnapshot) => void;
  good: (s: MeshSnapshot, t: TrafficSnapshot) => void;
  evidence: string;
  object: { kind: string; name: string; field?: string };
  fix: 'template' | 'yaml' | 'command';
  fixContains?: string;
};

const KIALI = 'kiali/kiali@d733a096e02e business/checkers';
const ISTIO = 'istio/istio@86c9f01fd735 pkg/config/analysis/analyzers';

const vs = (name: string, namespace: string, spec: object) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name, namespace },
  spec,
});
const dr = (name: string, namespace: string, spec: object) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name, namespace },
  spec,
});
const httpRoute = (
  name: string,
  namespace: string,
  spec: object,
  status?: object,
) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name, namespace },
  spec,
  ...(status ? { status } : {}),
});
const gateway = (
  name: string,
  namespace: string,
  spec: object,
  status?: object,
) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name, namespace },
  spec,
  ...(status ? { status } : {}),
});
const istioGateway = (name: string, namespace: string, hosts: string[]) => ({
  metadata: { name, namespace },
  spec: {
    selector: { istio: 'ingressgateway' },
    servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts }],
  },
});
const se = (name: string, host: string, port: number, protocol: string) => ({
  metadata: { name, namespace: NS },
  spec: {
    hosts: [host],
    ports: [
      { number: port, name: `${protocol.toLowerCase()}-${port}`, protocol },
    ],
    resolution: 'DNS',
  },
});
const ap = (name: string, spec: object, namespace = NS) => ({
  metadata: { name, namespace },
  spec,
});

export const CHECK_CASES: CheckCase[] = [
  // --- Kiali, ambient-specific ---
  {
    code: 'KIA0210',
    upstream: `${KIALI}/destinationrules (ambient L7 checks)`,
    id: 'destination-rule-l7-needs-waypoint',
    severity: 'warning',
    bad: (s, t) => {
      t.destinationRules.push(
        dr('unknown-l7', NS, {
          host: 'nowhere',
          trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5 } },
        }) as never,
      );
      s.namespaceObject = namespaceObject(NS, {
        'istio.io/dataplane-mode': 'ambient',
      });
    },
    good: (_s, t) =>
      void t.destinationRules.push(
        dr('unknown-l4', NS, {
          host: 'nowhere.example.com',
          trafficPolicy: { tls: { mode: 'SIMPLE' } },
        }) as never,
      ),
    evidence: 'Namespace shop: no istio.io/use-waypoint label',
    object: {
      kind: 'DestinationRule',
      name: 'unknown-l7',
      field: 'spec.trafficPolicy.outlierDetection',
    },
    fix: 'template',
    fixContains: '"waypoint":true',
  },
  {
    code: 'KIA0211',
    upstream: `${KIALI}/destinationrules (ambient L7 checks)`,
    id: 'destination-rule-l7-needs-waypoint',
    severity: 'warning',
    bad: (s, t) => {
      s.services[0].metadata!.labels!['istio.io/use-waypoint'] = 'none';
      t.destinationRules[0].spec!.trafficPolicy = {
        loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } },
      };
    },
    good: (s, t) => {
      s.services[0].metadata!.labels!['istio.io/use-waypoint'] = 'none';
      t.destinationRules[0].spec!.trafficPolicy = {
        loadBalancer: { simple: 'ROUND_ROBIN' },
      };
    },
    evidence: 'Service shop/orders: no istio.io/use-waypoint label',
    object: {
      kind: 'DestinationRule',
      name: 'orders',
      field: 'spec.trafficPolicy.loadBalancer.consistentHash.httpHeaderName',
    },
    fix: 'template',
    fixContains: '"namespace":"shop"',
  },
  {
    code: 'KIA0212',
    upstream: `${KIALI}/destinationrules (ambient L7 checks)`,
    id: 'destination-rule-wrong-namespace',
    severity: 'warning',
    bad: (_s, t) =>
      void t.destinationRules.splice(
        0,
        1,
        dr('orders-from-other', 'other', {
          host: 'orders.shop.svc.cluster.local',
          trafficPolicy: { connectionPool: { http: { maxRetries: 3 } } },
        }) as never,
      ),
    good: (_s, t) =>
      void t.destinationRules.splice(
        0,
        1,
        dr('orders-from-other', 'other', {
          host: 'orders.shop.svc.cluster.local',
          trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
        }) as never,
      ),
    evidence: 'spec.host: orders.shop.svc.cluster.local (Service shop/orders)',
    object: {
      kind: 'DestinationRule',
      name: 'orders-from-other',
      field: 'spec.host',
    },
    fix: 'yaml',
    fixContains: 'namespace: shop',
  },
  {
    code: 'KIA1109',
    upstream: `${KIALI}/virtualservices (ambient waypoint checks)`,
    id: 'virtual-service-needs-waypoint',
    severity: 'warning',
    bad: (s, t) => {
      s.namespaceObject = namespaceObject(NS, {
        'istio.io/dataplane-mode': 'ambient',
      });
      t.virtualServices.splice(
        0,
        1,
        vs('external', NS, {
          hosts: ['www.example.com'],
          http: [
            { route: [{ destination: { host: 'api.payments.example.com' } }] },
          ],
        }) as never,
      );
    },
    good: (s, t) => {
      s.namespaceObject = namespaceObject(NS, {
        'istio.io/dataplane-mode': 'ambient',
      });
      t.virtualServices.splice(
        0,
        1,
        vs('external', NS, {
          hosts: ['www.example.com'],
          tcp: [
            { route: [{ destination: { host: 'api.payments.example.com' } }] },
          ],
        }) as never,
      );
    },
    evidence: 'Namespace shop: no istio.io/use-waypoint label',
    object: { kind: 'VirtualService', name: 'external', field: 'spec.hosts' },
    fix: 'template',
    fixContains: '"namespace":"shop"',
  },
  {
    code: 'KIA1113',
    upstream: `${KIALI}/virtualservices (ambient waypoint checks); istio/istio tests/integration/ambient/testdata`,
    id: 'virtual-service-needs-waypoint',
    severity: 'warning',
    bad: s =>
      void (s.services[0].metadata!.labels!['istio.io/use-waypoint'] = 'none'),
    good: s =>
      void (s.services[0].metadata!.labels!['istio.io/use-waypoint'] =
        'waypoint'),
    evidence: 'spec.hosts[0]: orders -> Service shop/orders',
    object: { kind: 'VirtualService', name: 'orders', field: 'spec.hosts[0]' },
    fix: 'template',
    fixContains: '"waypoint":true',
  },
  {
    code: 'KIA1114',
    upstream: `${KIALI}/virtualservices (ambient waypoint checks)`,
    id: 'virtual-service-wrong-namespace',
    severity: 'warning',
    bad: (_s, t) =>
      void t.virtualServices.splice(
        0,
        1,
        vs('orders-from-other', 'other', {
          hosts: ['orders.shop.svc.cluster.local'],
          http: [
            {
              route: [
                { destination: { host: 'orders.shop.svc.cluster.local' } },
              ],
            },
          ],
        }) as never,
      ),
    good: (_s, t) =>
      void t.virtualServices.splice(
        0,
        1,
        vs('orders-from-other', 'other', {
          hosts: ['orders.shop.svc.cluster.local'],
          tcp: [
            {
              route: [
                { destination: { host: 'orders.shop.svc.cluster.local' } },
              ],
            },
          ],
        }) as never,
      ),
    evidence:
      'spec.hosts[0]: orders.shop.svc.cluster.local (Service shop/orders',
    object: {
      kind: 'VirtualService',
      name: 'orders-from-other',
      field: 'spec.hosts[0]',
    },
    fix: 'yaml',
    fixContains: 'namespace: shop',
  },
  {
    code: 'KIA1111',
    upstream: `${KIALI}/wasmplugins (ambient checks)`,
    id: 'wasm-plugin-needs-waypoint',
    severity: 'warning',
    bad: (_s, t) => {
      t.wasmPlugins.push({
        metadata: { name: 'auth', namespace: NS },
        spec: {
          targetRefs: [{ kind: 'Service', group: '', name: 'frontend' }],
          url: 'oci://ghcr.io/example/auth:1',
        },
      });
      t.services.splice(
        1,
        1,
        namedService('frontend', NS, {
          labels: { 'istio.io/use-waypoint': 'none' },
        }),
      );
    },
    good: (_s, t) =>
      void t.wasmPlugins.push({
        metadata: { name: 'auth', namespace: NS },
        spec: {
          targetRefs: [{ kind: 'Service', group: '', name: 'frontend' }],
          url: 'oci://ghcr.io/example/auth:1',
        },
      }),
    evidence: 'spec.targetRefs[0]: Service shop/frontend',
    object: { kind: 'WasmPlugin', name: 'auth', field: 'spec.targetRefs[0]' },
    fix: 'template',
  },
  {
    code: 'KIA1116',
    upstream: `${KIALI}/wasmplugins (ambient checks)`,
    id: 'wasm-plugin-on-ztunnel',
    severity: 'warning',
    bad: (_s, t) =>
      void t.wasmPlugins.push({
        metadata: { name: 'auth', namespace: NS },
        spec: {
          selector: { matchLabels: { app: 'orders' } },
          url: 'oci://ghcr.io/example/auth:1',
        },
      }),
    good: (_s, t) =>
      void t.wasmPlugins.push({
        metadata: { name: 'auth', namespace: NS },
        spec: {
          targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
          url: 'oci://ghcr.io/example/auth:1',
        },
      }),
    evidence: 'WasmPlugin shop/auth: no targetRefs',
    object: { kind: 'WasmPlugin', name: 'auth', field: 'spec.selector' },
    fix: 'yaml',
    fixContains: 'kind: Service',
  },
  {
    code: 'KIA1112',
    upstream: `${KIALI}/telemetries (ambient checks)`,
    id: 'telemetry-l7-needs-waypoint',
    severity: 'warning',
    bad: (_s, t) =>
      void t.telemetries.push({
        metadata: { name: 'logs', namespace: 'legacy' },
        spec: {
          targetRefs: [{ kind: 'Service', group: '', name: 'legacy' }],
          accessLogging: [{ providers: [{ name: 'envoy' }] }],
        },
      }),
    good: (_s, t) =>
      void t.telemetries.push({
        metadata: { name: 'logs', namespace: 'other' },
        spec: {
          targetRefs: [{ kind: 'Service', group: '', name: 'billing' }],
          accessLogging: [{ providers: [{ name: 'envoy' }] }],
        },
      }),
    evidence: 'spec.targetRefs[0]: Service legacy/legacy',
    object: { kind: 'Telemetry', name: 'logs', field: 'spec.targetRefs[0]' },
    fix: 'template',
  },
  {
    code: 'KIA1117',
    upstream: `${KIALI}/telemetries (ambient checks)`,
    id: 'telemetry-l7-on-ztunnel',
    severity: 'warning',
    bad: (_s, t) =>
      void t.telemetries.push({
        metadata: { name: 'logs', namespace: NS },
        spec: {
          selector: { matchLabels: { app: 'orders' } },
          accessLogging: [{ providers: [{ name: 'envoy' }] }],
        },
      }),
    good: (_s, t) =>
      void t.telemetries.push({
        metadata: { name: 'metrics-only', namespace: NS },
        spec: {
          selector: { matchLabels: { app: 'orders' } },
          metrics: [{ providers: [{ name: 'prometheus' }] }],
        },
      }),
    evidence: 'Telemetry shop/logs: no targetRefs',
    object: { kind: 'Telemetry', name: 'logs', field: 'spec.selector' },
    fix: 'yaml',
    fixContains: 'targetRefs',
  },
  {
    code: 'KIA1311',
    upstream: `${KIALI}/workloads (ambient label checks)`,
    id: 'sidecar-and-ambient-labels',
    severity: 'error',
    bad: s =>
      void s.pods.push(
        pod('orders-3', {}, { labels: { 'sidecar.istio.io/inject': 'true' } }),
      ),
    good: s =>
      void s.pods.push(
        pod('orders-3', {}, { labels: { 'sidecar.istio.io/inject': 'false' } }),
      ),
    evidence:
      'pod orders-3: namespace istio.io/dataplane-mode=ambient and pod sidecar.istio.io/inject=true',
    object: { kind: 'Pod', name: 'orders-3', field: 'metadata.labels' },
    fix: 'command',
    fixContains: 'sidecar.istio.io/inject-',
  },
  {
    code: 'KIA1312',
    upstream: `${KIALI}/workloads (ambient label checks)`,
    id: 'waypoint-label-not-ambient',
    severity: 'warning',
    bad: s =>
      void (s.namespaceObject!.metadata!.labels = {
        'istio.io/use-waypoint': 'waypoint',
      }),
    good: s => void (s.namespaceObject!.metadata!.labels = {}),
    evidence:
      'istio.io/use-waypoint=waypoint (from the namespace), not ambient',
    object: { kind: 'Namespace', name: NS },
    fix: 'template',
    fixContains: '"waypoint":true',
  },
  {
    code: 'KIA1314',
    upstream: `${KIALI}/workloads (ambient label checks)`,
    id: 'sidecar-label-with-ambient-redirection',
    severity: 'error',
    bad: s =>
      void s.pods.push(
        pod(
          'orders-3',
          {},
          { labels: { 'sidecar.istio.io/inject': 'enabled' } },
        ),
      ),
    good: s =>
      void s.pods.push(
        pod('orders-3', {}, { labels: { 'sidecar.istio.io/inject': 'false' } }),
      ),
    evidence:
      'pod orders-3: ambient.istio.io/redirection=enabled and pod sidecar.istio.io/inject=enabled',
    object: { kind: 'Pod', name: 'orders-3', field: 'metadata.annotations' },
    fix: 'command',
    fixContains: 'istio-injection-',
  },
  // --- Kiali, generic ---
  {
    code: 'KIA0101',
    upstream: `${KIALI}/authorization/namespace_method_checker.go`,
    id: 'policy-namespace-not-found',
    severity: 'warning',
    bad: s =>
      void s.authorizationPolicies.push(
        ap('from-ghost', {
          targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
          rules: [{ from: [{ source: { namespaces: ['ghost'] } }] }],
        }) as never,
      ),
    good: s =>
      void s.authorizationPolicies.push(
        ap('from-other', {
          targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
          rules: [{ from: [{ source: { namespaces: ['oth*'] } }] }],
        }) as never,
      ),
    evidence:
      'spec.rules[0].from[0].source.namespaces[0]: ghost (no such namespace)',
    object: {
      kind: 'AuthorizationPolicy',
      name: 'from-ghost',
      field: 'spec.rules[0].from[0].source.namespaces[0]',
    },
    fix: 'command',
  },
  {
    code: 'KIA0102',
    upstream: `${KIALI}/authorization/namespace_method_checker.go`,
    id: 'policy-invalid-method',
    severity: 'warning',
    bad: s =>
      void s.authorizationPolicies.push(
        ap('bad-method', {
          targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
          rules: [{ to: [{ operation: { methods: ['get'] } }] }],
        }) as never,
      ),
    good: s =>
      void s.authorizationPolicies.push(
        ap('good-method', {
          targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
          rules: [{ to: [{ operation: { methods: ['GET', 'PO*'] } }] }],
        }) as never,
      ),
    evidence: 'spec.rules[0].to[0].operation.methods[0]: get',
    object: {
      kind: 'AuthorizationPolicy',
      name: 'bad-method',
      field: 'spec.rules[0].to[0].operation.methods[0]',
    },
    fix: 'command',
  },
  {
    code: 'KIA0104',
    upstream: `${KIALI}/authorization/no_host_checker.go`,
    id: 'policy-host-not-found',
    severity: 'error',
    bad: s =>
      void s.authorizationPolicies.push(
        ap('hosts', {
          targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
          rules: [{ to: [{ operation: { hosts: ['ordrs'] } }] }],
        }) as never,
      ),
    good: s =>
      void s.authorizationPolicies.push(
        ap('hosts', {
          targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
          rules: [
            { to: [{ operation: { hosts: ['orders', 'billing.other'] } }] },
          ],
        }) as never,
      ),
    evidence: 'spec.rules[0].to[0].operation.hosts[0]: ordrs (not found)',
    object: {
      kind: 'AuthorizationPolicy',
      name: 'hosts',
      field: 'spec.rules[0].to[0].operation.hosts[0]',
    },
    fix: 'command',
  },
  {
    code: 'KIA0105',
    upstream: `${KIALI}/authorization/mtls_enabled_checker.go`,
    id: 'identity-rules-without-mtls',
    severity: 'warning',
    bad: s =>
      void (s.peerAuthentications[0].spec = { mtls: { mode: 'PERMISSIVE' } }),
    good: s =>
      void (s.peerAuthentications[0].spec = { mtls: { mode: 'STRICT' } }),
    evidence: 'effective PeerAuthentication mode: PERMISSIVE',
    object: {
      kind: 'AuthorizationPolicy',
      name: 'orders-callers',
      field: 'spec.rules[0].from[0].source.principals',
    },
    fix: 'yaml',
    fixContains: 'mode: STRICT',
  },
  {
    code: 'KIA0106',
    upstream: `${KIALI}/authorization/principals_checker.go`,
    id: 'principal-not-found',
    severity: 'error',
    bad: s =>
      void (s.authorizationPolicies[0].spec!.rules![0].from![0].source!.principals =
        ['cluster.local/ns/shop/sa/frontnd']),
    good: s =>
      void (s.authorizationPolicies[0].spec!.rules![0].from![0].source!.principals =
        ['cluster.local/ns/shop/sa/front*']),
    evidence:
      'cluster.local/ns/shop/sa/frontnd (no ServiceAccount shop/frontnd)',
    object: {
      kind: 'AuthorizationPolicy',
      name: 'orders-callers',
      field: 'spec.rules[0].from[0].source.principals[0]',
    },
    fix: 'command',
    fixContains: 'kubectl get serviceaccounts -n shop',
  },
  {
    code: 'KIA0108',
    upstream: `${KIALI}/authorization/principals_checker.go`,
    id: 'principal-unknown-trust-domain',
    severity: 'warning',
    bad: s =>
      void (s.authorizationPolicies[0].spec!.rules![0].from![0].source!.principals =
        ['example.org/ns/shop/sa/frontend']),
    good: s =>
      void (s.authorizationPolicies[0].spec!.rules![0].from![0].source!.principals =
        ['*/ns/shop/sa/frontend']),
    evidence:
      'example.org/ns/shop/sa/frontend (mesh trust domain cluster.local)',
    object: {
      kind: 'AuthorizationPolicy',
      name: 'orders-callers',
      field: 'spec.rules[0].from[0].source.principals[0]',
    },
    fix: 'command',
  },
  {
    code: 'KIA0004',
    upstream: `${KIALI}/common/no_workload_checker.go`,
    id: 'policy-selector-matches-nothing',
    severity: 'warning',
    bad: s =>
      void s.authorizationPolicies.push(
        ap('orders-v0', {
          selector: { matchLabels: { app: 'orders', version: 'v0' } },
          rules: [{}],
        }) as never,
      ),
    good: s =>
      void s.authorizationPolicies.push(
        ap('orders-v1', {
          selector: { matchLabels: { app: 'orders', version: 'v1' } },
          rules: [{}],
        }) as never,
      ),
    evidence:
      'spec.selector.matchLabels: app=orders,version=v0 (0 of 3 pods in shop)',
    object: {
      kind: 'AuthorizationPolicy',
      name: 'orders-v0',
      field: 'spec.selector.matchLabels',
    },
    fix: 'command',
    fixContains: 'kubectl get pods -n shop -l app=orders,version=v0',
  },
  {
    code: 'KIA0002',
    upstream: `${KIALI}/peerauthentications (multi_match checker)`,
    id: 'peer-authentication-conflict',
    severity: 'error',
    bad: s =>
      void s.peerAuthentications.push({
        metadata: { name: 'second', namespace: NS },
        spec: { mtls: { mode: 'STRICT' } },
      }),
    good: s =>
      void s.peerAuthentications.push({
        metadata: { name: 'second', namespace: NS },
        spec: {
          selector: { matchLabels: { app: 'frontend' } },
          mtls: { mode: 'STRICT' },
        },
      }),
    evidence: 'PeerAuthentication shop/second: no selector',
    object: {
      kind: 'PeerAuthentication',
      name: 'second',
      field: 'spec.selector',
    },
    fix: 'command',
    fixContains: 'kubectl delete peerauthentication second -n shop',
  },
  {
    code: 'KIA0003',
    upstream: `${KIALI}/common/multi_match_selector_checker.go`,
    id: 'peer-authentication-conflict',
    severity: 'error',
    bad: s =>
      void s.peerAuthentications.push(
        {
          metadata: { name: 'orders-a', namespace: NS },
          spec: {
            selector: { matchLabels: { app: 'orders' } },
            mtls: { mode: 'STRICT' },
          },
        },
        {
          metadata: { name: 'orders-b', namespace: NS },
          spec: {
            selector: { matchLabels: { version: 'v1' } },
            mtls: { mode: 'STRICT' },
          },
        },
      ),
    good: s =>
      void s.peerAuthentications.push(
        {
          metadata: { name: 'orders-a', namespace: NS },
          spec: {
            selector: { matchLabels: { app: 'orders' } },
            mtls: { mode: 'STRICT' },
          },
        },
        {
          metadata: { name: 'frontend', namespace: NS },
          spec: {
            selector: { matchLabels: { app: 'frontend' } },
            mtls: { mode: 'STRICT' },
          },
        },
      ),
    evidence: 'pod shop/orders-1: selected by orders-a, orders-b',
    object: {
      kind: 'PeerAuthentication',
      name: 'orders-b',
      field: 'spec.selector',
    },
    fix: 'command',
  },
  {
    code: 'KIA0201',
    upstream: `${KIALI}/destinationrules/multi_match_checker.go`,
    id: 'destination-rule-duplicate',
    severity: 'warning',
    bad: (_s, t) =>
      void t.destinationRules.push(
        dr('orders-again', NS, {
          host: 'orders',
          subsets: [{ name: 'v1', labels: { version: 'v1' } }],
        }) as never,
      ),
    good: (_s, t) =>
      void t.destinationRules.push(
        dr('mesh-mtls', 'istio-system', {
          host: '*.local',
          trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
        }) as never,
      ),
    evidence: 'DestinationRule shop/orders-again spec.host: orders',
    object: { kind: 'DestinationRule', name: 'orders', field: 'spec.host' },
    fix: 'command',
  },
  {
    code: 'KIA0202',
    upstream: `${KIALI}/destinationrules/no_dest_checker.go`,
    id: 'destination-rule-host-not-found',
    severity: 'warning',
    bad: (_s, t) =>
      void t.destinationRules.push(dr('typo', NS, { host: 'ordrs' }) as never),
    good: (_s, t) =>
      void t.destinationRules.push(
        dr('external', NS, { host: 'api.payments.example.com' }) as never,
      ),
    evidence: 'spec.host: ordrs (no Service or ServiceEntry)',
    object: { kind: 'DestinationRule', name: 'typo', field: 'spec.host' },
    fix: 'command',
  },
  {
    code: 'KIA0203',
    upstream: `${KIALI}/destinationrules/no_dest_checker.go`,
    id: 'destination-rule-subset-no-pods',
    severity: 'error',
    bad: (_s, t) =>
      void t.destinationRules[0].spec!.subsets!.push({
        name: 'v2',
        labels: { version: 'v2' },
      }),
    good: (_s, t) =>
      void t.destinationRules[0].spec!.subsets!.push({
        name: 'v1b',
        labels: { version: 'v1' },
      }),
    evidence: 'spec.subsets[1].labels: version=v2',
    object: {
      kind: 'DestinationRule',
      name: 'orders',
      field: 'spec.subsets[1].labels',
    },
    fix: 'command',
    fixContains: '--show-labels',
  },
  {
    code: 'KIA0209',
    upstream: `${KIALI}/destinationrules/no_dest_checker.go`,
    id: 'destination-rule-subset-no-labels',
    severity: 'warning',
    bad: (_s, t) =>
      void t.destinationRules[0].spec!.subsets!.push({ name: 'all' }),
    good: (_s, t) =>
      void t.destinationRules[0].spec!.subsets!.push({
        name: 'v1b',
        labels: { version: 'v1' },
      }),
    evidence: 'spec.subsets[1] (all): no labels',
    object: {
      kind: 'DestinationRule',
      name: 'orders',
      field: 'spec.subsets[1].labels',
    },
    fix: 'command',
  },
  {
    code: 'KIA1101',
    upstream: `${KIALI}/virtualservices/no_host_checker.go`,
    id: 'virtual-service-destination-not-found',
    severity: 'error',
    bad: (_s, t) =>
      void (t.virtualServices[0].spec!.http![0].route![0].destination!.host =
        'ordrs'),
    good: (_s, t) =>
      void (t.virtualServices[0].spec!.http![0].route![0].destination!.host =
        'orders.shop.svc.cluster.local'),
    evidence:
      'spec.http[0].route[0].destination.host: ordrs (no Service or ServiceEntry)',
    object: {
      kind: 'VirtualService',
      name: 'orders',
      field: 'spec.http[0].route[0].destination.host',
    },
    fix: 'command',
    fixContains: 'kubectl edit virtualservice orders -n shop',
  },
  {
    code: 'KIA1102',
    upstream: `${KIALI}/virtualservices/no_gateway_checker.go`,
    id: 'virtual-service-gateway-not-found',
    severity: 'error',
    bad: (_s, t) =>
      void (t.virtualServices[0].spec!.gateways = [
        'mesh',
        'istio-ingress/public',
      ]),
    good: (_s, t) => {
      t.virtualServices[0].spec!.gateways = ['mesh', 'istio-ingress/public'];
      t.istioGateways.push(
        istioGateway('public', 'istio-ingress', ['orders.example.com']),
      );
    },
    evidence:
      'spec.gateways[1]: istio-ingress/public (no networking.istio.io Gateway istio-ingress/public)',
    object: {
      kind: 'VirtualService',
      name: 'orders',
      field: 'spec.gateways[1]',
    },
    fix: 'command',
  },
  {
    code: 'KIA1104',
    upstream: `${KIALI}/virtualservices/route_checker.go`,
    id: 'virtual-service-single-weight',
    severity: 'warning',
    bad: (_s, t) =>
      void (t.virtualServices[0].spec!.http![0].route![0].weight = 80),
    good: (_s, t) => {
      t.virtualServices[0].spec!.http![0].route = [
        { destination: { host: 'orders', subset: 'v1' }, weight: 80 },
        { destination: { host: 'frontend' }, weight: 20 },
      ];
    },
    evidence: 'spec.http[0].route[0].weight: 80',
    object: {
      kind: 'VirtualService',
      name: 'orders',
      field: 'spec.http[0].route[0].weight',
    },
    fix: 'command',
  },
  {
    code: 'KIA1105',
    upstream: `${KIALI}/virtualservices/route_checker.go`,
    id: 'virtual-service-duplicate-destination',
    severity: 'warning',
    bad: (_s, t) =>
      void t.virtualServices[0].spec!.http![0].route!.push({
        destination: { host: 'orders.shop.svc.cluster.local', subset: 'v1' },
      }),
    good: (_s, t) =>
      void t.virtualServices[0].spec!.http![0].route!.push({
        destination: { host: 'frontend' },
      }),
    evidence:
      'spec.http[0].route[1].destination: orders.shop.svc.cluster.local/v1 repeated',
    object: {
      kind: 'VirtualService',
      name: 'orders',
      field: 'spec.http[0].route[1].destination',
    },
    fix: 'command',
  },
  {
    code: 'KIA1106',
    upstream: `${KIALI}/virtualservices/single_host_checker.go`,
    id: 'virtual-service-duplicate-host',
    severity: 'warning',
    bad: (_s, t) =>
      void t.virtualServices.push(
        vs('orders-2', NS, {
          hosts: ['orders.shop.svc.cluster.local'],
          http: [{ route: [{ destination: { host: 'orders' } }] }],
        }) as never,
      ),
    good: (_s, t) =>
      void t.virtualServices.push(
        vs('orders-public', NS, {
          hosts: ['orders.shop.svc.cluster.local'],
          gateways: ['istio-ingress/public'],
          http: [{ route: [{ destination: { host: 'orders' } }] }],
        }) as never,
      ),
    evidence: 'host orders.shop.svc.cluster.local: shop/orders, shop/orders-2',
    object: { kind: 'VirtualService', name: 'orders', field: 'spec.hosts' },
    fix: 'command',
  },
  {
    code: 'KIA1107',
    upstream: `${KIALI}/virtualservices/subset_presence_checker.go`,
    id: 'virtual-service-subset-not-found',
    severity: 'warning',
    bad: (_s, t) =>
      void (t.virtualServices[0].spec!.http![0].route![0].destination!.subset =
        'v2'),
    good: (_s, t) =>
      void (t.virtualServices[0].spec!.http![0].route![0].destination!.subset =
        'v1'),
    evidence:
      'spec.http[0].route[0].destination.subset: v2 (no DestinationRule subset for orders.shop.svc.cluster.local)',
    object: {
      kind: 'VirtualService',
      name: 'orders',
      field: 'spec.http[0].route[0].destination.subset',
    },
    fix: 'yaml',
    fixContains: 'name: v2',
  },
  {
    code: 'KIA1108',
    upstream: `${KIALI}/virtualservices/no_gateway_checker.go`,
    id: 'virtual-service-gateway-old-name',
    severity: 'info',
    bad: (_s, t) => {
      t.virtualServices[0].spec!.gateways = ['public.istio-ingress'];
      t.istioGateways.push(
        istioGateway('public', 'istio-ingress', ['orders.example.com']),
      );
    },
    good: (_s, t) => {
      t.virtualServices[0].spec!.gateways = ['istio-ingress/public'];
      t.istioGateways.push(
        istioGateway('public', 'istio-ingress', ['orders.example.com']),
      );
    },
    evidence: 'spec.gateways[0]: public.istio-ingress',
    object: {
      kind: 'VirtualService',
      name: 'orders',
      field: 'spec.gateways[0]',
    },
    fix: 'command',
    fixContains: 'istio-ingress/public',
  },
  {
    code: 'KIA0301',
    upstream: `${KIALI}/gateways/multi_match_checker.go`,
    id: 'istio-gateway-duplicate-host',
    severity: 'warning',
    bad: (_s, t) =>
      void t.istioGateways.push(
        istioGateway('a', NS, ['shop.example.com']),
        istioGateway('b', 'istio-ingress', ['shop.example.com']),
      ),
    good: (_s, t) =>
      void t.istioGateways.push(
        istioGateway('a', NS, ['shop.example.com']),
        istioGateway('b', 'istio-ingress', ['admin.example.com']),
      ),
    evidence: 'Gateway shop/a port 80 hosts shop.example.com',
    object: { kind: 'Gateway', name: 'a', field: 'spec.servers' },
    fix: 'command',
  },
  {
    code: 'KIA1501',
    upstream: `${KIALI}/k8sgateways/multi_match_checker.go`,
    id: 'gateway-listener-conflict',
    severity: 'warning',
    bad: (_s, t) =>
      void t.gateways.push(
        gateway('public', NS, {
          gatewayClassName: 'istio',
          listeners: [
            {
              name: 'web',
              hostname: 'shop.example.com',
              port: 80,
              protocol: 'HTTP',
            },
          ],
        }) as never,
        gateway('public-2', 'istio-ingress', {
          gatewayClassName: 'istio',
          listeners: [
            {
              name: 'web',
              hostname: 'shop.example.com',
              port: 80,
              protocol: 'HTTP',
            },
          ],
        }) as never,
      ),
    good: (_s, t) =>
      void t.gateways.push(
        gateway('public', NS, {
          gatewayClassName: 'istio',
          listeners: [
            {
              name: 'web',
              hostname: 'shop.example.com',
              port: 80,
              protocol: 'HTTP',
            },
          ],
        }) as never,
        gateway('public-2', 'istio-ingress', {
          gatewayClassName: 'istio',
          listeners: [
            {
              name: 'web',
              hostname: 'admin.example.com',
              port: 80,
              protocol: 'HTTP',
            },
          ],
        }) as never,
      ),
    evidence:
      'listener web: shop.example.com 80/HTTP; also in Gateway istio-ingress/public-2',
    object: { kind: 'Gateway', name: 'public', field: 'spec.listeners[web]' },
    fix: 'command',
  },
  {
    code: 'KIA1502',
    upstream: `${KIALI}/k8sgateways/multi_match_checker.go`,
    id: 'gateway-address-conflict',
    severity: 'warning',
    bad: (_s, t) =>
      void t.gateways.push(
        gateway('public', NS, {
          gatewayClassName: 'istio',
          addresses: [{ type: 'IPAddress', value: '10.0.0.9' }],
          listeners: [],
        }) as never,
        gateway('other', 'istio-ingress', {
          gatewayClassName: 'istio',
          addresses: [{ value: '10.0.0.9' }],
          listeners: [],
        }) as never,
      ),
    good: (_s, t) =>
      void t.gateways.push(
        gateway('public', NS, {
          gatewayClassName: 'istio',
          addresses: [{ type: 'IPAddress', value: '10.0.0.9' }],
          listeners: [],
        }) as never,
        gateway('other', 'istio-ingress', {
          gatewayClassName: 'istio',
          addresses: [{ value: '10.0.0.10' }],
          listeners: [],
        }) as never,
      ),
    evidence:
      'spec.addresses: IPAddress 10.0.0.9; also Gateway istio-ingress/other',
    object: { kind: 'Gateway', name: 'public', field: 'spec.addresses' },
    fix: 'command',
  },
  {
    code: 'KIA1503',
    upstream: `${KIALI}/k8sgateways/multi_match_checker.go`,
    id: 'gateway-listener-conflict',
    severity: 'error',
    bad: (_s, t) =>
      void t.gateways.push(
        gateway('public', NS, {
          gatewayClassName: 'istio',
          listeners: [
            { name: 'a', port: 80, protocol: 'HTTP' },
            { name: 'b', port: 80, protocol: 'HTTP' },
          ],
        }) as never,
      ),
    good: (_s, t) =>
      void t.gateways.push(
        gateway('public', NS, {
          gatewayClassName: 'istio',
          listeners: [
            { name: 'a', port: 80, protocol: 'HTTP' },
            { name: 'b', port: 443, protocol: 'HTTPS' },
          ],
        }) as never,
      ),
    evidence: 'spec.listeners a, b: (no hostname) 80/HTTP',
    object: { kind: 'Gateway', name: 'public', field: 'spec.listeners' },
    fix: 'command',
  },
  {
    code: 'KIA1504',
    upstream: `${KIALI}/k8sgateways/gatewayclass_checker.go`,
    id: 'gateway-class-not-found',
    severity: 'error',
    bad: (_s, t) =>
      void t.gateways.push(
        gateway('public', NS, {
          gatewayClassName: 'nginx',
          listeners: [],
        }) as never,
      ),
    good: (_s, t) =>
      void t.gateways.push(
        gateway('public', NS, {
          gatewayClassName: 'istio',
          listeners: [],
        }) as never,
      ),
    evidence:
      'spec.gatewayClassName: nginx (GatewayClasses: istio, istio-waypoint)',
    object: { kind: 'Gateway', name: 'public', field: 'spec.gatewayClassName' },
    fix: 'command',
    fixContains: 'kubectl get gatewayclasses',
  },
  {
    code: 'GWAPI',
    upstream: `${KIALI}/k8sgateways/status_checker.go; ${ISTIO}/conditions (IST0171)`,
    id: 'gateway-not-accepted',
    severity: 'warning',
    bad: (_s, t) =>
      void t.gateways.push(
        gateway(
          'public',
          NS,
          {
            gatewayClassName: 'istio',
            listeners: [{ name: 'web', port: 80, protocol: 'HTTP' }],
          },
          {
            conditions: [{ type: 'Accepted', status: 'True' }],
            listeners: [
              {
                name: 'web',
                conditions: [
                  {
                    type: 'ResolvedRefs',
                    status: 'False',
                    reason: 'InvalidCertificateRef',
                    message: 'secret not found',
                  },
                ],
              },
            ],
          },
        ) as never,
      ),
    good: (_s, t) =>
      void t.gateways.push(
        gateway(
          'public',
          NS,
          {
            gatewayClassName: 'istio',
            listeners: [{ name: 'web', port: 80, protocol: 'HTTP' }],
          },
          {
            conditions: [
              {
                type: 'Programmed',
                status: 'False',
                reason: 'Pending',
                message: 'address pending',
              },
            ],
          },
        ) as never,
      ),
    evidence:
      'status.listeners[web] ResolvedRefs=False (InvalidCertificateRef): secret not found',
    object: { kind: 'Gateway', name: 'public', field: 'status.listeners[web]' },
    fix: 'command',
    fixContains: 'kubectl describe gateway public -n shop',
  },
  {
    code: 'KIA1401',
    upstream: `${KIALI}/k8shttproutes/no_k8sgateway_checker.go`,
    id: 'route-parent-not-found',
    severity: 'error',
    bad: (_s, t) =>
      void t.httpRoutes.push(
        httpRoute('public', NS, {
          parentRefs: [{ name: 'public', namespace: 'istio-ingress' }],
          rules: [{ backendRefs: [{ name: 'orders', port: 80 }] }],
        }) as never,
      ),
    good: (_s, t) => {
      t.httpRoutes.push(
        httpRoute('public', NS, {
          parentRefs: [{ name: 'public', namespace: 'istio-ingress' }],
          rules: [{ backendRefs: [{ name: 'orders', port: 80 }] }],
        }) as never,
      );
      t.gateways.push(
        gateway('public', 'istio-ingress', {
          gatewayClassName: 'istio',
          listeners: [
            {
              name: 'web',
              port: 80,
              protocol: 'HTTP',
              allowedRoutes: { namespaces: { from: 'All' } },
            },
          ],
        }) as never,
      );
    },
    evidence: 'spec.parentRefs[0]: Gateway istio-ingress/public (not found)',
    object: { kind: 'HTTPRoute', name: 'public', field: 'spec.parentRefs[0]' },
    fix: 'command',
  },
  {
    code: 'KIA1402',
    upstream: `${KIALI}/k8shttproutes/no_service_checker.go`,
    id: 'route-backend-not-found',
    severity: 'error',
    bad: (_s, t) =>
      void t.httpRoutes[0].spec!.rules![0].backendRefs!.push({
        name: 'billing',
        namespace: 'other',
        port: 80,
      }),
    good: (_s, t) => {
      t.httpRoutes[0].spec!.rules![0].backendRefs!.push({
        name: 'billing',
        namespace: 'other',
        port: 80,
      });
      t.referenceGrants.push({
        metadata: { name: 'from-shop', namespace: 'other' },
        spec: {
          from: [
            {
              group: 'gateway.networking.k8s.io',
              kind: 'HTTPRoute',
              namespace: NS,
            },
          ],
          to: [{ group: '', kind: 'Service' }],
        },
      });
    },
    evidence:
      'spec.rules[0].backendRefs[1]: Service other/billing (no ReferenceGrant)',
    object: {
      kind: 'HTTPRoute',
      name: 'orders',
      field: 'spec.rules[0].backendRefs[1]',
    },
    fix: 'yaml',
    fixContains: 'kind: ReferenceGrant',
  },
  {
    code: 'KIA1601',
    upstream: `${KIALI}/k8sreferencegrants/namespace_checker.go`,
    id: 'reference-grant-namespace-not-found',
    severity: 'error',
    bad: (_s, t) =>
      void t.referenceGrants.push({
        metadata: { name: 'from-ghost', namespace: NS },
        spec: {
          from: [
            {
              group: 'gateway.networking.k8s.io',
              kind: 'HTTPRoute',
              namespace: 'ghost',
            },
          ],
          to: [{ group: '', kind: 'Service' }],
        },
      }),
    good: (_s, t) =>
      void t.referenceGrants.push({
        metadata: { name: 'from-other', namespace: NS },
        spec: {
          from: [
            {
              group: 'gateway.networking.k8s.io',
              kind: 'HTTPRoute',
              namespace: 'other',
            },
          ],
          to: [{ group: '', kind: 'Service' }],
        },
      }),
    evidence: 'spec.from[0].namespace: ghost (not found)',
    object: {
      kind: 'ReferenceGrant',
      name: 'from-ghost',
      field: 'spec.from[0].namespace',
    },
    fix: 'command',
  },
  {
    code: 'KIA1211',
    upstream: `${KIALI}/serviceentries (multi-match checker)`,
    id: 'service-entry-duplicate',
    severity: 'warning',
    bad: (_s, t) =>
      void t.serviceEntries.push(
        se('payments-again', 'api.payments.example.com', 443, 'TLS') as never,
      ),
    good: (_s, t) =>
      void t.serviceEntries.push(
        se('payments-http', 'api.payments.example.com', 80, 'HTTP') as never,
      ),
    evidence: 'ServiceEntry shop/payments-again: same host and port',
    object: {
      kind: 'ServiceEntry',
      name: 'payments-api',
      field: 'spec.hosts[0]',
    },
    fix: 'command',
  },
  {
    code: 'KIA1212',
    upstream: `${KIALI}/serviceentries (protocol checker); ${ISTIO}/serviceentry (IST0177)`,
    id: 'service-entry-protocol-conflict',
    severity: 'warning',
    bad: (_s, t) =>
      void t.serviceEntries.push(
        se('payments-https', 'api.payments.example.com', 443, 'HTTPS') as never,
      ),
    good: (_s, t) =>
      void t.serviceEntries.push(
        se('payments-http', 'api.payments.example.com', 80, 'HTTP') as never,
      ),
    evidence: 'spec.hosts[0]: api.payments.example.com, port 443 TLS',
    object: {
      kind: 'ServiceEntry',
      name: 'payments-api',
      field: 'spec.hosts[0]',
    },
    fix: 'command',
  },
  {
    code: 'KIA0601',
    upstream: `${KIALI}/services/port_mapping_checker.go; ${ISTIO}/service/portname.go (IST0118)`,
    id: 'service-port-name-invalid',
    severity: 'warning',
    bad: s => void (s.services[0].spec!.ports![0].name = 'web'),
    good: s => void (s.services[0].spec!.ports![0].name = 'http-web'),
    evidence: 'spec.ports[0].name: web (port 80, targetPort 8080)',
    object: { kind: 'Service', name: 'orders', field: 'spec.ports[0].name' },
    fix: 'command',
    fixContains: 'appProtocol',
  },
  {
    code: 'KIA0602',
    upstream: `${KIALI}/services/port_mapping_checker.go`,
    id: 'service-app-protocol-invalid',
    severity: 'error',
    bad: s => void (s.services[0].spec!.ports![0].appProtocol = 'web'),
    good: s =>
      void (s.services[0].spec!.ports![0].appProtocol = 'kubernetes.io/h2c'),
    evidence: 'spec.ports[0].appProtocol: web',
    object: {
      kind: 'Service',
      name: 'orders',
      field: 'spec.ports[0].appProtocol',
    },
    fix: 'command',
  },
  {
    code: 'KIA0701',
    upstream: `${KIALI}/services/port_mapping_checker.go`,
    id: 'service-port-not-exposed',
    severity: 'warning',
    bad: s => void (s.services[0].spec!.ports![0].targetPort = 9090 as never),
    good: s =>
      void (s.services[0].spec!.ports![0].targetPort = 'http' as never),
    evidence: 'spec.ports[0].targetPort: 9090',
    object: {
      kind: 'Service',
      name: 'orders',
      field: 'spec.ports[0].targetPort',
    },
    fix: 'command',
  },
  {
    code: 'KIA1301',
    upstream: `${KIALI}/workloads/uncovered_workload_checker.go`,
    id: 'workload-without-authorization-policy',
    severity: 'info',
    bad: s => void (s.authorizationPolicies = []),
    good: s =>
      void (s.authorizationPolicies = [
        ap('allow-nothing', {}, 'istio-system') as never,
      ]),
    evidence: 'pod shop/orders-1: no AuthorizationPolicy selects it',
    object: { kind: 'Namespace', name: NS },
    fix: 'yaml',
    fixContains: 'name: allow-nothing',
  },
  // --- istioctl analyze ---
  {
    code: 'IST0171-SE',
    upstream: `${ISTIO}/conditions (IST0171 on ServiceEntry)`,
    id: 'service-entry-not-bound',
    severity: 'warning',
    bad: (_s, t) =>
      void (t.serviceEntries[0].status = {
        conditions: [
          {
            type: 'istio.io/WaypointBound',
            status: 'False',
            reason: 'WaypointIsNotReady',
            message: 'waypoint not ready',
          },
        ],
      }),
    good: (_s, t) =>
      void (t.serviceEntries[0].status = {
        conditions: [
          {
            type: 'istio.io/WaypointBound',
            status: 'True',
            reason: 'WaypointAccepted',
          },
        ],
      }),
    evidence: 'status istio.io/WaypointBound=False (WaypointIsNotReady)',
    object: {
      kind: 'ServiceEntry',
      name: 'payments-api',
      field: 'status.conditions',
    },
    fix: 'yaml',
    fixContains: 'istio.io/use-waypoint: waypoint',
  },
  {
    code: 'IST0171-AP-target',
    upstream: `${ISTIO}/conditions (IST0171 WaypointAccepted TargetNotFound); pilot/pkg/serviceregistry/ambient/policies.go`,
    id: 'policy-target-not-found',
    severity: 'warning',
    bad: s =>
      void (s.authorizationPolicies[0].spec!.targetRefs = [
        { kind: 'Service', group: '', name: 'ordres' },
      ]),
    good: s =>
      void (s.authorizationPolicies[0].spec!.targetRefs = [
        {
          kind: 'Gateway',
          group: 'gateway.networking.k8s.io',
          name: 'waypoint',
        },
      ]),
    evidence: 'spec.targetRefs[0]: Service shop/ordres (not found)',
    object: {
      kind: 'AuthorizationPolicy',
      name: 'orders-callers',
      field: 'spec.targetRefs[0]',
    },
    fix: 'command',
  },
  {
    code: 'IST0171-route',
    upstream: `${ISTIO}/conditions (IST0171 on HTTPRoute); pilot/pkg/config/kube/gateway/conditions.go`,
    id: 'route-not-accepted',
    severity: 'warning',
    bad: (_s, t) =>
      void (t.httpRoutes[0].status!.parents![0].conditions![1] = {
        type: 'ResolvedRefs',
        status: 'False',
        reason: 'BackendNotFound',
        message: 'backend(payments-v2.shop.svc.cluster.local) not found',
      }),
    good: (_s, t) =>
      void (t.httpRoutes[0].status!.parents![0].conditions![1] = {
        type: 'ResolvedRefs',
        status: 'True',
        reason: 'ResolvedRefs',
      }),
    evidence: 'status.parents[0] ResolvedRefs=False (BackendNotFound)',
    object: {
      kind: 'HTTPRoute',
      name: 'orders',
      field: 'status.parents[0].conditions',
    },
    fix: 'command',
  },
  {
    code: 'ResolvedWaypoints',
    upstream:
      'istio/istio pilot/pkg/config/kube/gateway/conditions.go (ResolvedWaypoints)',
    id: 'route-without-waypoint',
    severity: 'warning',
    bad: (_s, t) => {
      t.httpRoutes.push(
        httpRoute('legacy', 'legacy', {
          parentRefs: [{ group: '', kind: 'Service', name: 'legacy' }],
          rules: [
            { backendRefs: [{ name: 'orders', namespace: NS, port: 80 }] },
          ],
        }) as never,
      );
      t.referenceGrants.push({
        metadata: { name: 'from-legacy', namespace: NS },
        spec: {
          from: [
            {
              group: 'gateway.networking.k8s.io',
              kind: 'HTTPRoute',
              namespace: 'legacy',
            },
          ],
          to: [{ group: '', kind: 'Service' }],
        },
      });
    },
    good: (_s, t) =>
      void t.httpRoutes.push(
        httpRoute('billing', 'other', {
          parentRefs: [{ group: '', kind: 'Service', name: 'billing' }],
          rules: [
            { backendRefs: [{ name: 'orders', namespace: NS, port: 80 }] },
          ],
        }) as never,
      ),
    evidence: 'Service legacy/legacy: no istio.io/use-waypoint label',
    object: { kind: 'HTTPRoute', name: 'legacy', field: 'spec.parentRefs[0]' },
    fix: 'template',
  },
  {
    code: 'IST0166',
    upstream: `${ISTIO}/k8sgateway/selector.go`,
    id: 'selector-on-gateway-pod',
    severity: 'warning',
    bad: (s, t) => {
      t.namespacePods.push(
        pod(
          'waypoint-abc',
          {},
          {
            labels: {
              'gateway.networking.k8s.io/gateway-name': 'waypoint',
              'istio.io/dataplane-mode': 'none',
            },
          },
        ),
      );
      s.authorizationPolicies.push(
        ap('on-waypoint', {
          selector: {
            matchLabels: {
              'gateway.networking.k8s.io/gateway-name': 'waypoint',
            },
          },
          rules: [{}],
        }) as never,
      );
    },
    good: (s, t) => {
      t.namespacePods.push(
        pod(
          'waypoint-abc',
          {},
          {
            labels: {
              'gateway.networking.k8s.io/gateway-name': 'waypoint',
              'istio.io/dataplane-mode': 'none',
            },
          },
        ),
      );
      s.authorizationPolicies.push(
        ap('on-waypoint', {
          targetRefs: [
            {
              kind: 'Gateway',
              group: 'gateway.networking.k8s.io',
              name: 'waypoint',
            },
          ],
          rules: [{}],
        }) as never,
      );
    },
    evidence:
      'pod waypoint-abc: gateway.networking.k8s.io/gateway-name=waypoint',
    object: {
      kind: 'AuthorizationPolicy',
      name: 'on-waypoint',
      field: 'spec.selector',
    },
    fix: 'yaml',
    fixContains: 'kind: Gateway',
  },
  {
    code: 'IST0167',
    upstream: `${ISTIO}/sidecar/selector.go`,
    id: 'sidecar-resource-in-ambient',
    severity: 'warning',
    bad: (_s, t) =>
      void t.sidecars.push({
        metadata: { name: 'egress', namespace: NS },
        spec: { workloadSelector: { labels: { app: 'orders' } } },
      }),
    good: (_s, t) =>
      void t.sidecars.push({
        metadata: { name: 'egress', namespace: 'istio-system' },
        spec: {},
      }),
    evidence: 'Namespace shop: istio.io/dataplane-mode=ambient',
    object: { kind: 'Sidecar', name: 'egress', field: 'spec.workloadSelector' },
    fix: 'command',
    fixContains: 'kubectl delete sidecar egress -n shop',
  },
  {
    code: 'IST0127',
    upstream: `${ISTIO}/authz/authorizationpolicies.go`,
    id: 'policy-selector-matches-nothing',
    severity: 'warning',
    bad: s =>
      void s.requestAuthentications.push({
        metadata: { name: 'jwt-v0', namespace: NS },
        spec: {
          selector: { matchLabels: { app: 'orders-v0' } },
          jwtRules: [{ issuer: 'https://issuer.example.com' }],
        },
      }),
    good: s =>
      void s.requestAuthentications.push({
        metadata: { name: 'jwt', namespace: NS },
        spec: {
          targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
          jwtRules: [{ issuer: 'https://issuer.example.com' }],
        },
      }),
    evidence: 'spec.selector.matchLabels: app=orders-v0',
    object: {
      kind: 'RequestAuthentication',
      name: 'jwt-v0',
      field: 'spec.selector.matchLabels',
    },
    fix: 'command',
  },
  {
    code: 'IST0101-authz',
    upstream: `${ISTIO}/authz/authorizationpolicies.go`,
    id: 'policy-namespace-not-found',
    severity: 'warning',
    bad: s =>
      void s.authorizationPolicies.push(
        ap('not-from-ghost', {
          action: 'DENY',
          targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
          rules: [{ from: [{ source: { notNamespaces: ['ghost'] } }] }],
        }) as never,
      ),
    good: s =>
      void s.authorizationPolicies.push(
        ap('not-from-other', {
          action: 'DENY',
          targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
          rules: [{ from: [{ source: { notNamespaces: ['other'] } }] }],
        }) as never,
      ),
    evidence:
      'spec.rules[0].from[0].source.notNamespaces[0]: ghost (no such namespace)',
    object: {
      kind: 'AuthorizationPolicy',
      name: 'not-from-ghost',
      field: 'spec.rules[0].from[0].source.notNamespaces[0]',
    },
    fix: 'command',
  },
  {
    code: 'IST0118',
    upstream: `${ISTIO}/service/portname.go`,
    id: 'service-port-name-invalid',
    severity: 'warning',
    bad: s => void delete s.services[0].spec!.ports![0].name,
    good: s => void (s.services[0].spec!.ports![0].appProtocol = 'http'),
    evidence: 'spec.ports[0].name: (unset)',
    object: { kind: 'Service', name: 'orders', field: 'spec.ports[0].name' },
    fix: 'command',
  },
  {
    code: 'IST0173',
    upstream: `${ISTIO}/destinationrule/podnotselected.go`,
    id: 'destination-rule-subset-no-pods',
    severity: 'error',
    bad: (_s, t) =>
      void (t.destinationRules[0].spec!.subsets![0].labels = { version: 'v3' }),
    good: (_s, t) =>
      void (t.destinationRules[0].spec!.subsets![0].labels = {
        version: 'v1',
        app: 'orders',
      }),
    evidence: 'spec.subsets[0].labels: version=v3',
    object: {
      kind: 'DestinationRule',
      name: 'orders',
      field: 'spec.subsets[0].labels',
    },
    fix: 'command',
  },
  {
    code: 'IST0174',
    upstream: `${ISTIO}/destinationrule/hostnotfound.go`,
    id: 'destination-rule-host-not-found',
    severity: 'warning',
    bad: (_s, t) =>
      void (t.destinationRules[0].spec!.host =
        'orders-v2.shop.svc.cluster.local'),
    good: (_s, t) =>
      void (t.destinationRules[0].spec!.host = 'orders.shop.svc'),
    evidence:
      'spec.host: orders-v2.shop.svc.cluster.local (no Service or ServiceEntry)',
    object: { kind: 'DestinationRule', name: 'orders', field: 'spec.host' },
    fix: 'command',
  },
  {
    code: 'IST0109',
    upstream: `${ISTIO}/virtualservice/conflictingmeshgatewayhosts.go`,
    id: 'virtual-service-duplicate-host',
    severity: 'warning',
    bad: (_s, t) =>
      void t.virtualServices.push(
        vs('orders-mesh', 'istio-system', {
          hosts: ['orders.shop.svc.cluster.local'],
          gateways: ['mesh'],
          http: [
            {
              route: [
                { destination: { host: 'orders.shop.svc.cluster.local' } },
              ],
            },
          ],
        }) as never,
      ),
    good: (_s, t) =>
      void t.virtualServices.push(
        vs('frontend', NS, {
          hosts: ['frontend'],
          http: [{ route: [{ destination: { host: 'frontend' } }] }],
        }) as never,
      ),
    evidence:
      'host orders.shop.svc.cluster.local: shop/orders, istio-system/orders-mesh',
    object: { kind: 'VirtualService', name: 'orders', field: 'spec.hosts' },
    fix: 'command',
  },
  {
    code: 'IST0101-VS',
    upstream: `${ISTIO}/virtualservice/destinationhosts.go`,
    id: 'virtual-service-destination-not-found',
    severity: 'error',
    bad: (_s, t) =>
      void (t.virtualServices[0].spec!.http![0].mirror = { host: 'shadow' }),
    good: (_s, t) =>
      void (t.virtualServices[0].spec!.http![0].mirror = { host: 'frontend' }),
    evidence: 'spec.http[0].mirror.host: shadow (no Service or ServiceEntry)',
    object: {
      kind: 'VirtualService',
      name: 'orders',
      field: 'spec.http[0].mirror.host',
    },
    fix: 'command',
  },
  {
    code: 'IST0112',
    upstream: `${ISTIO}/virtualservice/destinationhosts.go`,
    id: 'virtual-service-port-missing',
    severity: 'error',
    bad: s =>
      void s.services[0].spec!.ports!.push({
        name: 'grpc',
        port: 9090,
        targetPort: 8080 as never,
      }),
    good: (s, t) => {
      s.services[0].spec!.ports!.push({
        name: 'grpc',
        port: 9090,
        targetPort: 8080 as never,
      });
      t.virtualServices[0].spec!.http![0].route![0].destination!.port = {
        number: 80,
      };
    },
    evidence: 'no destination.port; Service shop/orders ports 80, 9090',
    object: {
      kind: 'VirtualService',
      name: 'orders',
      field: 'spec.http[0].route[0].destination.port',
    },
    fix: 'command',
  },
  {
    code: 'IST0159',
    upstream: `${ISTIO}/telemetry/selector.go`,
    id: 'telemetry-conflict',
    severity: 'error',
    bad: (_s, t) =>
      void t.telemetries.push(
        {
          metadata: { name: 'a', namespace: NS },
          spec: {
            selector: { matchLabels: { app: 'orders' } },
            metrics: [{ providers: [{ name: 'prometheus' }] }],
          },
        },
        {
          metadata: { name: 'b', namespace: NS },
          spec: {
            selector: { matchLabels: { version: 'v1' } },
            metrics: [{ providers: [{ name: 'prometheus' }] }],
          },
        },
      ),
    good: (_s, t) =>
      void t.telemetries.push(
        {
          metadata: { name: 'a', namespace: NS },
          spec: {
            selector: { matchLabels: { app: 'orders' } },
            metrics: [{ providers: [{ name: 'prometheus' }] }],
          },
        },
        {
          metadata: { name: 'b', namespace: NS },
          spec: {
            selector: { matchLabels: { app: 'frontend' } },
            metrics: [{ providers: [{ name: 'prometheus' }] }],
          },
        },
      ),
    evidence: 'pod shop/orders-1: selected by a, b',
    object: { kind: 'Telemetry', name: 'b', field: 'spec.selector' },
    fix: 'command',
  },
  {
    code: 'IST0160',
    upstream: `${ISTIO}/telemetry/selector.go`,
    id: 'telemetry-conflict',
    severity: 'error',
    bad: (_s, t) =>
      void t.telemetries.push(
        {
          metadata: { name: 'a', namespace: NS },
          spec: { metrics: [{ providers: [{ name: 'prometheus' }] }] },
        },
        {
          metadata: { name: 'b', namespace: NS },
          spec: { metrics: [{ providers: [{ name: 'prometheus' }] }] },
        },
      ),
    good: (_s, t) =>
      void t.telemetries.push({
        metadata: { name: 'a', namespace: NS },
        spec: { metrics: [{ providers: [{ name: 'prometheus' }] }] },
      }),
    evidence: 'Telemetry shop/b: no selector, no targetRefs',
    object: { kind: 'Telemetry', name: 'b', field: 'spec.selector' },
    fix: 'command',
  },
  {
    code: 'IST0157',
    upstream: `${ISTIO}/telemetry/providers.go`,
    id: 'telemetry-access-log-no-provider',
    severity: 'warning',
    bad: (_s, t) =>
      void t.telemetries.push({
        metadata: { name: 'logs', namespace: 'istio-system' },
        spec: { accessLogging: [{}] },
      }),
    good: (_s, t) => {
      t.meshDefaultAccessLogging = ['envoy'];
      t.telemetries.push({
        metadata: { name: 'logs', namespace: 'istio-system' },
        spec: { accessLogging: [{}] },
      });
    },
    evidence: 'spec.accessLogging[0].providers: empty',
    object: {
      kind: 'Telemetry',
      name: 'logs',
      field: 'spec.accessLogging[0].providers',
    },
    fix: 'yaml',
    fixContains: 'name: envoy',
  },
  {
    code: 'IST0177',
    upstream: `${ISTIO}/serviceentry/protocol.go`,
    id: 'service-entry-protocol-conflict',
    severity: 'warning',
    bad: (_s, t) =>
      void t.serviceEntries.push(
        se('payments-tcp', 'api.payments.example.com', 443, 'TCP') as never,
      ),
    good: (_s, t) =>
      void t.serviceEntries.push(
        se('other-api', 'api.other.example.com', 443, 'TCP') as never,
      ),
    evidence: 'port 443 TLS',
    object: {
      kind: 'ServiceEntry',
      name: 'payments-api',
      field: 'spec.hosts[0]',
    },
    fix: 'command',
  },
  {
    code: 'IST0172',
    upstream: `${ISTIO}/crdversion (IST0172/IST0176); kubernetes-sigs/gateway-api v1.1.0 (GAMMA standard)`,
    id: 'gateway-api-crd-version',
    severity: 'warning',
    bad: s => void (s.controlPlane.gatewayApi.bundleVersion = 'v1.0.0'),
    good: s => void (s.controlPlane.gatewayApi.bundleVersion = 'v1.2.1'),
    evidence: 'gateway.networking.k8s.io/bundle-version=v1.0.0',
    object: {
      kind: 'CustomResourceDefinition',
      name: 'gateways.gateway.networking.k8s.io',
      field: 'metadata.annotations',
    },
    fix: 'command',
    fixContains: 'standard-install.yaml',
  },
  {
    code: 'IST0175',
    upstream: `${ISTIO}/deployment (IST0175 BLOCKED_CIDRS_IN_JWKS_URIS)`,
    id: 'jwks-blocked-cidrs-missing',
    severity: 'warning',
    bad: s =>
      void s.requestAuthentications.push({
        metadata: { name: 'jwt', namespace: NS },
        spec: {
          targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
          jwtRules: [
            {
              issuer: 'https://issuer.example.com',
              jwksUri: 'https://issuer.example.com/jwks',
            },
          ],
        },
      }),
    good: (s, t) => {
      t.istiodEnv!.BLOCKED_CIDRS_IN_JWKS_URIS = '169.254.169.254/32';
      s.requestAuthentications.push({
        metadata: { name: 'jwt', namespace: NS },
        spec: {
          targetRefs: [{ kind: 'Service', group: '', name: 'orders' }],
          jwtRules: [{ issuer: 'https://issuer.example.com' }],
        },
      });
    },
    evidence: 'BLOCKED_CIDRS_IN_JWKS_URIS not set',
    object: {
      kind: 'Deployment',
      name: 'istiod',
      field: 'spec.template.spec.containers[discovery].env',
    },
    fix: 'command',
    fixContains: 'BLOCKED_CIDRS_IN_JWKS_URIS=',
  },
  // --- the product's own ---
  {
    code: 'telemetry-presence',
    upstream:
      'prometheus-operator/prometheus-operator PodMonitor v1; istio/istio manifests/charts/ztunnel (ztunnel-stats 15020)',
    id: 'telemetry-not-scraped',
    severity: 'warning',
    bad: (_s, t) =>
      void (t.podMonitors = t.podMonitors!.filter(
        m => m.metadata.name !== 'ztunnel',
      )),
    good: (_s, t) =>
      void (t.podMonitors = [
        {
          metadata: { name: 'everything', namespace: 'monitoring' },
          spec: { namespaceSelector: { any: true }, selector: {} },
        },
      ]),
    evidence:
      'no PodMonitor or ServiceMonitor selects ztunnel (istio-system) pods (app=ztunnel)',
    object: { kind: 'DaemonSet', name: 'ztunnel' },
    fix: 'yaml',
    fixContains: 'kind: PodMonitor',
  },
  {
    code: 'telemetry-presence-targets',
    upstream:
      'prometheus/prometheus web/api/v1 targets API (health, lastError)',
    id: 'telemetry-not-scraped',
    severity: 'warning',
    bad: (_s, t) =>
      void (t.scrapeTargets = [
        {
          job: 'podMonitor/shop/waypoint/0',
          pod: 'waypoint-7c9f',
          namespace: NS,
          health: 'down',
          lastError: 'connection refused',
        },
        {
          job: 'podMonitor/istio-system/ztunnel/0',
          pod: 'ztunnel-abcde',
          namespace: 'istio-system',
          health: 'up',
        },
      ]),
    good: (_s, t) =>
      void (t.scrapeTargets = [
        {
          job: 'podMonitor/shop/waypoint/0',
          pod: 'waypoint-7c9f',
          namespace: NS,
          health: 'up',
        },
        {
          job: 'podMonitor/istio-system/ztunnel/0',
          pod: 'ztunnel-abcde',
          namespace: 'istio-system',
          health: 'up',
        },
      ]),
    evidence:
      'waypoint-7c9f (job podMonitor/shop/waypoint/0) up=0: connection refused',
    object: { kind: 'Gateway', name: 'waypoint' },
    fix: 'yaml',
    fixContains: 'gateway.networking.k8s.io/gateway-name: waypoint',
  },
];
