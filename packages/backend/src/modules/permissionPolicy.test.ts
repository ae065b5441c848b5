import { mockCredentials } from '@backstage/backend-test-utils';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  istioMeshAdminPermission,
  istioNamespaceManagePermission,
} from '@ambient-mesh/plugin-istio-common';
import { PortalPermissionPolicy } from './permissionPolicy';

function userOf(userEntityRef: string, groups: string[]): PolicyQueryUser {
  const ownershipEntityRefs = [userEntityRef, ...groups];
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: { userEntityRef, ownershipEntityRefs },
  };
}

const developer = userOf('user:default/ada', ['group:default/team-commerce']);
const admin = userOf('user:default/platform-admin', [
  'group:default/platform-team',
]);

describe('PortalPermissionPolicy', () => {
  const policy = new PortalPermissionPolicy();

  it('allows reading catalog entities', async () => {
    const decision = await policy.handle(
      { permission: catalogEntityReadPermission },
      developer,
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it.each([
    ['catalog.entity.delete', catalogEntityDeletePermission],
    ['istio.namespace.manage', istioNamespaceManagePermission],
  ])('lets only owners use %s on an entity', async (_name, permission) => {
    const decision = await policy.handle({ permission } as any, developer);
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: developer.info.ownershipEntityRefs },
      },
    });
  });

  it('grants istio.mesh.admin to platform admins only', async () => {
    const query = { permission: istioMeshAdminPermission };
    expect(await policy.handle(query, developer)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await policy.handle(query, admin)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    const custom = new PortalPermissionPolicy({
      platformAdmins: ['group:default/team-commerce'],
    });
    expect(await custom.handle(query, developer)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});
