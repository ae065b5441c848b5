import { componentEntity } from '../__testUtils__/fixtures';
import { claimedNamespaces } from './claimedNamespaces';

describe('claimedNamespaces', () => {
  it('claims a namespace in the named cluster only, else in every cluster, and skips invalid names', () => {
    const claims = claimedNamespaces(
      [
        componentEntity('orders', 'microservices'),
        componentEntity('reports', 'reporting', {
          'backstage.io/kubernetes-cluster': 'east',
        }),
        componentEntity('bad', 'Not_A_Namespace'),
      ],
      ['east', 'west'],
    );
    expect([...claims.get('east')!].sort()).toEqual([
      'microservices',
      'reporting',
    ]);
    expect([...claims.get('west')!]).toEqual(['microservices']);
  });
});
