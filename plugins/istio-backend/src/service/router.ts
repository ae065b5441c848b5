import { HttpAuthService } from '@backstage/backend-plugin-api';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { InputError } from '@backstage/errors';
import {
  ClusterMetrics,
  ClusterTraces,
  EntityMetricsResponse,
  EntityTracesResponse,
} from '@ambient-mesh/plugin-istio-common';
import { Request } from 'express';
import { z } from 'zod';
import { spec } from '../schema/openapi';
import { CachedLoader } from '../lib/CachedLoader';
import { EntityAccess } from './EntityAccess';
import { MeshService } from './MeshService';
import { MetricsService } from './MetricsService';
import { perPlacement } from './placements';
import { resolveEntityTarget, EntityTarget } from './targets';
import { TracesService, TraceWaypoint } from './TracesService';

/** What the router hands requests to. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  access: EntityAccess;
  mesh: MeshService;
  metrics: MetricsService;
  traces: TracesService;
  loader: CachedLoader;
}

const windowSchema = z
  .string()
  .regex(/^[1-9][0-9]*[smhd]$/, 'use e.g. 5m')
  .default('5m');

const meshQuery = z.object({ window: windowSchema });
const metricsQuery = z.object({
  window: windowSchema,
  range: z
    .string()
    .regex(/^[1-9][0-9]*[mhd]$/, 'use e.g. 1h')
    .default('1h'),
});
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

/** The REST API of the istio backend plugin (see ../schema/openapi.ts). */
export async function createRouter(options: RouterOptions) {
  const { httpAuth, access, mesh, metrics, traces, loader } = options;
  const router = createValidatedOpenApiRouter(spec);

  async function entityTarget(req: Request): Promise<EntityTarget> {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const entity = await access.load(
      {
        kind: req.params.kind,
        namespace: req.params.namespace,
        name: req.params.name,
      },
      credentials,
    );
    return resolveEntityTarget(entity);
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
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
          const key = `metrics:${cluster}:${namespace}:${target.serviceName}:${target.prometheus}:${window}:${range}`;
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
          const key = `traces:${cluster}:${namespace}:${target.serviceName}:${target.tempo}:${kind}:${limit}:${waypoint.kind}`;
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

  return router;
}
