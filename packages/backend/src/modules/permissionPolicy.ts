import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityDeletePermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  istioMeshAdminPermission,
  istioNamespaceManagePermission,
} from '@ambient-mesh/plugin-istio-common';

/** Who the portal treats as platform admins by default. */
export const DEFAULT_PLATFORM_ADMINS = ['group:default/platform-team'];

/**
 * The portal's permission policy: every signed-in user may read and use the
 * portal; only an entity's owners may unregister it from the catalog or
 * change the mesh setup of the namespaces it claims
 * (`istio.namespace.manage`); only platform admins (members of
 * `portal.platformAdmins`) get `istio.mesh.admin`.
 */
export class PortalPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly options: {
      /** Resolves the caller's ownership claims from their credentials. */
      userInfo: UserInfoService;
      platformAdmins?: readonly string[];
    },
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user
      ? (await this.options.userInfo.getUserInfo(user.credentials))
          .ownershipEntityRefs
      : [];
    if (
      isPermission(request.permission, catalogEntityDeletePermission) ||
      isPermission(request.permission, istioNamespaceManagePermission)
    ) {
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    if (request.permission.name === istioMeshAdminPermission.name) {
      const admins = this.options.platformAdmins ?? DEFAULT_PLATFORM_ADMINS;
      return {
        result: claims.some(ref => admins.includes(ref))
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export const permissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'portal-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, userInfo }) {
        policy.setPolicy(
          new PortalPermissionPolicy({
            userInfo,
            platformAdmins: config.getOptionalStringArray(
              'portal.platformAdmins',
            ),
          }),
        );
      },
    });
  },
});
