/**
 * A Tempo `/api/search` response for an Istio waypoint's spans, written in Tempo's JSON
 * shape: grafana/tempo v2.8.0 `docs/sources/tempo/api_docs/_index.md` ("Example of
 * TraceQL search") and `pkg/tempopb` `TraceSearchMetadata` / `SpanSet` / `Span` as
 * `pkg/traceql/engine.go` `asTraceSearchMetadata` fills them: `startTimeUnixNano` and
 * `durationNanos` are strings (uint64 in JSON), `durationMs` and `matched` numbers, span
 * attributes only those the query fetched (conditions and `select`), keyed without
 * their scope, `spanSet` repeated as `spanSets[0]`. The attribute values are Envoy's
 * span tags as an Istio 1.28 waypoint writes them (strings, `http.status_code` "503").
 *
 * The query it answers:
 * `{ (resource.service.name = "waypoint.bookinfo" && span.http.status_code =~ "5..") || (resource.service.name = "productpage.bookinfo.svc.cluster.local" && span.http.status_code =~ "5..") } | select(span.http.status_code, span.http.method, span.http.url) with (most_recent=true)`
 */
export const TEMPO_SEARCH_RESPONSE = {
  traces: [
    {
      traceID: '2f3e0cee77ae5dc9c17ade3689eb2e54',
      rootServiceName: 'productpage.bookinfo.svc.cluster.local',
      rootTraceName: 'productpage.bookinfo.svc.cluster.local:9080/productpage',
      startTimeUnixNano: '1764700327699392724',
      durationMs: 557,
      spanSet: {
        spans: [
          {
            spanID: '563d623c76514f8e',
            startTimeUnixNano: '1764700327735077898',
            durationNanos: '446979497',
            attributes: [
              {
                key: 'service.name',
                value: {
                  stringValue: 'productpage.bookinfo.svc.cluster.local',
                },
              },
              { key: 'http.status_code', value: { stringValue: '503' } },
              { key: 'http.method', value: { stringValue: 'GET' } },
              {
                key: 'http.url',
                value: {
                  stringValue:
                    'http://productpage.bookinfo.svc.cluster.local:9080/productpage?u=normal',
                },
              },
            ],
          },
        ],
        matched: 1,
      },
      spanSets: [
        {
          spans: [
            {
              spanID: '563d623c76514f8e',
              startTimeUnixNano: '1764700327735077898',
              durationNanos: '446979497',
              attributes: [
                {
                  key: 'service.name',
                  value: {
                    stringValue: 'productpage.bookinfo.svc.cluster.local',
                  },
                },
                { key: 'http.status_code', value: { stringValue: '503' } },
                { key: 'http.method', value: { stringValue: 'GET' } },
                {
                  key: 'http.url',
                  value: {
                    stringValue:
                      'http://productpage.bookinfo.svc.cluster.local:9080/productpage?u=normal',
                  },
                },
              ],
            },
          ],
          matched: 1,
        },
      ],
      serviceStats: {
        'productpage.bookinfo.svc.cluster.local': {
          spanCount: 1,
          errorCount: 1,
        },
      },
    },
    {
      // A span whose status code was recorded as an integer: AnyValue intValue, an
      // int64, is a string in protobuf JSON
      traceID: 'c17ade3689eb2e542f3e0cee77ae5dc9',
      rootServiceName: 'waypoint.bookinfo',
      rootTraceName: 'reviews.bookinfo.svc.cluster.local:9080/*',
      startTimeUnixNano: '1764700320100000000',
      durationMs: 12,
      spanSet: {
        spans: [
          {
            spanID: '8e563d623c76514f',
            startTimeUnixNano: '1764700320100000000',
            durationNanos: '12000000',
            attributes: [
              {
                key: 'service.name',
                value: { stringValue: 'waypoint.bookinfo' },
              },
              { key: 'http.response.status_code', value: { intValue: '502' } },
              { key: 'http.request.method', value: { stringValue: 'POST' } },
              {
                key: 'url.full',
                value: {
                  stringValue:
                    'http://reviews.bookinfo.svc.cluster.local:9080/reviews/0',
                },
              },
            ],
          },
        ],
        matched: 2,
      },
      spanSets: [
        {
          spans: [
            {
              spanID: '8e563d623c76514f',
              startTimeUnixNano: '1764700320100000000',
              durationNanos: '12000000',
              attributes: [
                {
                  key: 'service.name',
                  value: { stringValue: 'waypoint.bookinfo' },
                },
                {
                  key: 'http.response.status_code',
                  value: { intValue: '502' },
                },
                { key: 'http.request.method', value: { stringValue: 'POST' } },
                {
                  key: 'url.full',
                  value: {
                    stringValue:
                      'http://reviews.bookinfo.svc.cluster.local:9080/reviews/0',
                  },
                },
              ],
            },
          ],
          matched: 2,
        },
      ],
    },
  ],
  metrics: {
    inspectedTraces: 3100,
    inspectedBytes: '3811736',
    totalBlocks: 13,
    completedJobs: 1,
    totalJobs: 1,
  },
};
