import type { TempoTraceByIdResponse } from '@ambient-mesh/plugin-istio-common';

/**
 * A trace as Tempo's `GET /api/v2/traces/{id}` answers it in JSON, written by
 * hand in the upstream shape: tempopb `TraceByIDResponse` (grafana/tempo
 * pkg/tempopb/tempo.proto, v2.8: `trace` with `resourceSpans`) holding OTLP
 * `ResourceSpans` in the protobuf JSON mapping (opentelemetry-proto
 * trace/v1/trace.proto: ids as base64 `bytes`, times as int64 strings, kind
 * and status code as enum names), as in grafana/tempo docs api_docs
 * "Query V2". The spans are the two a waypoint emits for one request
 * (istio-ambient.md §6: string attributes, service.name of the 1.28+ scheme).
 *
 * Trace id 0af7651916cd43dd8448eb211c80319c; span b7ad6b7169203331 (server)
 * has the child 00f067aa0ba902b7 (client, to the upstream pod), which failed
 * with a 503.
 */
export const tempoTraceV2: TempoTraceByIdResponse = {
  trace: {
    resourceSpans: [
      {
        resource: {
          attributes: [
            {
              key: 'service.name',
              value: { stringValue: 'orders.microservices.svc.cluster.local' },
            },
            {
              key: 'k8s.namespace.name',
              value: { stringValue: 'microservices' },
            },
          ],
        },
        scopeSpans: [
          {
            scope: { name: 'envoy' },
            spans: [
              {
                traceId: 'CvdlGRbNQ92ESOshHIAxnA==',
                spanId: 't61rcWkgMzE=',
                name: 'orders.microservices.svc.cluster.local:8080/*',
                kind: 'SPAN_KIND_SERVER',
                startTimeUnixNano: '1764666000000000000',
                endTimeUnixNano: '1764666000087000000',
                attributes: [
                  { key: 'http.method', value: { stringValue: 'GET' } },
                  {
                    key: 'http.url',
                    value: {
                      stringValue:
                        'http://orders.microservices.svc.cluster.local:8080/orders/42',
                    },
                  },
                  { key: 'http.status_code', value: { stringValue: '503' } },
                  {
                    key: 'upstream_cluster',
                    value: {
                      stringValue:
                        'inbound-vip|8080|http|orders.microservices.svc.cluster.local',
                    },
                  },
                  {
                    key: 'istio.canonical_service',
                    value: { stringValue: 'waypoint' },
                  },
                  { key: 'response_flags', value: { stringValue: '-' } },
                  { key: 'request_size', value: { intValue: '0' } },
                ],
                status: { code: 'STATUS_CODE_ERROR' },
              },
              {
                traceId: 'CvdlGRbNQ92ESOshHIAxnA==',
                spanId: 'APBnqgupArc=',
                parentSpanId: 't61rcWkgMzE=',
                name: 'orders.microservices.svc.cluster.local:8080/*',
                kind: 'SPAN_KIND_CLIENT',
                startTimeUnixNano: '1764666000002000000',
                endTimeUnixNano: '1764666000085000000',
                attributes: [
                  { key: 'http.method', value: { stringValue: 'GET' } },
                  { key: 'http.status_code', value: { stringValue: '503' } },
                  {
                    key: 'upstream_cluster',
                    value: {
                      stringValue: 'inbound-pod|8080||10.244.0.12:8080',
                    },
                  },
                ],
                status: { code: 'STATUS_CODE_ERROR' },
              },
            ],
          },
        ],
      },
    ],
  },
};
