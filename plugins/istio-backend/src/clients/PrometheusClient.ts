import { ResponseError, ServiceUnavailableError } from '@backstage/errors';
import { SeriesPoint } from '@ambient-mesh/plugin-istio-common';
import { authHeaders, PrometheusInstance } from '../config/istioConfig';
import { withDeadline } from '../lib/deadline';

/** One series of an instant query: its labels and value. */
export interface InstantSample {
  labels: Record<string, string>;
  value: number | null;
}

interface PrometheusResponse {
  status: 'success' | 'error';
  error?: string;
  data?: {
    resultType: 'vector' | 'matrix' | 'scalar' | 'string';
    result: Array<{
      metric: Record<string, string>;
      value?: [number, string];
      values?: Array<[number, string]>;
    }>;
  };
}

function parseValue(raw: string): number | null {
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}

/**
 * A client of the Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`)
 * for one configured instance. Queries are sent as form bodies, never built
 * into URLs.
 */
export class PrometheusClient {
  constructor(
    private readonly instance: PrometheusInstance,
    private readonly timeoutMs: number,
  ) {}

  get name(): string {
    return this.instance.name;
  }

  /** Runs an instant query; one sample per series. */
  async query(promql: string): Promise<InstantSample[]> {
    const data = await this.post('/api/v1/query', { query: promql });
    return data.result.map(r => ({
      labels: r.metric,
      value: r.value ? parseValue(r.value[1]) : null,
    }));
  }

  /** Runs an instant query whose answer is one number (null when empty). */
  async queryScalar(promql: string): Promise<number | null> {
    const samples = await this.query(promql);
    return samples.length > 0 ? samples[0].value : null;
  }

  /** Runs a range query and returns the first series' points. */
  async queryRange(
    promql: string,
    range: { start: number; end: number; step: number },
  ): Promise<SeriesPoint[]> {
    const data = await this.post('/api/v1/query_range', {
      query: promql,
      start: String(range.start),
      end: String(range.end),
      step: String(range.step),
    });
    const first = data.result[0];
    return (first?.values ?? []).map(([t, v]) => ({ t, v: parseValue(v) }));
  }

  /**
   * The active targets (`GET /api/v1/targets?state=active`): what Prometheus scrapes,
   * with the health of the last scrape and its error.
   */
  async activeTargets(): Promise<
    Array<{
      labels: Record<string, string>;
      discoveredLabels?: Record<string, string>;
      scrapePool?: string;
      health: string;
      lastError?: string;
    }>
  > {
    const what = `Prometheus '${this.instance.name}'`;
    return withDeadline(what, this.timeoutMs, async signal => {
      let response: Response;
      try {
        response = await fetch(
          `${this.instance.baseUrl}/api/v1/targets?state=active`,
          { headers: authHeaders(this.instance.auth), signal },
        );
      } catch (error) {
        throw new ServiceUnavailableError(
          `${what} at ${this.instance.baseUrl} is unreachable`,
          error,
        );
      }
      if (!response.ok) throw await ResponseError.fromResponse(response);
      const body = (await response.json()) as {
        status: string;
        data?: {
          activeTargets?: Array<{
            labels: Record<string, string>;
            discoveredLabels?: Record<string, string>;
            scrapePool?: string;
            health: string;
            lastError?: string;
          }>;
        };
      };
      return body.data?.activeTargets ?? [];
    });
  }

  private async post(path: string, form: Record<string, string>) {
    const what = `Prometheus '${this.instance.name}'`;
    return withDeadline(what, this.timeoutMs, async signal => {
      let response: Response;
      try {
        response = await fetch(`${this.instance.baseUrl}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...authHeaders(this.instance.auth),
          },
          body: new URLSearchParams(form).toString(),
          signal,
        });
      } catch (error) {
        throw new ServiceUnavailableError(
          `${what} at ${this.instance.baseUrl} is unreachable`,
          error,
        );
      }
      if (!response.ok && response.status !== 400 && response.status !== 422) {
        throw await ResponseError.fromResponse(response);
      }
      const body = (await response.json()) as PrometheusResponse;
      if (body.status !== 'success' || !body.data) {
        throw new ServiceUnavailableError(
          `${what} rejected a query: ${body.error ?? 'no data'}`,
        );
      }
      return body.data;
    });
  }
}
