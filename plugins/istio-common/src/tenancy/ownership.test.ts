import { Entity } from '@backstage/catalog-model';
import { claimOf, decideNamespaceWrite, namespaceClaims } from './ownership';

const entity = (
  name: string,
  owner: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { owner },
});

const orders = entity('orders', 'team-commerce', {
  'backstage.io/kubernetes-id': 'orders',
  'backstage.io/kubernetes-namespace': 'microservices',
});
const reports = entity('reports', 'group:default/team-reporting', {
  'backstage.io/kubernetes-id': 'reports',
});
const euOnly = entity('eu', 'team-eu', {
  'backstage.io/kubernetes-namespace': 'microservices',
  'backstage.io/kubernetes-cluster': 'eu',
});

describe('namespace ownership', () => {
  it.each([
    [
      'by annotation',
      orders,
      { namespace: 'microservices', cluster: 'sandbox' },
      'namespace-annotation',
    ],
    [
      'through labelled workloads',
      reports,
      { namespace: 'reporting', cluster: 'sandbox', workloadIds: ['reports'] },
      'workload-label',
    ],
    [
      'not without workloads there',
      reports,
      { namespace: 'reporting', cluster: 'sandbox' },
      undefined,
    ],
    [
      'not in another cluster',
      euOnly,
      { namespace: 'microservices', cluster: 'sandbox' },
      undefined,
    ],
    [
      'in its cluster',
      euOnly,
      { namespace: 'microservices', cluster: 'eu' },
      'namespace-annotation',
    ],
    [
      'not another namespace',
      orders,
      { namespace: 'reporting', cluster: 'sandbox', workloadIds: ['orders'] },
      undefined,
    ],
  ])('claims %s', (_what, e, target, via) => {
    expect(claimOf(e, target)?.via).toBe(via);
  });

  it('names owners as full refs', () => {
    expect(
      namespaceClaims([orders, reports, euOnly], {
        namespace: 'microservices',
        cluster: 'sandbox',
      }),
    ).toEqual([
      {
        entityRef: 'component:default/orders',
        owner: 'group:default/team-commerce',
        via: 'namespace-annotation',
      },
    ]);
  });

  const target = { namespace: 'reporting', cluster: 'sandbox' };
  const claim = {
    entityRef: 'component:default/reports',
    owner: 'group:default/team-reporting',
    via: 'workload-label' as const,
  };

  it.each([
    [
      'an owner',
      { isAdmin: false, claims: [{ ...claim, allowed: true }] },
      true,
      undefined,
    ],
    ['an admin', { isAdmin: true, claims: [] }, true, undefined],
    [
      'someone else',
      { isAdmin: false, claims: [{ ...claim, allowed: false }] },
      false,
      /istio\.namespace\.manage.*owned by group:default\/team-reporting/,
    ],
    [
      'anyone but an admin, when unclaimed',
      { isAdmin: false, claims: [] },
      false,
      /claimed by no catalog entity.*istio\.mesh\.admin/,
    ],
  ])('lets %s change it', (_who, input, allowed, message) => {
    const decision = decideNamespaceWrite({ target, ...input });
    expect(decision.allowed).toBe(allowed);
    // An allowed change has no message; a refusal's names the rule
    const text = decision.allowed ? '' : decision.message;
    expect(text).toMatch(message ?? /^$/);
  });

  it.each([
    'kube-system',
    'kube-anything',
    'istio-system',
    'istio-cni',
    'ztunnel',
    'payments',
  ])('refuses the protected namespace %s even to admins', namespace => {
    const decision = decideNamespaceWrite({
      target: { namespace, cluster: 'sandbox' },
      protectedNamespaces: ['payments'],
      isAdmin: true,
      claims: [],
    });
    expect(decision).toMatchObject({ allowed: false, reason: 'protected' });
  });
});
