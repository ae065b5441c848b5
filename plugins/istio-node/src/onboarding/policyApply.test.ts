import { planWrites } from '@ambient-mesh/plugin-istio-common';
import { PolicyApplyRequest, planPolicyApply } from './policyApply';
import { KubeObject, stateOf } from './state';

const options = { cluster: 'sandbox' };
const ns = (labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'reporting', labels },
});
const gateway: KubeObject = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'waypoint', namespace: 'reporting' },
};
const base: PolicyApplyRequest = {
  namespace: 'reporting',
  name: 'allow-frontend',
  action: 'ALLOW',
  rules: [{ fromNamespaces: ['frontend'] }],
};

describe('planPolicyApply', () => {
  it.each<[string, Partial<PolicyApplyRequest>, RegExp]>([
    [
      'an ALLOW with L7 rules on ztunnel',
      { rules: [{ fromNamespaces: ['a'], methods: ['GET'] }] },
      /Input "rules\[0\]" uses L7 fields \(methods\) but no waypoint.*denies all traffic.*Set "waypoint"/,
    ],
    [
      'a DENY made only of L7 rules on ztunnel',
      { action: 'DENY', rules: [{ paths: ['/admin'] }] },
      /this DENY rule is never enforced by ztunnel/,
    ],
    // The cases below follow istio/istio 1.28.0
    // pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go handleRule:
    // `from` and `to` are separate clauses, and an operation keeps only its ports.
    [
      'a DENY of namespaces and paths (the to clause is left empty)',
      { action: 'DENY', rules: [{ fromNamespaces: ['a'], paths: ['/admin'] }] },
      /Input "rules\[0\]" uses L7 fields \(paths\).*this DENY rule is never enforced by ztunnel/,
    ],
    [
      'a DENY of ports and paths (the port match survives)',
      { action: 'DENY', rules: [{ ports: ['8080'], paths: ['/admin'] }] },
      /would deny every connection to ports \[8080\]/,
    ],
    [
      'a DENY of namespaces and request principals (the namespace match survives)',
      {
        action: 'DENY',
        rules: [{ fromNamespaces: ['a'], requestPrincipals: ['*'] }],
      },
      /would deny every connection from namespaces \[a\]/,
    ],
    [
      'a DENY of request principals and ports (the from clause is left empty)',
      {
        action: 'DENY',
        rules: [{ requestPrincipals: ['*'], ports: ['8080'] }],
      },
      /this DENY rule is never enforced by ztunnel/,
    ],
    [
      'CUSTOM on ztunnel',
      { action: 'CUSTOM' },
      /Input "action": CUSTOM is rejected by ztunnel/,
    ],
    [
      'JWT on ztunnel',
      { jwt: { issuer: 'https://idp' } },
      /Input "jwt".*waypoint only/,
    ],
    [
      'a selector on a waypoint policy',
      { waypoint: 'waypoint', selector: { app: 'x' } },
      /Input "selector": waypoints ignore selectors/,
    ],
    [
      'a missing waypoint',
      { waypoint: 'other', rules: [{ methods: ['GET'] }] },
      /Input "waypoint": waypoint "other" does not exist.*istio:waypoint:apply/,
    ],
    [
      'a protected namespace',
      { namespace: 'istio-system' },
      /Input "namespace".*"istio-system" is protected/,
    ],
  ])('refuses %s', (_name, patch, message) => {
    expect(() =>
      planPolicyApply({ ...base, ...patch }, stateOf([ns(), gateway]), options),
    ).toThrow(message);
  });

  it('plans a mesh-wide policy in the root namespace, which stays protected for the rest', () => {
    const root = { ...options, rootNamespace: 'istio-system' };
    const istioSystem: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'istio-system' },
    };
    const request = {
      ...base,
      namespace: 'istio-system',
      action: 'DENY' as const,
    };
    const plan = planPolicyApply(request, stateOf([istioSystem]), root);
    expect(planWrites(plan).map(c => c.object.metadata.namespace)).toEqual([
      'istio-system',
    ]);
    expect(() =>
      planPolicyApply(
        { ...request, namespace: 'istio-cni' },
        stateOf([istioSystem]),
        root,
      ),
    ).toThrow(/Input "namespace".*"istio-cni" is protected/);
  });

  it('targets the waypoint with L7 rules, and validates JWTs there', () => {
    const plan = planPolicyApply(
      {
        ...base,
        waypoint: 'waypoint',
        rules: [
          {
            fromServiceAccounts: ['frontend/web'],
            methods: ['GET'],
            paths: ['/api/*'],
            requestPrincipals: ['*'],
          },
        ],
        jwt: { issuer: 'https://idp', jwksUri: 'https://idp/jwks' },
      },
      stateOf([ns({ 'istio.io/use-waypoint': 'waypoint' }), gateway]),
      options,
    );
    const [jwt, policy] = planWrites(plan);
    expect(jwt.object.kind).toBe('RequestAuthentication');
    expect(jwt.object.metadata.name).toBe('allow-frontend-jwt');
    expect(policy.object.spec).toEqual({
      targetRefs: [
        {
          group: 'gateway.networking.k8s.io',
          kind: 'Gateway',
          name: 'waypoint',
        },
      ],
      action: 'ALLOW',
      rules: [
        {
          from: [
            {
              source: {
                principals: ['cluster.local/ns/frontend/sa/web'],
                requestPrincipals: ['*'],
              },
            },
          ],
          to: [{ operation: { methods: ['GET'], paths: ['/api/*'] } }],
        },
      ],
    });
    expect(plan.warnings).toEqual([]);
  });

  it('allows the waypoint identity when the namespace denies by default', () => {
    const allowNothing: KubeObject = {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'allow-nothing', namespace: 'reporting' },
      spec: {},
    };
    const request = {
      ...base,
      waypoint: 'waypoint',
      rules: [{ methods: ['GET'] }],
    };
    const plan = planPolicyApply(
      request,
      stateOf([
        ns({ 'istio.io/use-waypoint': 'waypoint' }),
        gateway,
        allowNothing,
      ]),
      options,
    );
    expect(planWrites(plan).map(c => c.object.metadata.name)).toEqual([
      'allow-waypoint',
      'allow-frontend',
    ]);
    const withoutDeny = planPolicyApply(
      request,
      stateOf([ns({ 'istio.io/use-waypoint': 'waypoint' }), gateway]),
      options,
    );
    expect(planWrites(withoutDeny).map(c => c.object.metadata.name)).toEqual([
      'allow-frontend',
    ]);
  });

  it('warns when ztunnel would check client identities behind a waypoint', () => {
    const plan = planPolicyApply(
      { ...base, rules: [{ fromServiceAccounts: ['frontend/web'] }] },
      stateOf([ns({ 'istio.io/use-waypoint': 'waypoint' }), gateway]),
      options,
    );
    expect(plan.warnings.join()).toMatch(
      /ztunnel sees the waypoint's identity/,
    );
  });

  it('plans nothing when the policy is already there', () => {
    const first = planPolicyApply(base, stateOf([ns()]), options);
    const existing = planWrites(first)[0].object as KubeObject;
    const second = planPolicyApply(base, stateOf([ns(), existing]), options);
    expect(second.steps).toEqual([]);
    expect(second.unchanged).toHaveLength(1);
  });
});
