import { TempoSearchTrace } from '../clients/TempoClient';
import { TEMPO_SEARCH_RESPONSE } from './__fixtures__/tempoSearchResponse';
import { summarizeSearchTrace } from './TracesService';

// The fixture follows grafana/tempo v2.8.0 docs/sources/tempo/api_docs/_index.md and
// pkg/traceql/engine.go asTraceSearchMetadata (see the fixture's header)
describe('summarizeSearchTrace on a Tempo search response (grafana/tempo v2.8.0 api_docs, pkg/traceql/engine.go)', () => {
  const traces = TEMPO_SEARCH_RESPONSE.traces as TempoSearchTrace[];

  it('reads status code, method and path from the selected attributes', () => {
    expect(summarizeSearchTrace(traces[0], 'http://grafana/x')).toEqual({
      traceId: '2f3e0cee77ae5dc9c17ade3689eb2e54',
      rootServiceName: 'productpage.bookinfo.svc.cluster.local',
      rootTraceName: 'productpage.bookinfo.svc.cluster.local:9080/productpage',
      start: new Date(1764700327699).toISOString(),
      durationMs: 557,
      statusCode: '503',
      method: 'GET',
      path: '/productpage',
      error: true,
      link: 'http://grafana/x',
    });
  });

  it('reads the OpenTelemetry semantic-convention names and intValue codes (envoy common_values.h)', () => {
    const summary = summarizeSearchTrace(traces[1]);
    expect(summary).toMatchObject({
      statusCode: '502',
      method: 'POST',
      path: '/reviews/0',
      error: true,
    });
    expect(summary.link).toBeUndefined();
  });

  it('reports no status when Tempo returned no such attribute (the query did not select it)', () => {
    const bare: TempoSearchTrace = {
      traceID: 'aa',
      startTimeUnixNano: '1684778327699392724',
      durationMs: 3,
      spanSets: [
        {
          spans: [
            {
              spanID: 'bb',
              attributes: [{ key: 'status', value: { stringValue: 'error' } }],
            },
          ],
          matched: 1,
        },
      ],
    };
    const summary = summarizeSearchTrace(bare);
    expect(summary.statusCode).toBeUndefined();
    expect(summary.method).toBeUndefined();
    expect(summary.error).toBe(false);
  });
});
