import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  KUBERNETES_ID_ANNOTATION,
  NamespaceClaim,
  NamespaceTarget,
  NamespaceWriteDecision,
  decideNamespaceWrite,
  istioMeshAdminPermission,
  istioNamespaceManagePermission,
  isProtectedNamespace,
  namespaceClaimFilter,
  namespaceClaims,
} from '@ambient-mesh/plugin-istio-common';
import { KubeClient } from '@ambient-mesh/plugin-istio-node';
import { ActionContext } from '@backstage/plugin-scaffolder-node';

type Ctx = Pick<ActionContext<any, any>, 'getInitiatorCredentials'>;

/** Who started the task, for messages and audit events. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal?.type === 'user') return principal.userEntityRef ?? 'user';
  if (principal?.type === 'service') return `service:${principal.subject}`;
  return 'unknown';
}

async function isAllowed(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  request: { permission: any; resourceRef?: string },
): Promise<boolean> {
  const [decision] = await permissions.authorize([request], { credentials });
  return decision.result === AuthorizeResult.ALLOW;
}

/**
 * Checks `istio.mesh.admin` with the credentials of the user who started
 * the task (mesh-wide actions); a denial is a NotAllowedError naming the
 * permission.
 */
export async function authorizeMeshAdmin(
  permissions: PermissionsService,
  ctx: Ctx,
  what: string,
): Promise<BackstageCredentials> {
  const credentials = await ctx.getInitiatorCredentials();
  if (
    !(await isAllowed(permissions, credentials, {
      permission: istioMeshAdminPermission,
    }))
  ) {
    throw new NotAllowedError(
      `${what} needs the permission ${
        istioMeshAdminPermission.name
      } (platform admins); ${actorOf(credentials)} does not have it`,
    );
  }
  return credentials;
}

/**
 * The catalog entities that claim a namespace of a cluster: by annotation,
 * and (one LIST of the namespace's pods) through the
 * `backstage.io/kubernetes-id` labels of the workloads running there.
 */
export async function findNamespaceClaims(deps: {
  catalog?: CatalogService;
  auth?: AuthService;
  client: KubeClient;
  target: Omit<NamespaceTarget, 'workloadIds'>;
}): Promise<NamespaceClaim[]> {
  if (!deps.catalog || !deps.auth) return [];
  const pods = await deps.client.list(
    'v1',
    'Pod',
    deps.target.namespace,
    KUBERNETES_ID_ANNOTATION,
  );
  const workloadIds = [
    ...new Set(
      pods
        .map(p => p.metadata.labels?.[KUBERNETES_ID_ANNOTATION])
        .filter((id): id is string => !!id),
    ),
  ];
  const target = { ...deps.target, workloadIds };
  // Our own credentials: every claim counts, also those the user cannot see.
  const { items } = await deps.catalog.getEntities(
    {
      filter: namespaceClaimFilter(target),
      fields: ['kind', 'metadata', 'spec.owner'],
    },
    { credentials: await deps.auth.getOwnServiceCredentials() },
  );
  return namespaceClaims(items, target);
}

/**
 * Authorizes a change to one namespace for the task's initiator: refused
 * for protected namespaces; allowed to platform admins (`istio.mesh.admin`)
 * and to whoever the policy allows `istio.namespace.manage` on an entity
 * claiming the namespace. A refusal names the permission and the owners.
 * Runs the same way in a dry run.
 */
export async function authorizeNamespaceChange(
  deps: {
    permissions: PermissionsService;
    catalog?: CatalogService;
    auth?: AuthService;
    protectedNamespaces?: readonly string[];
  },
  ctx: Ctx,
  client: KubeClient,
  target: { namespace: string; cluster: string },
): Promise<{
  credentials: BackstageCredentials;
  decision: NamespaceWriteDecision;
}> {
  const credentials = await ctx.getInitiatorCredentials();
  const refuse = (decision: NamespaceWriteDecision) => {
    if (!decision.allowed) {
      throw new NotAllowedError(
        `${actorOf(credentials)} may not change this namespace: ${
          decision.message
        }`,
      );
    }
  };
  // Protected namespaces are refused before anything is read
  if (isProtectedNamespace(target.namespace, deps.protectedNamespaces)) {
    refuse(
      decideNamespaceWrite({
        target,
        protectedNamespaces: deps.protectedNamespaces,
        isAdmin: false,
        claims: [],
      }),
    );
  }
  const [isAdmin, claims] = await Promise.all([
    isAllowed(deps.permissions, credentials, {
      permission: istioMeshAdminPermission,
    }),
    findNamespaceClaims({ ...deps, client, target }),
  ]);
  const decisions = isAdmin
    ? claims.map(c => ({ ...c, allowed: false }))
    : await Promise.all(
        claims.map(async claim => ({
          ...claim,
          allowed: await isAllowed(deps.permissions, credentials, {
            permission: istioNamespaceManagePermission,
            resourceRef: claim.entityRef,
          }),
        })),
      );
  const decision = decideNamespaceWrite({
    target,
    protectedNamespaces: deps.protectedNamespaces,
    isAdmin,
    claims: decisions,
  });
  refuse(decision);
  return { credentials, decision };
}

/**
 * Records one audit event per write action (also in a dry run, marked so):
 * who, which cluster and namespace, and what changed or why it failed.
 */
export async function audited<T>(
  auditor: AuditorService | undefined,
  event: {
    action: string;
    cluster?: string;
    namespace?: string;
    dryRun: boolean;
    /** apply or gitops (files only, nothing written to the cluster). */
    mode?: string;
    actor: () => Promise<string>;
  },
  run: () => Promise<{ result: T; changes?: unknown }>,
): Promise<T> {
  if (!auditor) return (await run()).result;
  const actor = await event.actor().catch(() => 'unknown');
  const audit = await auditor.createEvent({
    eventId: 'mesh-change',
    severityLevel: event.dryRun ? 'low' : 'medium',
    meta: {
      action: event.action,
      actor,
      cluster: event.cluster ?? null,
      namespace: event.namespace ?? null,
      dryRun: event.dryRun,
      ...(event.mode ? { mode: event.mode } : {}),
    },
  });
  try {
    const { result, changes } = await run();
    await audit.success({ meta: { changes: (changes ?? []) as any } });
    return result;
  } catch (error) {
    await audit.fail({
      error: error instanceof Error ? error : new Error(String(error)),
    });
    throw error;
  }
}
