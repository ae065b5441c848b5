import { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { istioMeshOnboardPermission } from '@ambient-mesh/plugin-istio-common';
import { ActionContext } from '@backstage/plugin-scaffolder-node';

/**
 * Checks `istio.mesh.onboard` with the credentials of the user who started
 * the task; a denial is a NotAllowedError naming the permission.
 */
export async function authorizeOnboard(
  permissions: PermissionsService,
  ctx: Pick<ActionContext<any, any>, 'getInitiatorCredentials'>,
): Promise<void> {
  const credentials = await ctx.getInitiatorCredentials();
  const [decision] = await permissions.authorize(
    [{ permission: istioMeshOnboardPermission }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `Permission ${istioMeshOnboardPermission.name} is required to change the mesh; ask a platform admin to grant it to you`,
    );
  }
}
