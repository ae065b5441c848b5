import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { mockApis, MockFetchApi } from '@backstage/test-utils';
import type {
  EntityMeshResponse,
  EntityMetricsResponse,
  EntityTraceResponse,
  EntityTracesResponse,
  EntityTrafficGraphResponse,
} from '@ambient-mesh/plugin-istio-common';
import { IstioClient } from '../api';

/** Base URL of the istio backend in tests. */
export const BASE_URL = 'http://backend.test/api/istio';

/** The routes of the entity `component:default/orders`. */
export const ORDERS_URL = `${BASE_URL}/v1/entities/component/default/orders`;

/** An msw server; each test sets its handlers. */
export const server = setupServer();

/** A real IstioClient talking over HTTP to the msw server. */
export function testClient(): IstioClient {
  return new IstioClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backend.test' }),
    fetchApi: new MockFetchApi(),
  });
}

/** Handlers answering the three routes of the orders entity with fixed bodies. */
export function entityHandlers(bodies: {
  mesh?: EntityMeshResponse | (() => Response | Promise<Response>);
  metrics?: EntityMetricsResponse | ((url: URL) => EntityMetricsResponse);
  traces?: EntityTracesResponse | ((url: URL) => EntityTracesResponse);
  graph?:
    | EntityTrafficGraphResponse
    | ((url: URL) => EntityTrafficGraphResponse);
  trace?:
    | EntityTraceResponse
    | ((traceId: string) => EntityTraceResponse | Response);
}) {
  const empty = { entityRef: 'component:default/orders', clusters: [] };
  return [
    http.get(`${ORDERS_URL}/mesh`, () => {
      const mesh = bodies.mesh ?? empty;
      return typeof mesh === 'function' ? mesh() : HttpResponse.json(mesh);
    }),
    http.get(`${ORDERS_URL}/metrics`, ({ request }) => {
      const metrics = bodies.metrics ?? empty;
      return HttpResponse.json(
        typeof metrics === 'function' ? metrics(new URL(request.url)) : metrics,
      );
    }),
    http.get(`${ORDERS_URL}/graph`, ({ request }) => {
      const graph = bodies.graph ?? empty;
      return HttpResponse.json(
        typeof graph === 'function' ? graph(new URL(request.url)) : graph,
      );
    }),
    http.get(`${ORDERS_URL}/traces/:traceId`, ({ params }) => {
      const trace = bodies.trace ?? empty;
      const body =
        typeof trace === 'function' ? trace(String(params.traceId)) : trace;
      return body instanceof Response ? body : HttpResponse.json(body);
    }),
    http.get(`${ORDERS_URL}/traces`, ({ request }) => {
      const traces = bodies.traces ?? empty;
      return HttpResponse.json(
        typeof traces === 'function' ? traces(new URL(request.url)) : traces,
      );
    }),
  ];
}
