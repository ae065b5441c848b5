import type { UserInfoService } from '@backstage/backend-plugin-api';
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

/** Who belongs to which groups, as the catalog's user info would say. */
const directory = new Map<string, string[]>();

function userOf(userEntityRef: string, groups: string[]): PolicyQueryUser {
  directory.set(userEntityRef, [userEntityRef, ...groups]);
  // The policy reads claims through the user info service, not `info`
  return {
    credentials: mockCredentials.user(userEntityRef),
  } as PolicyQueryUser;
}

const userInfo: UserInfoService = {
  async getUserInfo(credentials) {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return { userEntityRef: ref, ownershipEntityRefs: directory.get(ref)! };
  },
};

const developer = userOf('user:default/ada', ['group:default/team-commerce']);
const admin = userOf('user:default/platform-admin', [
  'group:default/platform-team',
]);

describe('PortalPermissionPolicy', () => {
  const policy = new PortalPermissionPolicy({ userInfo });

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
        params: { claims: directory.get('user:default/ada') },
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
      userInfo,
      platformAdmins: ['group:default/team-commerce'],
    });
    expect(await custom.handle(query, developer)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});
