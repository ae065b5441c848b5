import { resolvePlacements, WorkloadNamespaceFinder } from './placements';
import { EntityTarget } from './targets';

const target = (namespace?: string): EntityTarget => ({
  entityRef: 'component:default/orders',
  labelSelector: 'backstage.io/kubernetes-id=orders',
  namespace,
  serviceName: 'orders',
});

function finder(
  byCluster: Record<string, string[] | Error>,
): WorkloadNamespaceFinder & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async find(cluster, labelSelector) {
      calls.push(`${cluster} ${labelSelector}`);
      const found = byCluster[cluster];
      if (found instanceof Error) throw found;
      return found ?? [];
    },
  };
}

describe('resolvePlacements', () => {
  it('uses the namespace annotation in every cluster without listing pods', async () => {
    const f = finder({ east: ['x'] });
    await expect(
      resolvePlacements(target('shop'), ['east', 'west'], f),
    ).resolves.toEqual([
      { cluster: 'east', namespace: 'shop', discovered: false },
      { cluster: 'west', namespace: 'shop', discovered: false },
    ]);
    expect(f.calls).toEqual([]);
  });

  it('shows several namespaces and clusters as such, and leaves out clusters without pods', async () => {
    const f = finder({
      east: ['canary', 'shop'],
      west: ['shop'],
      north: [],
    });
    await expect(
      resolvePlacements(target(), ['east', 'west', 'north'], f),
    ).resolves.toEqual([
      { cluster: 'east', namespace: 'canary', discovered: true },
      { cluster: 'east', namespace: 'shop', discovered: true },
      { cluster: 'west', namespace: 'shop', discovered: true },
    ]);
    expect(f.calls).toEqual([
      'east backstage.io/kubernetes-id=orders',
      'west backstage.io/kubernetes-id=orders',
      'north backstage.io/kubernetes-id=orders',
    ]);
  });

  it('keeps a failing cluster as an error next to the others', async () => {
    const f = finder({
      east: ['shop'],
      west: Object.assign(new Error('list pods (cluster-wide) forbidden'), {
        name: 'NotAllowedError',
      }),
    });
    await expect(
      resolvePlacements(target(), ['east', 'west'], f),
    ).resolves.toEqual([
      { cluster: 'east', namespace: 'shop', discovered: true },
      {
        cluster: 'west',
        error: {
          name: 'NotAllowedError',
          message: 'list pods (cluster-wide) forbidden',
        },
      },
    ]);
  });

  it('says in every cluster that no labelled pod runs when none does', async () => {
    const placements = await resolvePlacements(
      target(),
      ['east', 'west'],
      finder({}),
    );
    expect(placements.map(p => ('error' in p ? p.error.name : p))).toEqual([
      'NotFoundError',
      'NotFoundError',
    ]);
  });
});
