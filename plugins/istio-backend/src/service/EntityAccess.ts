import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
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
  private readonly granted = new Map<
    string,
    { expires: number; entity: Promise<Entity> }
  >();

  /**
   * With `ttlMs` > 0, a granted read is kept that long per caller token and
   * entity (a caller's views of the tab's three sections, and concurrent ones,
   * share one catalog read and one permission check); refusals are not kept.
   */
  constructor(
    private readonly catalog: CatalogService,
    private readonly permissions: PermissionsService,
    private readonly options: {
      ttlMs?: number;
      maxEntries?: number;
      now?: () => number;
    } = {},
  ) {}

  /**
   * Loads an entity for a caller; `callerKey` (the caller's bearer token)
   * identifies the caller for the short-lived memory of granted reads.
   */
  async load(
    parts: EntityRefParts,
    credentials: BackstageCredentials,
    callerKey?: string,
  ): Promise<Entity> {
    const ttlMs = this.options.ttlMs ?? 0;
    if (!callerKey || ttlMs <= 0) return this.read(parts, credentials);
    const now = (this.options.now ?? Date.now)();
    const ref = `${parts.kind}:${parts.namespace}/${parts.name}`.toLowerCase();
    const key = `${callerKey}\u0000${ref}`;
    const kept = this.granted.get(key);
    if (kept && kept.expires > now) return kept.entity;
    const maxEntries = this.options.maxEntries ?? 10_000;
    if (this.granted.size >= maxEntries) {
      for (const [k, v] of this.granted) {
        if (v.expires <= now) this.granted.delete(k);
      }
      if (this.granted.size >= maxEntries) this.granted.clear();
    }
    const entity = this.read(parts, credentials);
    this.granted.set(key, { expires: now + ttlMs, entity });
    entity.catch(() => {
      if (this.granted.get(key)?.entity === entity) this.granted.delete(key);
    });
    return entity;
  }

  private async read(
    parts: EntityRefParts,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entityRef = entityRefOf(parts);
    // Both at once; an absent entity is reported before a refusal
    const [entity, [decision]] = await Promise.all([
      this.catalog.getEntityByRef(entityRef, { credentials }),
      this.permissions.authorize(
        [{ permission: istioEntityReadPermission, resourceRef: entityRef }],
        { credentials },
      ),
    ]);
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef}`);
    }
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Reading the mesh view of ${entityRef} needs the permission ${istioEntityReadPermission.name}`,
      );
    }
    return entity;
  }
}

/**
 * The entity reference of the path's parts; parts the catalog would not
 * read back as the same reference (e.g. a '/' in the kind or namespace, a
 * ':' in the kind) are an InputError.
 */
function entityRefOf(parts: EntityRefParts): string {
  const entityRef = stringifyEntityRef(parts);
  let parsed: EntityRefParts | undefined;
  try {
    parsed = parseEntityRef(entityRef);
  } catch {
    parsed = undefined;
  }
  if (
    !parsed ||
    parsed.kind !== parts.kind ||
    parsed.namespace !== parts.namespace ||
    parsed.name !== parts.name
  ) {
    throw new InputError(
      `Invalid entity in the path: ${JSON.stringify(
        parts,
      )} is no entity reference the catalog can read; give the entity's kind, namespace and name`,
    );
  }
  return entityRef;
}
