import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { istioEntityReadPermission } from '@ambient-mesh/plugin-istio-common';

/** An entity reference taken from a request path. */
export interface EntityRefParts {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Loads an entity for a caller: with the caller's credentials (so the
 * catalog's own permissions apply) and only when the permission policy
 * grants `istio.entity.read` on it.
 */
export class EntityAccess {
  constructor(
    private readonly catalog: CatalogService,
    private readonly permissions: PermissionsService,
  ) {}

  async load(
    parts: EntityRefParts,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entityRef = stringifyEntityRef({
      kind: parts.kind,
      namespace: parts.namespace,
      name: parts.name,
    });
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef}`);
    }
    const [decision] = await this.permissions.authorize(
      [{ permission: istioEntityReadPermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Reading the mesh view of ${entityRef} needs the permission ${istioEntityReadPermission.name}`,
      );
    }
    return entity;
  }
}
