import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { componentEntity } from '../__testUtils__/fixtures';
import { EntityAccess } from './EntityAccess';

const parts = { kind: 'component', namespace: 'default', name: 'orders' };

function counting<T extends object>(target: T, method: keyof T) {
  const calls = { count: 0 };
  const original = (target[method] as any).bind(target);
  (target as any)[method] = (...args: unknown[]) => {
    calls.count += 1;
    return original(...args);
  };
  return calls;
}

describe('EntityAccess', () => {
  it('reuses a granted read for the same caller token within the TTL, and not for another token', async () => {
    const catalog = catalogServiceMock({
      entities: [componentEntity('orders', 'microservices')],
    });
    const reads = counting(catalog, 'getEntityByRef');
    let now = 1000;
    const access = new EntityAccess(
      catalog,
      mockServices.permissions.mock({
        authorize: async () => [{ result: AuthorizeResult.ALLOW }],
      }),
      { ttlMs: 5000, now: () => now },
    );
    const credentials = mockCredentials.user();
    await Promise.all([
      access.load(parts, credentials, 'Bearer a'),
      access.load(parts, credentials, 'Bearer a'),
    ]);
    await access.load(parts, credentials, 'Bearer a');
    expect(reads.count).toBe(1);
    await access.load(parts, credentials, 'Bearer b');
    expect(reads.count).toBe(2);
    now += 5001;
    await access.load(parts, credentials, 'Bearer a');
    expect(reads.count).toBe(3);
  });

  it.each([
    ['a slash in the namespace', { ...parts, namespace: '/' }],
    ['a colon in the kind', { ...parts, kind: 'user:default' }],
    ['a slash in the kind', { ...parts, kind: 'a/b' }],
  ])(
    'refuses an entity path the catalog would read as another reference (%s) with an InputError',
    async (_what, hostile) => {
      const catalog = catalogServiceMock({
        entities: [componentEntity('orders', 'microservices')],
      });
      const access = new EntityAccess(
        catalog,
        mockServices.permissions.mock({
          authorize: async () => [{ result: AuthorizeResult.ALLOW }],
        }),
      );
      await expect(
        access.load(hostile, mockCredentials.user(), 'Bearer a'),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/Invalid entity in the path/),
      });
    },
  );

  it('does not keep a refusal', async () => {
    const catalog = catalogServiceMock({
      entities: [componentEntity('orders', 'microservices')],
    });
    let result: AuthorizeResult.ALLOW | AuthorizeResult.DENY =
      AuthorizeResult.DENY;
    const access = new EntityAccess(
      catalog,
      mockServices.permissions.mock({
        authorize: async () => [{ result }],
      }),
      { ttlMs: 5000 },
    );
    const credentials = mockCredentials.user();
    await expect(access.load(parts, credentials, 'Bearer a')).rejects.toThrow(
      /istio.entity.read/,
    );
    result = AuthorizeResult.ALLOW;
    await expect(
      access.load(parts, credentials, 'Bearer a'),
    ).resolves.toMatchObject({
      metadata: { name: 'orders' },
    });
  });
});
