import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ClusterMetrics,
  ClusterResult,
  EntityMeshResponse,
  EntityMetricsResponse,
  QUERY_LIMITS,
  normalizeDuration,
} from '@ambient-mesh/plugin-istio-common';
import { CachedLoader, cacheKey } from '../lib/CachedLoader';
import { EntityAccess } from '../service/EntityAccess';
import { MeshService } from '../service/MeshService';
import { MetricsService } from '../service/MetricsService';
import { perPlacement } from '../service/placements';
import { EntityTarget, resolveEntityTarget } from '../service/targets';

/** What the read actions need: the same services as the REST routes. */
export interface IstioReadActionsOptions {
  access: EntityAccess;
  mesh: MeshService;
  metrics: MetricsService;
  loader: CachedLoader;
  protectedNamespaces?: readonly string[];
}

function duration(
  value: string | undefined,
  field: 'window' | 'range',
  fallback: string,
): string {
  const normalized = normalizeDuration(value ?? fallback, QUERY_LIMITS[field]);
  if (!normalized) {
    const { minSeconds, maxSeconds } = QUERY_LIMITS[field];
    throw new InputError(
      `Input "${field}" must be a whole number followed by s, m, h or d, from ${minSeconds}s to ${maxSeconds}s, e.g. ${fallback}`,
    );
  }
  return normalized;
}

/**
 * Resolves an entity for the caller exactly as the REST routes do: loaded
 * with the caller's credentials and only with `istio.entity.read` on it.
 */
async function entityTarget(
  options: IstioReadActionsOptions,
  entityRef: string,
  credentials: BackstageCredentials,
): Promise<EntityTarget> {
  let parts;
  try {
    parts = parseEntityRef(entityRef, { defaultKind: 'component' });
  } catch (error) {
    throw new InputError(
      `Input "entityRef" must be an entity reference like component:default/reviews (${
        (error as Error).message
      })`,
    );
  }
  const entity = await options.access.load(parts, credentials);
  return resolveEntityTarget(entity, {
    protectedNamespaces: options.protectedNamespaces,
  });
}

/** The mesh view of an entity: the body of GET /v1/entities/:kind/:ns/:name/mesh. */
export async function entityMeshFor(
  options: IstioReadActionsOptions,
  entityRef: string,
  window: string | undefined,
  credentials: BackstageCredentials,
): Promise<EntityMeshResponse> {
  const target = await entityTarget(options, entityRef, credentials);
  return options.mesh.entityMesh(target, duration(window, 'window', '5m'));
}

/** The golden signals of an entity: the body of the metrics route. */
export async function entityMetricsFor(
  options: IstioReadActionsOptions,
  input: { entityRef: string; window?: string; range?: string },
  credentials: BackstageCredentials,
): Promise<EntityMetricsResponse> {
  const window = duration(input.window, 'window', '5m');
  const range = duration(input.range, 'range', '1h');
  const target = await entityTarget(options, input.entityRef, credentials);
  const { mesh, metrics, loader } = options;
  const clusters: ClusterResult<ClusterMetrics>[] = await perPlacement(
    await mesh.placementsFor(target),
    ({ cluster, namespace }) =>
      loader.load(
        cacheKey(
          'metrics',
          cluster,
          namespace,
          target.serviceName,
          target.prometheus,
          window,
          range,
        ),
        () =>
          metrics.clusterMetrics({ target, cluster, namespace, window, range }),
      ),
  );
  return { entityRef: target.entityRef, clusters };
}

const ENTITY_REF_HELP =
  'The catalog entity, e.g. component:default/reviews (kind defaults to component)';
const WINDOW_HELP = 'Rate window of the metrics, e.g. 5m (default 5m)';

/**
 * Registers the read-only mesh actions (mesh status, golden signals,
 * diagnostics with fixes) with the actions registry, so agents reach them
 * through the MCP actions backend under the same permissions as the routes.
 */
export function registerIstioReadActions(
  registry: ActionsRegistryService,
  options: IstioReadActionsOptions,
) {
  const readOnly = { readOnly: true, destructive: false, idempotent: true };

  registry.register({
    name: 'get-mesh-status',
    title: 'Mesh status of an entity',
    description:
      'The Istio ambient mesh view of a catalog entity, per cluster: enrollment (captured/total pods), waypoint, control plane, mTLS posture, policies and diagnostics. The same data as GET /api/istio/v1/entities/:kind/:namespace/:name/mesh. Needs istio.entity.read on the entity.',
    attributes: readOnly,
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().min(1).describe(ENTITY_REF_HELP),
          window: z.string().optional().describe(WINDOW_HELP),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          clusters: z.array(z.record(z.unknown())),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: (await entityMeshFor(
        options,
        input.entityRef,
        input.window,
        credentials,
      )) as any,
    }),
  });

  registry.register({
    name: 'get-golden-signals',
    title: 'Golden signals of an entity',
    description:
      "Request rate, error ratio and latency percentiles of an entity's service per cluster, from Istio's standard metrics in Prometheus (ztunnel and waypoint). Needs istio.entity.read on the entity.",
    attributes: readOnly,
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().min(1).describe(ENTITY_REF_HELP),
          window: z.string().optional().describe(WINDOW_HELP),
          range: z
            .string()
            .optional()
            .describe('Time range of the series, e.g. 1h (default 1h)'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          clusters: z.array(z.record(z.unknown())),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: (await entityMetricsFor(options, input, credentials)) as any,
    }),
  });

  registry.register({
    name: 'get-mesh-diagnostics',
    title: 'Mesh diagnostics of an entity, with fixes',
    description:
      "What is wrong with an entity's mesh setup, per cluster: each diagnostic with its severity, explanation, evidence and fix. Needs istio.entity.read on the entity.",
    attributes: readOnly,
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().min(1).describe(ENTITY_REF_HELP),
          minSeverity: z
            .enum(['info', 'warning', 'error'])
            .default('info')
            .describe('Leave out diagnostics below this severity'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          diagnostics: z.array(
            z
              .object({
                cluster: z.string(),
                id: z.string(),
                severity: z.string(),
                title: z.string(),
                message: z.string(),
                evidence: z.array(z.string()),
              })
              .passthrough(),
          ),
          errors: z.array(
            z.object({ cluster: z.string(), message: z.string() }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const view = await entityMeshFor(
        options,
        input.entityRef,
        undefined,
        credentials,
      );
      const rank: Record<string, number> = { info: 0, warning: 1, error: 2 };
      const min = rank[input.minSeverity] ?? 0;
      const diagnostics = view.clusters.flatMap(c =>
        c.data
          ? c.data.diagnostics
              .filter(d => (rank[d.severity] ?? 0) >= min)
              .map(d => ({ cluster: c.cluster, ...d }))
          : [],
      );
      const errors = view.clusters.flatMap(c =>
        c.error ? [{ cluster: c.cluster, message: c.error.message }] : [],
      );
      return {
        output: { entityRef: view.entityRef, diagnostics, errors } as any,
      };
    },
  });
}
