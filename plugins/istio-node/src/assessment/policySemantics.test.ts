/*
 * How ambient mode enforces security policies, pinned against Istio's own source:
 * - istio/istio pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go (1.28.0)
 *   and pilot/pkg/serviceregistry/ambient/authorization.go (master, PR #61166, with its
 *   authorization_test.go cases), istio/ztunnel src/rbac.rs (1.28.0);
 * - istio/istio pilot/pkg/model/policyattachment.go ShouldAttachPolicy (1.28.0).
 * Policies below are written in the security.istio.io/v1 shape of those tests.
 */
import { assessMesh } from './assessMesh';
import {
  authorizationPolicy,
  healthySnapshot,
  NS,
} from './__fixtures__/snapshots';
import type { AuthorizationPolicySpec } from './snapshot';
import {
  ZtunnelPolicyEffect,
  ZtunnelRuleOutcome,
  ztunnelEffectiveRules,
} from './ztunnelRules';

describe('ztunnelEffectiveRules (istio/istio ambient/authorization.go 1.28.0, ztunnel src/rbac.rs 1.28.0)', () => {
  it.each<
    [
      string,
      AuthorizationPolicySpec,
      ZtunnelPolicyEffect,
      ZtunnelRuleOutcome[],
      string[],
    ]
  >([
    [
      'DENY with only L4 attributes (authorization_test.go "DENY policy with only L4 attributes")',
      {
        action: 'DENY',
        rules: [
          {
            from: [{ source: { principals: ['cluster.local/ns/foo/sa/bar'] } }],
          },
        ],
      },
      'as-written',
      ['as-written'],
      ['from principals [cluster.local/ns/foo/sa/bar]'],
    ],
    [
      'DENY with only L7 attributes: no effect (authorization_test.go, PR #61166)',
      {
        action: 'DENY',
        rules: [
          {
            from: [{ source: { notRequestPrincipals: ['example.com/sub-1'] } }],
          },
        ],
      },
      'no-op',
      ['never-matches'],
      ['nothing'],
    ],
    [
      'DENY mixing L4 and L7 in one source: enforced without the HTTP part (PR #61166)',
      {
        action: 'DENY',
        rules: [
          {
            from: [
              {
                source: {
                  principals: ['cluster.local/ns/foo/sa/bar'],
                  notRequestPrincipals: ['example.com/sub-1'],
                },
              },
            ],
          },
        ],
      },
      'denies-more',
      ['without-http'],
      ['from principals [cluster.local/ns/foo/sa/bar]'],
    ],
    [
      'DENY from.namespaces + to.paths: the to clause is left empty, the rule never fires',
      {
        action: 'DENY',
        rules: [
          {
            from: [{ source: { namespaces: ['frontend'] } }],
            to: [{ operation: { paths: ['/admin'] } }],
          },
        ],
      },
      'no-op',
      ['never-matches'],
      ['nothing'],
    ],
    [
      'DENY to.ports + to.paths in one operation: denies every connection to the port',
      {
        action: 'DENY',
        rules: [
          { to: [{ operation: { ports: ['8080'], paths: ['/admin'] } }] },
        ],
      },
      'denies-more',
      ['without-http'],
      ['to ports [8080]'],
    ],
    [
      'DENY with an L7-only rule and a separate L4 rule (authorization_test.go)',
      {
        action: 'DENY',
        rules: [
          {
            from: [{ source: { notRequestPrincipals: ['example.com/sub-1'] } }],
          },
          {
            from: [{ source: { principals: ['cluster.local/ns/foo/sa/bar'] } }],
          },
        ],
      },
      'partly-skipped',
      ['never-matches', 'as-written'],
      ['nothing', 'from principals [cluster.local/ns/foo/sa/bar]'],
    ],
    [
      'DENY with an empty catch-all rule and an L7-only rule (authorization_test.go)',
      {
        action: 'DENY',
        rules: [
          {},
          {
            from: [{ source: { notRequestPrincipals: ['example.com/sub-1'] } }],
          },
        ],
      },
      'partly-skipped',
      ['as-written', 'never-matches'],
      ['every connection', 'nothing'],
    ],
    [
      'DENY with an L7 when key: the when clause matches nothing',
      {
        action: 'DENY',
        rules: [
          {
            from: [{ source: { namespaces: ['frontend'] } }],
            when: [{ key: 'request.headers[x-debug]', values: ['1'] }],
          },
        ],
      },
      'no-op',
      ['never-matches'],
      ['nothing'],
    ],
    [
      'ALLOW whose only rule has HTTP fields: dropped, the policy matches nothing',
      {
        rules: [
          {
            from: [{ source: { namespaces: ['frontend'] } }],
            to: [{ operation: { methods: ['GET'] } }],
          },
        ],
      },
      'allows-nothing',
      ['dropped'],
      ['nothing'],
    ],
    [
      'ALLOW with one L4 rule and one HTTP rule: only the L4 rule is left',
      {
        rules: [
          { from: [{ source: { namespaces: ['frontend'] } }] },
          { to: [{ operation: { paths: ['/api/*'] } }] },
        ],
      },
      'allows-less',
      ['as-written', 'dropped'],
      ['from namespaces [frontend]', 'nothing'],
    ],
    [
      'ALLOW with L4 when keys: kept (l4WhenAttributes)',
      {
        rules: [
          {
            when: [
              { key: 'source.ip', values: ['10.0.0.0/8'] },
              { key: 'destination.port', notValues: ['9090'] },
            ],
          },
        ],
      },
      'as-written',
      ['as-written'],
      ['when ipBlocks [10.0.0.0/8]; when notPorts [9090]'],
    ],
    [
      'CUSTOM: ztunnel does not support the action',
      { action: 'CUSTOM', provider: { name: 'ext-authz' }, rules: [{}] },
      'rejected',
      ['as-written'],
      ['every connection'],
    ],
  ])('%s', (_name, spec, effect, outcomes, enforced) => {
    const result = ztunnelEffectiveRules({ spec });
    expect(result.effect).toBe(effect);
    expect(result.rules.map(r => r.outcome)).toEqual(outcomes);
    expect(result.rules.map(r => r.enforced)).toEqual(enforced);
  });

  it('lists HTTP fields sorted and unique, as istiod names them', () => {
    expect(
      ztunnelEffectiveRules({
        spec: {
          action: 'DENY',
          rules: [
            { to: [{ operation: { paths: ['/a'], methods: ['GET'] } }] },
            {
              from: [{ source: { remoteIpBlocks: ['1.2.3.4'] } }],
              to: [{ operation: { paths: ['/b'] } }],
            },
          ],
        },
      }).httpFields,
    ).toEqual(['methods', 'paths', 'remoteIpBlocks']);
  });
});

describe('diagnostics of HTTP fields on ztunnel (ambient/authorization.go 1.28.0, PR #61166)', () => {
  const selector = { matchLabels: { app: 'orders' } };
  it.each<[string, AuthorizationPolicySpec, Array<[string, string, string]>]>([
    [
      'a DENY of only L7 fields never fires',
      {
        selector,
        action: 'DENY',
        rules: [{ to: [{ operation: { paths: ['/admin'] } }] }],
      },
      [['l7-deny-on-ztunnel', 'error', 'never denies anything']],
    ],
    [
      'a DENY mixing L4 and L7 in one operation denies every connection on the port',
      {
        selector,
        action: 'DENY',
        rules: [
          { to: [{ operation: { ports: ['8080'], paths: ['/admin'] } }] },
        ],
      },
      [
        [
          'l7-deny-broadened-on-ztunnel',
          'error',
          'denies every connection matching the L4 part',
        ],
      ],
    ],
    [
      'a DENY of namespaces + paths never fires (the to clause is left empty)',
      {
        selector,
        action: 'DENY',
        rules: [
          {
            from: [{ source: { namespaces: ['frontend'] } }],
            to: [{ operation: { paths: ['/admin'] } }],
          },
        ],
      },
      [['l7-deny-on-ztunnel', 'error', 'never denies anything']],
    ],
    [
      'a DENY with an L4 rule and an L7-only rule: only that rule is skipped',
      {
        action: 'DENY',
        rules: [
          { from: [{ source: { ipBlocks: ['10.1.0.0/16'] } }] },
          { to: [{ operation: { methods: ['DELETE'] } }] },
        ],
      },
      [['l7-deny-on-ztunnel', 'warning', 'rule 2 never deny anything']],
    ],
    [
      'an ALLOW of only L7 rules matches nothing',
      { selector, rules: [{ to: [{ operation: { methods: ['GET'] } }] }] },
      [['l7-allow-on-ztunnel', 'error', 'the policy matches nothing']],
    ],
    [
      'an ALLOW with an L4 rule left allows less',
      {
        rules: [
          { from: [{ source: { ipBlocks: ['10.1.0.0/16'] } }] },
          { to: [{ operation: { methods: ['GET'] } }] },
        ],
      },
      [['l7-allow-on-ztunnel', 'error', 'allow less than written']],
    ],
  ])('%s', (_name, spec, expected) => {
    const snapshot = healthySnapshot();
    snapshot.authorizationPolicies = [authorizationPolicy('p', spec)];
    const found = assessMesh(snapshot)
      .diagnostics.filter(d => d.id.startsWith('l7-'))
      .map(d => [d.id, d.severity, d.message] as const);
    expect(found.map(([id, severity]) => [id, severity])).toEqual(
      expected.map(([id, severity]) => [id, severity]),
    );
    expected.forEach(([, , text], i) => expect(found[i][2]).toContain(text));
  });

  it('names the policy as the object of each diagnostic, so the tab groups them under it', () => {
    const snapshot = healthySnapshot();
    snapshot.authorizationPolicies = [
      authorizationPolicy('mixed', {
        selector,
        action: 'DENY',
        rules: [
          {
            from: [{ source: { namespaces: ['other'] } }],
            to: [{ operation: { ports: ['9080'], methods: ['DELETE'] } }],
          },
        ],
      }),
    ];
    const found = assessMesh(snapshot).diagnostics.find(
      d => d.id === 'l7-deny-broadened-on-ztunnel',
    );
    expect(found?.object).toEqual({
      kind: 'AuthorizationPolicy',
      namespace: NS,
      name: 'mixed',
      field: 'spec.rules',
    });
  });

  it("shows istiod's own status message as evidence", () => {
    // Condition as istiod 1.28.0 writes it: pilot/pkg/model/service.go
    // WorkloadAuthorization.GetConditions with the StatusMessage of authorization.go.
    const message =
      'ztunnel does not support HTTP attributes (found: paths). In ambient mode you must use a waypoint proxy to enforce HTTP rules. DENY policy with HTTP attributes is enforced without the HTTP rules. This will be more restrictive than requested.';
    const snapshot = healthySnapshot();
    snapshot.authorizationPolicies = [
      authorizationPolicy(
        'p',
        {
          action: 'DENY',
          rules: [{ to: [{ operation: { paths: ['/admin'] } }] }],
        },
        NS,
        {
          conditions: [
            {
              type: 'ZtunnelAccepted',
              status: 'True',
              reason: 'UnsupportedValue',
              message,
            },
          ],
        },
      ),
    ];
    const found = assessMesh(snapshot).diagnostics.find(
      d => d.id === 'l7-deny-on-ztunnel',
    );
    expect(found?.evidence).toContain(
      `ZtunnelAccepted=True (UnsupportedValue): ${message}`,
    );
  });
});

describe('policies that reach the waypoint (pilot/pkg/model/policyattachment.go 1.28.0)', () => {
  const classRef = {
    group: 'gateway.networking.k8s.io',
    kind: 'GatewayClass',
    name: 'istio-waypoint',
  };
  it.each<[string, string, boolean, string | undefined]>([
    [
      'a root-namespace policy targeting GatewayClass istio-waypoint',
      'istio-system',
      true,
      'gatewayClass',
    ],
    ['the same policy outside the root namespace', NS, true, undefined],
    [
      'the same policy when no waypoint serves the entity',
      'istio-system',
      false,
      undefined,
    ],
  ])('lists %s', (_name, namespace, withWaypoint, scope) => {
    const snapshot = healthySnapshot();
    if (!withWaypoint)
      delete snapshot.namespaceObject!.metadata!.labels![
        'istio.io/use-waypoint'
      ];
    snapshot.authorizationPolicies = [
      authorizationPolicy(
        'all-waypoints',
        {
          targetRefs: [classRef],
          action: 'DENY',
          rules: [{ to: [{ operation: { paths: ['/debug'] } }] }],
        },
        namespace,
      ),
    ];
    const item = assessMesh(snapshot).policies.items.find(
      p => p.name === 'all-waypoints',
    );
    expect(item?.scope).toBe(scope);
    expect(item?.enforcer).toBe(scope ? 'waypoint' : undefined);
    expect(item?.summary.startsWith('every waypoint')).toBe(
      scope ? true : undefined,
    );
  });

  it.each<
    [
      string,
      'authorizationPolicies' | 'requestAuthentications' | 'telemetries',
      Record<string, string>,
      boolean,
    ]
  >([
    [
      'an AuthorizationPolicy selecting the waypoint pods',
      'authorizationPolicies',
      { 'gateway.networking.k8s.io/gateway-name': 'waypoint' },
      true,
    ],
    [
      'a RequestAuthentication selecting the waypoint pods',
      'requestAuthentications',
      { 'gateway.networking.k8s.io/gateway-name': 'waypoint' },
      true,
    ],
    [
      'a Telemetry selecting the waypoint by its canonical name',
      'telemetries',
      { 'service.istio.io/canonical-name': 'waypoint' },
      true,
    ],
    [
      'an AuthorizationPolicy selecting the app pods',
      'authorizationPolicies',
      { app: 'orders' },
      false,
    ],
  ])('flags %s as ignored', (_name, field, matchLabels, flagged) => {
    const snapshot = healthySnapshot();
    const policy = {
      metadata: { name: 'on-waypoint', namespace: NS },
      spec: {
        selector: { matchLabels },
        rules: [{}],
        jwtRules: [{ issuer: 'https://idp' }],
      },
    };
    (snapshot[field] as unknown[]).push(policy);
    const found = assessMesh(snapshot).diagnostics.filter(
      d => d.id === 'selector-policy-on-waypoint',
    );
    expect(found.length).toBe(flagged ? 1 : 0);
    const yamls = found.map(d =>
      d.fix?.kind === 'yaml' ? d.fix.yaml : `no yaml fix (${d.fix?.kind})`,
    );
    expect(yamls.every(y => y.includes('kind: Gateway'))).toBe(true);
  });
});
