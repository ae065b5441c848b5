import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { PortalPermissionPolicy } from './permissionPolicy';

const userEntityRef = 'user:default/ada';
const ownershipEntityRefs = [userEntityRef, 'group:default/team-mesh'];

const user: PolicyQueryUser = {
  credentials: mockCredentials.user(userEntityRef),
  info: { userEntityRef, ownershipEntityRefs },
};

describe('PortalPermissionPolicy', () => {
  const policy = new PortalPermissionPolicy(
    mockServices.userInfo({ userEntityRef, ownershipEntityRefs }),
  );

  it('allows reading catalog entities', async () => {
    const decision = await policy.handle(
      { permission: catalogEntityReadPermission },
      user,
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets only owners unregister an entity', async () => {
    const decision = await policy.handle(
      { permission: catalogEntityDeletePermission },
      user,
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ownershipEntityRefs },
      },
    });
  });
});
