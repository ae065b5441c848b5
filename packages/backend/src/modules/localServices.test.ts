import { Entity } from '@backstage/catalog-model';
import { checkClaims } from './localServices';

const component = (name: string, owner: string, namespace: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    annotations: { 'backstage.io/kubernetes-namespace': namespace },
  },
  spec: { owner },
});

const guest = {
  ref: 'user:default/guest',
  entity: {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'guest' },
    relations: [{ type: 'memberOf', targetRef: 'group:default/team-commerce' }],
  } as Entity,
};

describe('portal:publish:local claims', () => {
  it("publishes a component of the user's team in a namespace no other team claims", async () => {
    await expect(
      checkClaims(
        component('hello', 'team-commerce', 'hello'),
        guest,
        async () => [component('hello', 'team-commerce', 'hello')],
      ),
    ).resolves.toBeUndefined();
  });

  it("refuses a component owned by another team, and a namespace another team's entity claims", async () => {
    await expect(
      checkClaims(
        component('hello', 'team-finance', 'hello'),
        guest,
        async () => [],
      ),
    ).rejects.toThrow(
      /owned by group:default\/team-finance, which is neither user:default\/guest nor one of their groups/,
    );
    await expect(
      checkClaims(
        component('hello', 'team-commerce', 'ledger'),
        guest,
        async () => [component('ledger', 'team-finance', 'ledger')],
      ),
    ).rejects.toThrow(
      /Namespace ledger is claimed by component:default\/ledger \(owner group:default\/team-finance\)/,
    );
  });
});
