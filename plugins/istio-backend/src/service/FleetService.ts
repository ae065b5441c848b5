import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  FleetEntry,
  FleetResponse,
  KUBERNETES_ID_ANNOTATION,
  MtlsGrade,
  fleetEntry,
  istioEntityReadPermission,
} from '@ambient-mesh/plugin-istio-common';
import { FleetHealthReader } from './FleetHealthReader';
import { MeshService } from './MeshService';
import { EntityTarget, resolveEntityTarget } from './targets';

const NAMESPACE_ANNOTATION = 'backstage.io/kubernetes-namespace';
/** Entities per permission request. */
const AUTHORIZE_BATCH = 100;

/** The filters and page of a fleet request. */
export interface FleetQuery {
  cursor?: string;
  limit: number;
  owner?: string;
  system?: string;
  cluster?: string;
  grade?: MtlsGrade;
  window: string;
}

/**
 * The fleet overview: every component with Kubernetes annotations that the
 * caller may see (catalog query with the caller's credentials, then
 * `istio.entity.read`), each summarized from the same mesh view as the
 * entity's tab (MeshService.entityMesh).
 */
export class FleetService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      permissions: PermissionsService;
      mesh: MeshService;
      protectedNamespaces?: readonly string[];
      /** The health column; absent: no health is read. */
      health?: FleetHealthReader;
    },
  ) {}

  async page(
    query: FleetQuery,
    credentials: BackstageCredentials,
  ): Promise<FleetResponse> {
    const extra: Record<string, string> = {};
    if (query.owner) extra['relations.ownedBy'] = query.owner;
    if (query.system) extra['spec.system'] = query.system;
    const response = await this.deps.catalog.queryEntities(
      query.cursor
        ? { cursor: query.cursor, limit: query.limit }
        : {
            filter: [KUBERNETES_ID_ANNOTATION, NAMESPACE_ANNOTATION].map(
              annotation => ({
                kind: 'component',
                [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
                ...extra,
              }),
            ),
            orderFields: { field: 'metadata.name', order: 'asc' },
            limit: query.limit,
          },
      { credentials },
    );
    const entities = response.items;
    // In batches: the permission backend's JSON body limit (100 kB, its
    // express.json default) is too small for 500 decisions in one request
    const batches: Entity[][] = [];
    for (let i = 0; i < entities.length; i += AUTHORIZE_BATCH) {
      batches.push(entities.slice(i, i + AUTHORIZE_BATCH));
    }
    const decisions = (
      await Promise.all(
        batches.map(batch =>
          this.deps.permissions.authorize(
            batch.map(e => ({
              permission: istioEntityReadPermission,
              resourceRef: stringifyEntityRef(e),
            })),
            { credentials },
          ),
        ),
      )
    ).flat();
    const readable = entities.filter(
      (_e, i) => decisions[i]?.result === AuthorizeResult.ALLOW,
    );
    const read = await Promise.all(
      readable.map(e => this.entry(e, query.window)),
    );
    const kept = read
      .map(({ entry, target }) => ({
        entry: this.filterEntry(entry, query),
        target,
      }))
      .filter(
        (r): r is { entry: FleetEntry; target: EntityTarget | undefined } =>
          !!r.entry,
      );
    // The health of the whole page in one Prometheus query per instance
    await this.deps.health?.annotate(
      kept.flatMap(({ entry, target }) =>
        target ? entry.clusters.map(summary => ({ target, summary })) : [],
      ),
      query.window,
    );
    const items = kept.map(r => r.entry);
    return {
      items,
      nextCursor: response.pageInfo.nextCursor,
      totalItems: response.totalItems,
    };
  }

  private async entry(
    entity: Entity,
    window: string,
  ): Promise<{ entry: FleetEntry; target?: EntityTarget }> {
    try {
      const target = resolveEntityTarget(entity, {
        protectedNamespaces: this.deps.protectedNamespaces,
      });
      const view = await this.deps.mesh.entityMesh(target, window);
      return { entry: fleetEntry(entity, view.clusters), target };
    } catch (error) {
      // An entity whose annotations cannot be resolved still shows, with why
      const entry: FleetEntry = {
        ...fleetEntry(entity, []),
        clusters: [
          {
            cluster: '-',
            error: error instanceof Error ? error.message : String(error),
          },
        ],
      };
      return { entry };
    }
  }

  private filterEntry(entry: FleetEntry, query: FleetQuery) {
    if (!query.cluster && !query.grade) return entry;
    const clusters = entry.clusters.filter(
      c =>
        (!query.cluster || c.cluster === query.cluster) &&
        (!query.grade || c.mtlsGrade === query.grade),
    );
    return clusters.length ? { ...entry, clusters } : undefined;
  }
}

/** Parses the query of GET /v1/fleet; errors name the parameter. */
export function parseFleetQuery(
  raw: Record<string, unknown>,
  window: string,
): FleetQuery {
  const str = (key: string) => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length === 0 || v.length > 1024) {
      throw new InputError(
        `Invalid query parameter '${key}': give one non-empty value`,
      );
    }
    return v;
  };
  const limitRaw = str('limit');
  const limit = limitRaw === undefined ? 50 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new InputError(
      `Invalid query parameter 'limit': a whole number from 1 to 500, e.g. 50`,
    );
  }
  const grade = str('grade');
  if (grade && !['strict', 'partial', 'none', 'unknown'].includes(grade)) {
    throw new InputError(
      `Invalid query parameter 'grade': one of strict, partial, none, unknown`,
    );
  }
  return {
    cursor: str('cursor'),
    limit,
    owner: str('owner'),
    system: str('system'),
    cluster: str('cluster'),
    grade: grade as MtlsGrade | undefined,
    window,
  };
}
