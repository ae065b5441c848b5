import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  EntityMeshResponse,
  EntityMetricsResponse,
  EntityTraceResponse,
  EntityTracesResponse,
  EntityTrafficGraphResponse,
} from '@ambient-mesh/plugin-istio-common';
import type {
  IstioApi,
  MetricsQueryOptions,
  TracesQueryOptions,
} from './IstioApi';

/**
 * The {@link IstioApi} over HTTP: calls the istio backend plugin found through
 * the discovery API, with the identity the fetch API adds.
 *
 * @public
 */
export class IstioClient implements IstioApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getMesh(entity: CompoundEntityRef): Promise<EntityMeshResponse> {
    return this.get(entity, 'mesh');
  }

  getMetrics(
    entity: CompoundEntityRef,
    options: MetricsQueryOptions,
  ): Promise<EntityMetricsResponse> {
    return this.get(
      entity,
      'metrics',
      new URLSearchParams({ window: options.window, range: options.range }),
    );
  }

  getTraces(
    entity: CompoundEntityRef,
    options: TracesQueryOptions,
  ): Promise<EntityTracesResponse> {
    const query = new URLSearchParams({ kind: options.kind });
    if (options.limit !== undefined) {
      query.set('limit', String(options.limit));
    }
    return this.get(entity, 'traces', query);
  }

  getTrafficGraph(
    entity: CompoundEntityRef,
    options: { window: string },
  ): Promise<EntityTrafficGraphResponse> {
    return this.get(
      entity,
      'graph',
      new URLSearchParams({ window: options.window }),
    );
  }

  getTrace(
    entity: CompoundEntityRef,
    traceId: string,
  ): Promise<EntityTraceResponse> {
    return this.get(entity, `traces/${traceId}`);
  }

  private async get<T>(
    entity: CompoundEntityRef,
    resource: 'mesh' | 'metrics' | 'traces' | 'graph' | `traces/${string}`,
    query?: URLSearchParams,
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('istio');
    const path = [
      'v1',
      'entities',
      entity.kind.toLocaleLowerCase('en-US'),
      entity.namespace,
      entity.name,
      ...resource.split('/'),
    ]
      .map(encodeURIComponent)
      .join('/');
    const search = query ? `?${query.toString()}` : '';
    const response = await this.fetchApi.fetch(`${baseUrl}/${path}${search}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
