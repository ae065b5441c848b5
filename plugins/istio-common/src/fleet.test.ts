import { fleetEntry, summarizeClusterMesh } from './fleet';

describe('summarizeClusterMesh', () => {
  it('keeps the namespace of a failed block found from the workloads, so two namespaces of one cluster stay apart', () => {
    expect(
      summarizeClusterMesh({
        cluster: 'east',
        namespace: 'shop-canary',
        error: {
          name: 'NotAllowedError',
          message: 'list pods in namespace shop-canary is forbidden',
        },
      }),
    ).toEqual({
      cluster: 'east',
      namespace: 'shop-canary',
      error: 'list pods in namespace shop-canary is forbidden',
    });
  });

  it('names no namespace for a failed cluster of an entity with the namespace annotation', () => {
    const entry = fleetEntry(
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'orders', namespace: 'default' },
        spec: { owner: 'team-a' },
      },
      [
        {
          cluster: 'west',
          error: { name: 'Error', message: 'cluster unreachable' },
        },
      ],
    );
    expect(entry.clusters).toEqual([
      { cluster: 'west', error: 'cluster unreachable' },
    ]);
    expect(entry.owner).toBe('team-a');
  });
});
