/*
 * ztunnel's inbound authorization of AuthorizationPolicies as istiod converts them:
 * istio/ztunnel src/rbac.rs + src/state.rs assert_rbac, and istio/istio
 * pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go, both at 1.28.0.
 * The DENY cases are those of istio/istio authorization_test.go (PR #61166).
 */
import { assertRbac, policiesFor, RbacConnection } from './policyRbac';
import { ztunnelAuthorization } from './policyStatus';

const conn = (
  namespace: string | undefined,
  port = 8080,
  sourceIp = '10.1.2.3',
): RbacConnection => ({
  ...(namespace
    ? {
        source: {
          trustDomain: 'cluster.local',
          namespace,
          serviceAccount: 'default',
        },
      }
    : {}),
  sourceIp,
  destinationIp: '10.1.9.9',
  destinationPort: port,
});

const policy = (spec: any, name = 'p') =>
  ztunnelAuthorization(
    { metadata: { name, namespace: 'shop' }, spec },
    'istio-system',
  )!;

describe('assertRbac (ztunnel src/state.rs assert_rbac, 1.28.0)', () => {
  it.each<[string, any, RbacConnection, boolean]>([
    [
      'a DENY of only L7 fields never fires',
      {
        action: 'DENY',
        rules: [{ to: [{ operation: { paths: ['/admin'] } }] }],
      },
      conn('web'),
      true,
    ],
    [
      'a DENY of namespaces + paths never fires (the to clause is empty)',
      {
        action: 'DENY',
        rules: [
          {
            from: [{ source: { namespaces: ['web'] } }],
            to: [{ operation: { paths: ['/admin'] } }],
          },
        ],
      },
      conn('web'),
      true,
    ],
    [
      'a DENY of ports + paths denies every connection to the port',
      {
        action: 'DENY',
        rules: [
          { to: [{ operation: { ports: ['8080'], paths: ['/admin'] } }] },
        ],
      },
      conn('web'),
      false,
    ],
    [
      'the same DENY lets other ports through',
      {
        action: 'DENY',
        rules: [
          { to: [{ operation: { ports: ['8080'], paths: ['/admin'] } }] },
        ],
      },
      conn('web', 9090),
      true,
    ],
    [
      'a DENY of principals + notRequestPrincipals denies the principal',
      {
        action: 'DENY',
        rules: [
          {
            from: [
              {
                source: {
                  principals: ['cluster.local/ns/web/sa/default'],
                  notRequestPrincipals: ['example.com/sub-1'],
                },
              },
            ],
          },
        ],
      },
      conn('web'),
      false,
    ],
    [
      'an ALLOW of only L7 rules allows nothing',
      { rules: [{ to: [{ operation: { methods: ['GET'] } }] }] },
      conn('web'),
      false,
    ],
    [
      'an ALLOW from a namespace allows it',
      { rules: [{ from: [{ source: { namespaces: ['web'] } }] }] },
      conn('web'),
      true,
    ],
    [
      'an ALLOW from a namespace refuses plaintext',
      { rules: [{ from: [{ source: { namespaces: ['web'] } }] }] },
      conn(undefined),
      false,
    ],
    [
      'an ALLOW by ipBlocks',
      { rules: [{ from: [{ source: { ipBlocks: ['10.1.0.0/16'] } }] }] },
      conn(undefined, 8080, '10.1.200.4'),
      true,
    ],
    ['allow-nothing (empty spec)', {}, conn('web'), false],
    [
      'an ALLOW with an empty rule allows all',
      { rules: [{}] },
      conn('web'),
      true,
    ],
  ])('%s', (_name, spec, connection, allowed) => {
    expect(assertRbac([policy(spec)], connection).allowed).toBe(allowed);
  });

  it('applies global, namespace and selector policies to a workload', () => {
    const all = [
      ztunnelAuthorization(
        { metadata: { name: 'g', namespace: 'istio-system' }, spec: {} },
        'istio-system',
      )!,
      policy({}, 'ns'),
      policy({ selector: { matchLabels: { app: 'orders' } } }, 'sel'),
      policy({ selector: { matchLabels: { app: 'other' } } }, 'other'),
    ];
    expect(
      policiesFor(
        all,
        { namespace: 'shop', labels: { app: 'orders' } },
        'istio-system',
      ).map(p => `${p.scope}:${p.name}`),
    ).toEqual(['GLOBAL:g', 'NAMESPACE:ns', 'WORKLOAD_SELECTOR:sel']);
  });
});
