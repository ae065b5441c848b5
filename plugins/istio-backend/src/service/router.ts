import { HttpAuthService } from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { InputError } from '@backstage/errors';
import {
  ClusterMetrics,
  ClusterResult,
  ClusterTraces,
  ClusterTrafficGraph,
  EntityMetricsResponse,
  EntityTraceResponse,
  EntityTracesResponse,
  QUERY_LIMITS,
  normalizeDuration,
  EntityTrafficGraphResponse,
  TraceDetail,
} from '@ambient-mesh/plugin-istio-common';
import { Request } from 'express';
import { z } from 'zod';
import { spec } from '../schema/openapi';
import { CachedLoader, cacheKey } from '../lib/CachedLoader';
import { toSectionError } from '../lib/sectionError';
import { EntityAccess } from './EntityAccess';
import { CatalogNodeLinker, GraphService } from './GraphService';
import { MeshService } from './MeshService';
import { MetricsService } from './MetricsService';
import { perPlacement } from './placements';
import { resolveEntityTarget, EntityTarget } from './targets';
import { TracesService, TraceWaypoint } from './TracesService';
import { FleetService, parseFleetQuery } from './FleetService';

/** What the router hands requests to. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  access: EntityAccess;
  mesh: MeshService;
  metrics: MetricsService;
  traces: TracesService;
  graph: GraphService;
  linker: CatalogNodeLinker;
  loader: CachedLoader;
  /** Namespaces never read through entity annotations, besides the built-in ones. */
  protectedNamespaces?: readonly string[];
  /** The fleet overview (GET /v1/fleet); absent: the route answers 404. */
  fleet?: FleetService;
}

/** A bounded duration, normalized so equal durations share a cache key. */
const duration = (
  bounds: { minSeconds: number; maxSeconds: number },
  fallback: string,
  example: string,
) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const normalized = normalizeDuration(value, bounds);
      if (!normalized) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `use a whole number followed by s, m, h or d, from ${bounds.minSeconds}s to ${bounds.maxSeconds}s, e.g. ${example}`,
        });
        return z.NEVER;
      }
      return normalized;
    });

const windowSchema = duration(QUERY_LIMITS.window, '5m', '5m');

const meshQuery = z.object({ window: windowSchema });
const metricsQuery = z.object({
  window: windowSchema,
  range: duration(QUERY_LIMITS.range, '1h', '1h'),
});
const graphQuery = z.object({ window: windowSchema });
const traceIdSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{1,32}$/, 'use 1 to 32 hexadecimal characters');
const tracesQuery = z.object({
  kind: z.enum(['recent', 'slow', 'errors']).default('recent'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

function parseQuery<T extends z.ZodTypeAny>(
  schema: T,
  req: Request,
): z.infer<T> {
  const result = schema.safeParse(req.query);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError(
      `Invalid query parameter '${issue.path.join('.')}': ${issue.message}`,
    );
  }
  return result.data;
}

async function perCluster<T>(
  clusters: string[],
  read: (cluster: string) => Promise<T>,
): Promise<ClusterResult<T>[]> {
  return Promise.all(
    clusters.map(async cluster => {
      try {
        return { cluster, data: await read(cluster) };
      } catch (error) {
        return { cluster, error: toSectionError(error) };
      }
    }),
  );
}

/** The REST API of the istio backend plugin (see ../schema/openapi.ts). */
export async function createRouter(options: RouterOptions) {
  const { httpAuth, access, mesh, metrics, traces, graph, linker, loader } =
    options;
  const router = createValidatedOpenApiRouter(spec);

  async function entityTarget(req: Request): Promise<EntityTarget> {
    return (await entityTargetFor(req)).target;
  }

  async function entityTargetFor(req: Request) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const entity = await access.load(
      {
        kind: req.params.kind,
        namespace: req.params.namespace,
        name: req.params.name,
      },
      credentials,
      req.headers.authorization,
    );
    return {
      target: resolveEntityTarget(entity, {
        protectedNamespaces: options.protectedNamespaces,
      }),
      credentials,
    };
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/v1/fleet', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { window } = parseQuery(meshQuery, req);
    if (!options.fleet) {
      res.status(404).json({
        error: { name: 'NotFoundError', message: 'No fleet overview' },
      });
      return;
    }
    res.json(
      await options.fleet.page(
        parseFleetQuery(req.query as Record<string, unknown>, window),
        credentials,
      ),
    );
  });

  router.get('/v1/entities/:kind/:namespace/:name/mesh', async (req, res) => {
    const { window } = parseQuery(meshQuery, req);
    const target = await entityTarget(req);
    res.json(await mesh.entityMesh(target, window));
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/metrics',
    async (req, res) => {
      const { window, range } = parseQuery(metricsQuery, req);
      const target = await entityTarget(req);
      const placements = await mesh.placementsFor(target);
      const body: EntityMetricsResponse = {
        entityRef: target.entityRef,
        clusters: await perPlacement<ClusterMetrics>(placements, placement => {
          const { cluster, namespace } = placement;
          const key = cacheKey(
            'metrics',
            cluster,
            namespace,
            target.serviceName,
            target.prometheus,
            window,
            range,
          );
          return loader.load(key, () =>
            metrics.clusterMetrics({
              target,
              cluster,
              namespace,
              window,
              range,
            }),
          );
        }),
      };
      res.json(body);
    },
  );

  router.get('/v1/entities/:kind/:namespace/:name/traces', async (req, res) => {
    const { kind, limit } = parseQuery(tracesQuery, req);
    const target = await entityTarget(req);
    const placements = await mesh.placementsFor(target);
    const body: EntityTracesResponse = {
      entityRef: target.entityRef,
      clusters: await perPlacement<ClusterTraces>(
        placements,
        async placement => {
          const { cluster, namespace } = placement;
          // The waypoint decides whether spans exist; the search runs anyway
          // when the mesh state cannot be read
          const waypoint: TraceWaypoint = await mesh
            .clusterStatus(target, cluster, namespace)
            .then(
              (status): TraceWaypoint =>
                status.waypoint.kind === 'waypoint'
                  ? {
                      kind: 'waypoint',
                      name: status.waypoint.name,
                      namespace: status.waypoint.namespace,
                    }
                  : { kind: 'none' },
              (): TraceWaypoint => ({ kind: 'unknown' }),
            );
          const key = cacheKey(
            'traces',
            cluster,
            namespace,
            target.serviceName,
            target.tempo,
            kind,
            limit,
            waypoint.kind,
            waypoint.kind === 'waypoint'
              ? `${waypoint.namespace}/${waypoint.name}`
              : undefined,
          );
          return loader.load(key, () =>
            traces.clusterTraces({
              target,
              cluster,
              namespace,
              kind,
              limit,
              waypoint,
            }),
          );
        },
      ),
    };
    res.json(body);
  });

  router.get('/v1/entities/:kind/:namespace/:name/graph', async (req, res) => {
    const { window } = parseQuery(graphQuery, req);
    const { target, credentials } = await entityTargetFor(req);
    const placements = await mesh.placementsFor(target);
    const body: EntityTrafficGraphResponse = {
      entityRef: target.entityRef,
      clusters: await perPlacement<ClusterTrafficGraph>(
        placements,
        async placement => {
          const { cluster, namespace } = placement;
          const key = `graph:${cluster}:${namespace}:${target.serviceName}:${target.prometheus}:${window}`;
          const data = await loader.load(key, () =>
            graph.clusterGraph({ target, cluster, namespace, window }),
          );
          // Linked per request: what the caller may see of the catalog
          return { ...data, nodes: await linker.link(data.nodes, credentials) };
        },
      ),
    };
    res.json(body);
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/traces/:traceId',
    async (req, res) => {
      const parsed = traceIdSchema.safeParse(req.params.traceId);
      if (!parsed.success) {
        throw new InputError(
          `Invalid path parameter 'traceId': ${parsed.error.issues[0].message}`,
        );
      }
      const traceId = parsed.data;
      const target = await entityTarget(req);
      const clusters = mesh.clustersFor(target);
      const body: EntityTraceResponse = {
        entityRef: target.entityRef,
        clusters: await perCluster<TraceDetail>(clusters, cluster =>
          loader.load(`trace:${cluster}:${target.tempo}:${traceId}`, () =>
            traces.trace({ target, cluster, traceId }),
          ),
        ),
      };
      res.json(body);
    },
  );

  return router;
}
