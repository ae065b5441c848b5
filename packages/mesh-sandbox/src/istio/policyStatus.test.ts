/*
 * The conditions istiod 1.28.0 writes on AuthorizationPolicies in ambient mode. Expected
 * messages are istiod's own text, from istio/istio at tag 1.28.0:
 * - pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go (httpRuleFmt,
 *   httpDenyRuleBoilerplate, httpAllowRuleBoilerplate, the CUSTOM/AUDIT message) and its
 *   authorization_test.go (TestConvertAuthorizationPolicyStatus);
 * - pilot/pkg/serviceregistry/kube/controller/ambient/policies.go
 *   (WaypointPolicyStatusCollection) and pilot/pkg/model/service.go (flattenConditions,
 *   WorkloadAuthorization.GetConditions).
 */
import {
  authorizationPolicyCondition,
  PolicyTargets,
  ztunnelAuthorization,
} from './policyStatus';

const CONTROLLERS: Record<string, string | undefined> = {
  'istio-waypoint': 'istio.io/mesh-controller',
  other: 'example.com/gateway',
};

const targets: PolicyTargets = {
  rootNamespace: 'istio-system',
  waypointExists: (ns, name) => ns === 'shop' && name === 'waypoint',
  gatewayClassController: name => CONTROLLERS[name],
  serviceWaypoint: (kind, ns, name) => {
    if (kind !== 'Service' || ns !== 'shop') return undefined;
    if (name === 'orders') return 'shop/waypoint';
    return name === 'unbound' ? null : undefined;
  },
};

const HTTP =
  'ztunnel does not support HTTP attributes (found: %s). In ambient mode you must use a waypoint proxy to enforce HTTP rules. ';
const DENY_TEXT =
  'DENY policy with HTTP attributes is enforced without the HTTP rules. This will be more restrictive than requested.';
const ALLOW_TEXT =
  'Within an ALLOW policy, rules matching HTTP attributes are omitted. This will be more restrictive than requested.';

const gateway = (name: string) => ({
  group: 'gateway.networking.k8s.io',
  kind: 'Gateway',
  name,
});

describe('authorizationPolicyCondition (istiod 1.28.0 ambient status)', () => {
  it.each<[string, string, any, [string, string, string, string] | undefined]>([
    [
      'L4 only on ztunnel',
      'shop',
      { rules: [{ from: [{ source: { namespaces: ['web'] } }] }] },
      ['ZtunnelAccepted', 'True', 'Accepted', 'attached to ztunnel'],
    ],
    [
      'ALLOW with HTTP attributes (authorization_test.go)',
      'shop',
      {
        selector: { matchLabels: { app: 'orders' } },
        rules: [{ to: [{ operation: { methods: ['GET'], paths: ['/a'] } }] }],
      },
      [
        'ZtunnelAccepted',
        'True',
        'UnsupportedValue',
        HTTP.replace('%s', 'methods, paths') + ALLOW_TEXT,
      ],
    ],
    [
      'DENY with only HTTP attributes: 1.28.0 writes the DENY boilerplate',
      'shop',
      {
        action: 'DENY',
        rules: [
          {
            from: [{ source: { notRequestPrincipals: ['example.com/sub-1'] } }],
          },
        ],
      },
      [
        'ZtunnelAccepted',
        'True',
        'UnsupportedValue',
        HTTP.replace('%s', 'notRequestPrincipals') + DENY_TEXT,
      ],
    ],
    [
      'DENY with an HTTP when key',
      'shop',
      {
        action: 'DENY',
        rules: [{ when: [{ key: 'request.headers[x-debug]', values: ['1'] }] }],
      },
      [
        'ZtunnelAccepted',
        'True',
        'UnsupportedValue',
        HTTP.replace('%s', 'request.headers[x-debug]') + DENY_TEXT,
      ],
    ],
    [
      'CUSTOM is not supported by ztunnel',
      'shop',
      { action: 'CUSTOM', provider: { name: 'ext' }, rules: [{}] },
      [
        'ZtunnelAccepted',
        'False',
        'UnsupportedValue',
        'ztunnel does not support the CUSTOM action',
      ],
    ],
    [
      'a waypoint Gateway target',
      'shop',
      { targetRefs: [gateway('waypoint')] },
      ['WaypointAccepted', 'True', 'Accepted', 'bound to shop/waypoint'],
    ],
    [
      'a missing Gateway target',
      'shop',
      { targetRefs: [gateway('nope')] },
      ['WaypointAccepted', 'False', 'TargetNotFound', 'not bound'],
    ],
    [
      'a Service bound to a waypoint',
      'shop',
      { targetRefs: [{ group: '', kind: 'Service', name: 'orders' }] },
      ['WaypointAccepted', 'True', 'Accepted', 'bound to shop/waypoint'],
    ],
    [
      'a Service without a waypoint',
      'shop',
      { targetRefs: [{ group: '', kind: 'Service', name: 'unbound' }] },
      [
        'WaypointAccepted',
        'False',
        'AncestorNotBound',
        'Service shop/unbound is not bound to a waypoint',
      ],
    ],
    [
      'a missing Service',
      'shop',
      { targetRefs: [{ group: '', kind: 'Service', name: 'gone' }] },
      [
        'WaypointAccepted',
        'False',
        'TargetNotFound',
        'Service shop/gone was not found',
      ],
    ],
    [
      'GatewayClass istio-waypoint from the root namespace (1.26+)',
      'istio-system',
      {
        targetRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'GatewayClass',
            name: 'istio-waypoint',
          },
        ],
      },
      ['WaypointAccepted', 'True', 'Accepted', 'bound to istio-waypoint'],
    ],
    [
      'GatewayClass outside the root namespace',
      'shop',
      {
        targetRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'GatewayClass',
            name: 'istio-waypoint',
          },
        ],
      },
      [
        'WaypointAccepted',
        'False',
        'Invalid',
        'AuthorizationPolicy must be in the root namespace `istio-system` when referencing a GatewayClass',
      ],
    ],
    [
      'a GatewayClass of another controller',
      'istio-system',
      {
        targetRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'GatewayClass',
            name: 'other',
          },
        ],
      },
      [
        'WaypointAccepted',
        'False',
        'Invalid',
        'GatewayClass must use controller name `istio.io/mesh-controller` for waypoints',
      ],
    ],
    [
      'two targets, one missing (flattenConditions)',
      'shop',
      {
        targetRefs: [
          gateway('waypoint'),
          { group: '', kind: 'Service', name: 'gone' },
        ],
      },
      [
        'WaypointAccepted',
        'True',
        'PartiallyInvalid',
        'Invalid targetRefs: Service.core:shop/gone',
      ],
    ],
    [
      'two targets, both bound',
      'shop',
      {
        targetRefs: [
          gateway('waypoint'),
          { group: '', kind: 'Service', name: 'orders' },
        ],
      },
      ['WaypointAccepted', 'True', 'Accepted', ''],
    ],
  ])('%s', (_name, namespace, spec, expected) => {
    const condition = authorizationPolicyCondition(
      { metadata: { name: 'p', namespace }, spec },
      targets,
      3,
    );
    expect(
      condition && [
        condition.type,
        condition.status,
        condition.reason,
        condition.message,
      ],
    ).toEqual(expected);
    expect(condition?.observedGeneration).toBe(3);
  });

  it('writes no condition on a dry-run policy (ambient/policies.go AuthzDerivedPolicies)', () => {
    expect(
      authorizationPolicyCondition(
        {
          metadata: {
            name: 'p',
            namespace: 'shop',
            annotations: { 'istio.io/dry-run': 'true' },
          },
          spec: { rules: [{}] },
        },
        targets,
        1,
      ),
    ).toBeUndefined();
  });
});

describe('ztunnelAuthorization (authorization.go handleRule, 1.28.0)', () => {
  it.each<[string, any, unknown]>([
    [
      'ALLOW drops a rule with HTTP fields whole',
      {
        rules: [
          {
            from: [{ source: { namespaces: ['web'] } }],
            to: [{ operation: { paths: ['/a'] } }],
          },
        ],
      },
      [],
    ],
    [
      'DENY keeps the empty match of an HTTP-only operation (ztunnel skips it)',
      {
        action: 'DENY',
        rules: [
          {
            from: [{ source: { namespaces: ['web'] } }],
            to: [
              { operation: { ports: ['8080'], paths: ['/a'] } },
              { operation: { paths: ['/b'] } },
            ],
          },
        ],
      },
      [[[{ destinationPorts: ['8080'] }, {}], [{ namespaces: ['web'] }]]],
    ],
    [
      'serviceAccounts without a namespace take the policy namespace',
      { rules: [{ from: [{ source: { serviceAccounts: ['web', 'x/y'] } }] }] },
      [[[{ serviceAccounts: ['shop/web', 'x/y'] }]]],
    ],
  ])('%s', (_name, spec, groups) => {
    expect(
      ztunnelAuthorization(
        { metadata: { name: 'p', namespace: 'shop' }, spec },
        'istio-system',
      )?.groups,
    ).toEqual(groups);
  });
});
