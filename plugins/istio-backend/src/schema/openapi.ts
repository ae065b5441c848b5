/**
 * The OpenAPI document of the istio backend plugin, served at
 * `/api/istio/openapi.json`. Requests are validated against it.
 */
const entityPathParameters = [
  {
    name: 'kind',
    in: 'path',
    required: true,
    description: 'Entity kind, e.g. component',
    schema: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*$' },
  },
  {
    name: 'namespace',
    in: 'path',
    required: true,
    description: 'Entity namespace, e.g. default',
    schema: { type: 'string', minLength: 1, maxLength: 253 },
  },
  {
    name: 'name',
    in: 'path',
    required: true,
    description: 'Entity name',
    schema: { type: 'string', minLength: 1, maxLength: 253 },
  },
] as const;

const perClusterResponse = (description: string) =>
  ({
    description,
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['entityRef', 'clusters'],
          additionalProperties: false,
          properties: {
            entityRef: { type: 'string' },
            clusters: {
              type: 'array',
              description:
                'One item per cluster: `data`, or the `error` ({ name, message }) that prevented it',
              items: {},
            },
          },
        },
      },
    },
  } as const);

const errorResponses = {
  '400': {
    description:
      'Invalid parameters (malformed, or window/range outside their limits); the message names the field',
  },
  '401': { description: 'No or invalid user token' },
  '403': { description: 'Not allowed to read this entity (istio.entity.read)' },
  '404': { description: 'No such entity, or the caller cannot see it' },
} as const;

export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'istio',
    version: '1',
    description:
      'Per-entity Istio ambient mesh status, mTLS posture, policies, diagnostics, golden signals and traces.',
    license: { name: 'Apache-2.0' },
  },
  servers: [{ url: '/' }],
  components: {},
  paths: {
    '/health': {
      get: {
        operationId: 'Health',
        description: 'Liveness of the plugin; needs no token.',
        responses: { '200': { description: 'The plugin is up' } },
      },
    },
    '/v1/fleet': {
      get: {
        operationId: 'GetFleet',
        description:
          "One page of the fleet overview: every component with Kubernetes annotations the caller may see (catalog permissions and istio.entity.read), each summarized per cluster from the same mesh view as the entity's tab.",
        parameters: [
          {
            name: 'cursor',
            in: 'query',
            required: false,
            description:
              'Cursor of the next page (nextCursor of the previous answer)',
            schema: { type: 'string', minLength: 1, maxLength: 4096 },
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            description: 'Entities per page, 1 to 500 (default 50)',
            schema: { type: 'string', pattern: '^[0-9]{1,3}$' },
          },
          {
            name: 'owner',
            in: 'query',
            required: false,
            description:
              'Only entities owned by this entity ref, e.g. group:default/team-commerce',
            schema: { type: 'string', minLength: 1, maxLength: 1024 },
          },
          {
            name: 'system',
            in: 'query',
            required: false,
            description: 'Only entities of this system (spec.system)',
            schema: { type: 'string', minLength: 1, maxLength: 1024 },
          },
          {
            name: 'cluster',
            in: 'query',
            required: false,
            description: 'Only this cluster',
            schema: { type: 'string', minLength: 1, maxLength: 253 },
          },
          {
            name: 'grade',
            in: 'query',
            required: false,
            description: 'Only clusters with this mTLS grade',
            schema: {
              type: 'string',
              enum: ['strict', 'partial', 'none', 'unknown'],
            },
          },
          {
            name: 'window',
            in: 'query',
            required: false,
            description:
              'Rate window for the observed mTLS share, 30s to 1h, e.g. 5m (default)',
            schema: { type: 'string', pattern: '^[1-9][0-9]*[smhd]$' },
          },
        ],
        responses: {
          '200': {
            description: 'FleetResponse: items, nextCursor, totalItems',
          },
          '400': errorResponses['400'],
          '401': errorResponses['401'],
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/mesh': {
      get: {
        operationId: 'GetEntityMesh',
        description:
          'Mesh status per cluster: enrollment and pod capture, waypoint, mTLS posture (configured and observed), policies and diagnostics.',
        parameters: [
          ...entityPathParameters,
          {
            name: 'window',
            in: 'query',
            required: false,
            description:
              'Rate window for the observed mTLS share, 30s to 1h, e.g. 5m (default)',
            schema: { type: 'string', pattern: '^[1-9][0-9]*[smhd]$' },
          },
        ],
        responses: {
          '200': perClusterResponse('EntityMeshResponse'),
          ...errorResponses,
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/metrics': {
      get: {
        operationId: 'GetEntityMetrics',
        description:
          'Golden signals (L7 from the waypoint, else L4 from ztunnel), sparkline series, traffic by source and a health grade, per cluster.',
        parameters: [
          ...entityPathParameters,
          {
            name: 'window',
            in: 'query',
            required: false,
            description: 'Rate window, 30s to 1h, e.g. 5m (default)',
            schema: { type: 'string', pattern: '^[1-9][0-9]*[smhd]$' },
          },
          {
            name: 'range',
            in: 'query',
            required: false,
            description:
              'Range of the sparkline series, 5m to 7d, e.g. 1h (default); every series has the same number of points',
            schema: { type: 'string', pattern: '^[1-9][0-9]*[mhd]$' },
          },
        ],
        responses: {
          '200': perClusterResponse('EntityMetricsResponse'),
          ...errorResponses,
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/traces': {
      get: {
        operationId: 'GetEntityTraces',
        description:
          'Recent, slowest or failed traces through the waypoint serving the entity, per cluster.',
        parameters: [
          ...entityPathParameters,
          {
            name: 'kind',
            in: 'query',
            required: false,
            description: 'recent (default), slow or errors',
            schema: { type: 'string', enum: ['recent', 'slow', 'errors'] },
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            description: 'Maximum traces per cluster, 1 to 100 (default 20)',
            schema: { type: 'string', pattern: '^[1-9][0-9]?$|^100$' },
          },
        ],
        responses: {
          '200': perClusterResponse('EntityTracesResponse'),
          ...errorResponses,
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/graph': {
      get: {
        operationId: 'GetEntityTrafficGraph',
        description:
          'Traffic graph per cluster: callers -> the entity -> the services it calls, each edge with its rate, 5xx ratio and mTLS share, nodes linked to catalog entities.',
        parameters: [
          ...entityPathParameters,
          {
            name: 'window',
            in: 'query',
            required: false,
            description: 'Rate window, e.g. 5m (default)',
            schema: { type: 'string', pattern: '^[1-9][0-9]*[smhd]$' },
          },
        ],
        responses: {
          '200': perClusterResponse('EntityTrafficGraphResponse'),
          ...errorResponses,
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/traces/{traceId}': {
      get: {
        operationId: 'GetEntityTrace',
        description:
          "The spans of one trace, from Tempo's /api/v2/traces/{id}, per cluster.",
        parameters: [
          ...entityPathParameters,
          {
            name: 'traceId',
            in: 'path',
            required: true,
            description: 'Trace id, 1 to 32 hexadecimal characters',
            schema: { type: 'string', pattern: '^[0-9a-fA-F]{1,32}$' },
          },
        ],
        responses: {
          '200': perClusterResponse('EntityTraceResponse'),
          ...errorResponses,
        },
      },
    },
  },
} as const;
