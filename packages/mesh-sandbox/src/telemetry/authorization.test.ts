import { KubeObject } from '../kube/types';
import {
  authorize,
  translatePolicy,
  ZtunnelConnection,
  ZtunnelPolicy,
} from './authorization';

function policy(namespace: string, spec: unknown, name = 'p'): KubeObject {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name, namespace },
    spec: spec as Record<string, unknown>,
  };
}

const fromFrontend: ZtunnelConnection = {
  sourceIdentity: 'spiffe://cluster.local/ns/microservices/sa/frontend',
  destinationPort: 9080,
};
const plaintext: ZtunnelConnection = { destinationPort: 9080 };

function verdict(spec: unknown, conn = fromFrontend, ns = 'bookinfo') {
  const translated = translatePolicy(policy(ns, spec), 'istio-system');
  return authorize(translated ? [translated] : [], conn).allowed;
}

// istio/istio pilot/pkg/serviceregistry/ambient/authorization.go (handleRule,
// convertAuthorizationPolicy; the cases of authorization_test.go after PR #61166)
// and istio/ztunnel 1.28.0 src/rbac.rs Authorization::matches, src/state.rs assert_rbac
describe('ztunnel AuthorizationPolicy enforcement (istio pilot ambient/authorization.go, ztunnel src/rbac.rs)', () => {
  it.each([
    [
      'an ALLOW with an L7 rule drops the rule: nothing matches, so all is denied',
      {
        action: 'ALLOW',
        rules: [{ to: [{ operation: { methods: ['GET'] } }] }],
      },
      false,
    ],
    [
      'an ALLOW mixing L4 and L7 in one rule is dropped whole',
      {
        action: 'ALLOW',
        rules: [
          {
            from: [{ source: { namespaces: ['microservices'] } }],
            to: [{ operation: { paths: ['/api'] } }],
          },
        ],
      },
      false,
    ],
    [
      'an L4 ALLOW that matches allows',
      {
        action: 'ALLOW',
        rules: [{ from: [{ source: { namespaces: ['microservices'] } }] }],
      },
      true,
    ],
    ['the empty policy (allow-nothing) denies all', {}, false],
    [
      'an ALLOW with one empty rule allows all',
      { action: 'ALLOW', rules: [{}] },
      true,
    ],
    [
      'a DENY of only L7 fields is skipped (empty match)',
      {
        action: 'DENY',
        rules: [{ to: [{ operation: { paths: ['/admin'] } }] }],
      },
      true,
    ],
    [
      'a DENY of only L7 sources is skipped',
      {
        action: 'DENY',
        rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }],
      },
      true,
    ],
    [
      'a DENY with an L4 from and an L7-only to is a no-op (the to clause is empty)',
      {
        action: 'DENY',
        rules: [
          {
            from: [{ source: { namespaces: ['microservices'] } }],
            to: [{ operation: { methods: ['DELETE'] } }],
          },
        ],
      },
      true,
    ],
    [
      'a DENY mixing L4 and L7 in one operation denies on the L4 part',
      {
        action: 'DENY',
        rules: [
          {
            from: [{ source: { namespaces: ['microservices'] } }],
            to: [{ operation: { ports: ['9080'], methods: ['DELETE'] } }],
          },
        ],
      },
      false,
    ],
    [
      'a DENY mixing principals and notRequestPrincipals in one source denies on the principals',
      {
        action: 'DENY',
        rules: [
          {
            from: [
              {
                source: {
                  principals: ['cluster.local/ns/microservices/sa/frontend'],
                  notRequestPrincipals: ['*'],
                },
              },
            ],
          },
        ],
      },
      false,
    ],
    [
      'a DENY with an L4 from and an L7 when is a no-op',
      {
        action: 'DENY',
        rules: [
          {
            from: [{ source: { namespaces: ['microservices'] } }],
            when: [{ key: 'request.headers[x-test]', values: ['1'] }],
          },
        ],
      },
      true,
    ],
    [
      'a DENY on another port does not fire',
      { action: 'DENY', rules: [{ to: [{ operation: { ports: ['8080'] } }] }] },
      true,
    ],
    [
      'a serviceAccounts DENY without namespace means the policy namespace',
      {
        action: 'DENY',
        rules: [{ from: [{ source: { serviceAccounts: ['frontend'] } }] }],
      },
      true,
    ],
    [
      'a serviceAccounts DENY with ns/sa matches',
      {
        action: 'DENY',
        rules: [
          {
            from: [{ source: { serviceAccounts: ['microservices/frontend'] } }],
          },
        ],
      },
      false,
    ],
    [
      'CUSTOM is not sent to ztunnel',
      { action: 'CUSTOM', provider: { name: 'ext' }, rules: [{}] },
      true,
    ],
    [
      'a targetRefs policy is for waypoints, not ztunnel',
      {
        targetRefs: [{ kind: 'Service', group: '', name: 'productpage' }],
        action: 'DENY',
        rules: [{}],
      },
      true,
    ],
  ])('%s', (_title, spec, allowed) => {
    expect(verdict(spec)).toBe(allowed);
  });

  it('matches namespaces and principals on the mTLS identity only: plaintext has none', () => {
    const deny = {
      action: 'DENY',
      rules: [{ from: [{ source: { namespaces: ['*'] } }] }],
    };
    expect(verdict(deny, plaintext)).toBe(true);
    expect(verdict(deny, fromFrontend)).toBe(false);
    const notPrincipals = {
      action: 'DENY',
      rules: [{ from: [{ source: { notPrincipals: ['*'] } }] }],
    };
    expect(verdict(notPrincipals, plaintext)).toBe(false);
  });

  it('scopes policies: selector, namespace-wide, and global in the root namespace', () => {
    const scope = (ns: string, spec: unknown) =>
      (translatePolicy(policy(ns, spec), 'istio-system') as ZtunnelPolicy)
        .scope;
    expect(scope('bookinfo', { selector: { matchLabels: { app: 'x' } } })).toBe(
      'WORKLOAD_SELECTOR',
    );
    expect(scope('bookinfo', {})).toBe('NAMESPACE');
    expect(scope('istio-system', {})).toBe('GLOBAL');
  });
});
