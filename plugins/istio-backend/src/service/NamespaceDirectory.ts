import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { InputError } from '@backstage/errors';
import {
  DATAPLANE_MODE_AMBIENT,
  DATAPLANE_MODE_LABEL,
  KUBERNETES_ID_ANNOTATION,
  NamespaceClaim,
  USE_WAYPOINT_LABEL,
  WAYPOINT_GATEWAY_CLASS,
  istioMeshAdminPermission,
  istioNamespaceManagePermission,
  isProtectedNamespace,
  ManageableNamespace,
  ManageableNamespacesResponse,
  namespaceClaims,
} from '@ambient-mesh/plugin-istio-common';
import {
  ClusterClientFactory,
  KubeClient,
  KubeObject,
} from '@ambient-mesh/plugin-istio-node';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { CLAIMING_ENTITIES_FILTER } from './claimedNamespaces';

/** Istio's root namespace (meshConfig.rootNamespace default). */
const ROOT_NAMESPACE = 'istio-system';

/**
 * An allow-nothing policy for the whole namespace: ALLOW (the default
 * action) without rules, selector or targetRefs (istio.io docs, "Authorization
 * policy", allow-nothing; istio/api security/v1/authorization_policy.proto).
 */
function isNamespaceWideAllowNothing(policy: KubeObject): boolean {
  const spec = (policy as any).spec ?? {};
  return (
    (spec.action ?? 'ALLOW') === 'ALLOW' &&
    (spec.rules ?? []).length === 0 &&
    !spec.selector &&
    !spec.targetRef &&
    (spec.targetRefs ?? []).length === 0 &&
    !spec.provider
  );
}

/**
 * The namespaces a caller may change, per the rules of the istio:* write
 * actions: platform admins (istio.mesh.admin) every namespace that is not
 * protected; others those claimed by an entity on which they have
 * istio.namespace.manage.
 *
 * @public
 */
export class NamespaceDirectory {
  constructor(
    private readonly deps: {
      clusters: ClusterClientFactory;
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
      protectedNamespaces?: readonly string[];
      requestTimeoutMs?: number;
    },
  ) {}

  async list(
    credentials: BackstageCredentials,
    cluster?: string,
  ): Promise<ManageableNamespacesResponse> {
    const names = this.deps.clusters.listClusters().map(c => c.name);
    if (cluster !== undefined && !names.includes(cluster)) {
      throw new InputError(
        `Query "cluster": "${cluster}" is not a configured cluster (${names.join(
          ', ',
        )})`,
      );
    }
    const [admin] = await this.deps.permissions.authorize(
      [{ permission: istioMeshAdminPermission }],
      { credentials },
    );
    const isAdmin = admin.result === AuthorizeResult.ALLOW;
    // Every claim counts, also those the caller cannot see (as in the actions)
    const { items: entities } = await this.deps.catalog.getEntities(
      {
        filter: [
          CLAIMING_ENTITIES_FILTER,
          {
            [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]:
              CATALOG_FILTER_EXISTS,
          },
        ],
        fields: ['kind', 'metadata', 'spec.owner'],
      },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    const rows: Array<ManageableNamespace & { claims: NamespaceClaim[] }> = [];
    for (const name of cluster ? [cluster] : names) {
      rows.push(...(await this.readCluster(name, entities)));
    }
    const visible = rows.filter(
      r => !isProtectedNamespace(r.namespace, this.deps.protectedNamespaces),
    );
    let allowed = visible;
    if (!isAdmin) {
      const refs = [
        ...new Set(visible.flatMap(r => r.claims.map(c => c.entityRef))),
      ];
      const decisions = refs.length
        ? await this.deps.permissions.authorize(
            refs.map(resourceRef => ({
              permission: istioNamespaceManagePermission,
              resourceRef,
            })),
            { credentials },
          )
        : [];
      const may = new Set(
        refs.filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW),
      );
      allowed = visible.filter(r => r.claims.some(c => may.has(c.entityRef)));
    }
    return {
      admin: isAdmin,
      items: allowed.map(({ claims: _claims, ...row }) => row),
    };
  }

  private async readCluster(
    cluster: string,
    entities: Entity[],
  ): Promise<Array<ManageableNamespace & { claims: NamespaceClaim[] }>> {
    const client = new KubeClient(this.deps.clusters.getKubeConfig(cluster), {
      requestTimeoutMs: this.deps.requestTimeoutMs,
    });
    const [namespaces, pods, gateways, policies] = await Promise.all([
      client.list('v1', 'Namespace'),
      client.list('v1', 'Pod', undefined, KUBERNETES_ID_ANNOTATION),
      client.list('gateway.networking.k8s.io/v1', 'Gateway'),
      client.list('security.istio.io/v1', 'AuthorizationPolicy'),
    ]);
    const meshWideDeny = policies.some(
      p =>
        p.metadata.namespace === ROOT_NAMESPACE &&
        isNamespaceWideAllowNothing(p),
    );
    return namespaces
      .map(ns => {
        const namespace = ns.metadata.name!;
        const labels = ns.metadata.labels ?? {};
        const workloadIds = [
          ...new Set(
            pods
              .filter(p => p.metadata.namespace === namespace)
              .map(p => p.metadata.labels?.[KUBERNETES_ID_ANNOTATION])
              .filter((id): id is string => !!id),
          ),
        ];
        const claims = namespaceClaims(entities, {
          cluster,
          namespace,
          workloadIds,
        });
        const waypoint =
          labels[USE_WAYPOINT_LABEL] ??
          gateways.find(
            g =>
              g.metadata.namespace === namespace &&
              (g as any).spec?.gatewayClassName === WAYPOINT_GATEWAY_CLASS,
          )?.metadata.name;
        return {
          cluster,
          namespace,
          ambient: labels[DATAPLANE_MODE_LABEL] === DATAPLANE_MODE_AMBIENT,
          ...(waypoint ? { waypoint } : {}),
          defaultDeny:
            meshWideDeny ||
            policies.some(
              p =>
                p.metadata.namespace === namespace &&
                isNamespaceWideAllowNothing(p),
            ),
          owners: [
            ...new Set(
              claims.map(c => c.owner).filter((o): o is string => !!o),
            ),
          ].sort(),
          entities: claims.map(c => c.entityRef),
          claims,
        };
      })
      .sort((a, b) => a.namespace.localeCompare(b.namespace));
  }
}
